package dev.vigil.operator.admission;

import dev.vigil.operator.http.DerWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Makes the webhook's certificates: a self-signed CA and, signed by it, a serving certificate for
 * the names the API server dials. ECDSA P-256 keys and SHA-256 signatures; X.509 v3 written out in
 * DER here (the JDK reads certificates but has no public API to make one), and every certificate
 * made is read back and verified by the JDK before it is returned.
 *
 * <p>What the API server's TLS client (Go's crypto/x509) asks of them: the CA has {@code
 * basicConstraints cA=TRUE} and {@code keyCertSign}; the serving certificate names every host in
 * {@code subjectAltName} (Go ignores the common name) and has {@code serverAuth}.
 */
final class CertificateMaker {
  private static final SecureRandom RANDOM = new SecureRandom();

  private static final int[] ECDSA_WITH_SHA256 = {1, 2, 840, 10045, 4, 3, 2};
  private static final int[] COMMON_NAME = {2, 5, 4, 3};
  private static final int[] SUBJECT_KEY_IDENTIFIER = {2, 5, 29, 14};
  private static final int[] KEY_USAGE = {2, 5, 29, 15};
  private static final int[] SUBJECT_ALT_NAME = {2, 5, 29, 17};
  private static final int[] BASIC_CONSTRAINTS = {2, 5, 29, 19};
  private static final int[] AUTHORITY_KEY_IDENTIFIER = {2, 5, 29, 35};
  private static final int[] EXTENDED_KEY_USAGE = {2, 5, 29, 37};
  private static final int[] SERVER_AUTH = {1, 3, 6, 1, 5, 5, 7, 3, 1};

  private CertificateMaker() {}

  /** A certificate with its key. */
  record Issued(X509Certificate certificate, KeyPair keys) {}

  static KeyPair keyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no EC P-256 in this JVM", e);
    }
  }

  /** A self-signed CA that may sign server certificates only (path length 0). */
  static Issued certificateAuthority(String commonName, Instant notBefore, Instant notAfter) {
    KeyPair keys = keyPair();
    byte[] name = name(commonName);
    byte[] keyId = keyIdentifier(keys.getPublic());
    byte[] extensions =
        DerWriter.sequence(
            extension(
                BASIC_CONSTRAINTS, true, DerWriter.sequence(bool(true), integer(BigInteger.ZERO))),
            // keyCertSign and cRLSign: bits 5 and 6, one unused bit.
            extension(KEY_USAGE, true, bitString(new byte[] {0x06}, 1)),
            extension(SUBJECT_KEY_IDENTIFIER, false, octetString(keyId)));
    X509Certificate certificate =
        sign(name, name, notBefore, notAfter, keys.getPublic(), extensions, keys.getPrivate());
    return new Issued(certificate, keys);
  }

  /** A serving certificate for {@code hosts} (DNS names and IP addresses), signed by {@code ca}. */
  static Issued serving(Issued ca, List<String> hosts, Instant notBefore, Instant notAfter) {
    if (hosts.isEmpty()) {
      throw new IllegalArgumentException("a serving certificate needs at least one host name");
    }
    KeyPair keys = keyPair();
    ByteArrayOutputStream names = new ByteArrayOutputStream();
    for (String host : hosts) {
      names.writeBytes(generalName(host));
    }
    byte[] extensions =
        DerWriter.sequence(
            extension(BASIC_CONSTRAINTS, true, DerWriter.sequence()),
            // digitalSignature: bit 0, seven unused bits.
            extension(KEY_USAGE, true, bitString(new byte[] {(byte) 0x80}, 7)),
            extension(EXTENDED_KEY_USAGE, false, DerWriter.sequence(oid(SERVER_AUTH))),
            extension(SUBJECT_ALT_NAME, false, DerWriter.tlv(0x30, names.toByteArray())),
            extension(
                AUTHORITY_KEY_IDENTIFIER,
                false,
                DerWriter.sequence(DerWriter.tlv(0x80, keyIdentifier(ca.keys().getPublic())))));
    X509Certificate certificate =
        sign(
            // The CA's subject as it encoded it: Go matches issuer and subject byte for byte.
            ca.certificate().getSubjectX500Principal().getEncoded(),
            name(hosts.get(0)),
            notBefore,
            notAfter,
            keys.getPublic(),
            extensions,
            ca.keys().getPrivate());
    try {
      certificate.verify(ca.keys().getPublic());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the serving certificate made does not verify", e);
    }
    return new Issued(certificate, keys);
  }

  /** PEM of a PKCS#8 private key. */
  static String pem(PrivateKey key) {
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(key.getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
  }

  private static X509Certificate sign(
      byte[] issuer,
      byte[] subject,
      Instant notBefore,
      Instant notAfter,
      PublicKey key,
      byte[] extensions,
      PrivateKey signer) {
    byte[] algorithm = DerWriter.sequence(oid(ECDSA_WITH_SHA256));
    byte[] serial = new byte[16];
    RANDOM.nextBytes(serial);
    byte[] tbs =
        DerWriter.sequence(
            DerWriter.tlv(0xa0, integer(BigInteger.TWO)),
            integer(new BigInteger(1, serial)),
            algorithm,
            issuer,
            DerWriter.sequence(time(notBefore), time(notAfter)),
            subject,
            key.getEncoded(),
            DerWriter.tlv(0xa3, extensions));
    try {
      Signature signature = Signature.getInstance("SHA256withECDSA");
      signature.initSign(signer);
      signature.update(tbs);
      byte[] der = DerWriter.sequence(tbs, algorithm, bitString(signature.sign(), 0));
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a certificate", e);
    }
  }

  private static byte[] name(String commonName) {
    return DerWriter.sequence(
        DerWriter.tlv(
            0x31,
            DerWriter.sequence(
                oid(COMMON_NAME),
                DerWriter.tlv(0x0c, commonName.getBytes(StandardCharsets.UTF_8)))));
  }

  private static byte[] generalName(String host) {
    if (host.matches("[0-9.]+") || host.contains(":")) {
      try {
        return DerWriter.tlv(0x87, InetAddress.getByName(host).getAddress()); // iPAddress
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("not an IP address: " + host, e);
      }
    }
    return DerWriter.tlv(0x82, host.getBytes(StandardCharsets.US_ASCII)); // dNSName
  }

  private static byte[] keyIdentifier(PublicKey key) {
    try {
      return Arrays.copyOf(MessageDigest.getInstance("SHA-1").digest(key.getEncoded()), 20);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] extension(int[] id, boolean critical, byte[] value) {
    return critical
        ? DerWriter.sequence(oid(id), bool(true), octetString(value))
        : DerWriter.sequence(oid(id), octetString(value));
  }

  /** UTCTime until 2049, GeneralizedTime after, as RFC 5280 asks. */
  private static byte[] time(Instant instant) {
    var utc = instant.atOffset(ZoneOffset.UTC);
    if (utc.getYear() < 2050) {
      return DerWriter.tlv(
          0x17,
          DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'")
              .format(utc)
              .getBytes(StandardCharsets.US_ASCII));
    }
    return DerWriter.tlv(
        0x18,
        DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'")
            .format(utc)
            .getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] oid(int[] arcs) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(40 * arcs[0] + arcs[1]);
    for (int i = 2; i < arcs.length; i++) {
      int arc = arcs[i];
      byte[] base128 = new byte[5];
      int n = 0;
      do {
        base128[n++] = (byte) (arc & 0x7f);
        arc >>>= 7;
      } while (arc != 0);
      for (int j = n - 1; j >= 0; j--) {
        out.write(base128[j] | (j > 0 ? 0x80 : 0));
      }
    }
    return DerWriter.tlv(0x06, out.toByteArray());
  }

  private static byte[] integer(BigInteger value) {
    return DerWriter.tlv(0x02, value.toByteArray());
  }

  private static byte[] bool(boolean value) {
    return new byte[] {0x01, 0x01, (byte) (value ? 0xff : 0x00)};
  }

  private static byte[] octetString(byte[] value) {
    return DerWriter.tlv(0x04, value);
  }

  private static byte[] bitString(byte[] value, int unusedBits) {
    byte[] content = new byte[value.length + 1];
    content[0] = (byte) unusedBits;
    System.arraycopy(value, 0, content, 1, value.length);
    return DerWriter.tlv(0x03, content);
  }
}
