package dev.vigil.operator.http;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM as a {@code kubernetes.io/tls} Secret holds it: a certificate chain, and a private key in any
 * of the encodings cert-manager and openssl write (PKCS#8 {@code PRIVATE KEY}, PKCS#1 {@code RSA
 * PRIVATE KEY}, SEC1 {@code EC PRIVATE KEY}). Encrypted keys are refused.
 */
public final class Pem {
  private static final Pattern BLOCK =
      Pattern.compile(
          "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----", Pattern.DOTALL);

  /** rsaEncryption, 1.2.840.113549.1.1.1, with its NULL parameters. */
  private static final byte[] RSA_ALGORITHM = {
    0x30,
    0x0d,
    0x06,
    0x09,
    0x2a,
    (byte) 0x86,
    0x48,
    (byte) 0x86,
    (byte) 0xf7,
    0x0d,
    0x01,
    0x01,
    0x01,
    0x05,
    0x00
  };

  /** id-ecPublicKey, 1.2.840.10045.2.1. */
  private static final byte[] EC_PUBLIC_KEY = {
    0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01
  };

  private Pem() {}

  /** Every {@code CERTIFICATE} block, in order; at least one. */
  public static List<X509Certificate> certificates(String pem) {
    List<X509Certificate> certificates = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (Block block : blocks(pem)) {
        if (block.type().equals("CERTIFICATE")) {
          certificates.add(
              (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
        }
      }
    } catch (CertificateException e) {
      throw new IllegalArgumentException("not a valid certificate: " + e.getMessage(), e);
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException("no -----BEGIN CERTIFICATE----- block");
    }
    return List.copyOf(certificates);
  }

  /** The one private key of {@code pem}. */
  public static PrivateKey privateKey(String pem) {
    for (Block block : blocks(pem)) {
      switch (block.type()) {
        case "PRIVATE KEY":
          return pkcs8(block.der());
        case "RSA PRIVATE KEY":
          return pkcs8(
              DerWriter.sequence(integer0(), RSA_ALGORITHM, DerWriter.tlv(0x04, block.der())));
        case "EC PRIVATE KEY":
          return pkcs8(
              DerWriter.sequence(
                  integer0(),
                  DerWriter.sequence(EC_PUBLIC_KEY, sec1Curve(block.der())),
                  DerWriter.tlv(0x04, block.der())));
        case "ENCRYPTED PRIVATE KEY":
          throw new IllegalArgumentException("the private key is encrypted; give it unencrypted");
        default:
          // certificates and parameters beside the key
      }
    }
    throw new IllegalArgumentException(
        "no -----BEGIN PRIVATE KEY-----, RSA PRIVATE KEY or EC PRIVATE KEY block");
  }

  /** The PEM text of a certificate. */
  public static String encode(X509Certificate certificate) {
    try {
      return "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
              .encodeToString(certificate.getEncoded())
          + "\n-----END CERTIFICATE-----\n";
    } catch (CertificateException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private record Block(String type, byte[] der) {}

  private static List<Block> blocks(String pem) {
    List<Block> blocks = new ArrayList<>();
    Matcher matcher = BLOCK.matcher(pem == null ? "" : pem);
    while (matcher.find()) {
      byte[] der;
      try {
        der = Base64.getMimeDecoder().decode(matcher.group(2));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("bad base64 in a " + matcher.group(1) + " block", e);
      }
      blocks.add(new Block(matcher.group(1), der));
    }
    return blocks;
  }

  private static PrivateKey pkcs8(byte[] der) {
    for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException | RuntimeException e) {
        // try the next algorithm
      }
    }
    throw new IllegalArgumentException("not an RSA, EC or EdDSA private key");
  }

  /**
   * The curve of a SEC1 ECPrivateKey: {@code SEQUENCE {version, privateKey, [0] parameters, [1]
   * publicKey}}, the OID inside {@code [0]}, as a whole TLV.
   */
  private static byte[] sec1Curve(byte[] der) {
    Der outer = new Der(der, 0);
    if (outer.tag != 0x30) {
      throw new IllegalArgumentException("an EC PRIVATE KEY block that is not a SEQUENCE");
    }
    int at = outer.valueStart;
    while (at < outer.end()) {
      Der field = new Der(der, at);
      if (field.tag == 0xa0) {
        Der oid = new Der(der, field.valueStart);
        if (oid.tag != 0x06) {
          break;
        }
        return Arrays.copyOfRange(der, field.valueStart, oid.end());
      }
      at = field.end();
    }
    throw new IllegalArgumentException(
        "the EC PRIVATE KEY names no curve; give it as PKCS#8 (-----BEGIN PRIVATE KEY-----)");
  }

  /** One DER element at {@code offset}: its tag, where its value starts, and its length. */
  private static final class Der {
    final int tag;
    final int valueStart;
    final int length;

    Der(byte[] der, int offset) {
      if (offset + 2 > der.length) {
        throw new IllegalArgumentException("truncated DER");
      }
      tag = der[offset] & 0xff;
      int first = der[offset + 1] & 0xff;
      if (first < 0x80) {
        length = first;
        valueStart = offset + 2;
      } else {
        int bytes = first & 0x7f;
        if (bytes == 0 || bytes > 3 || offset + 2 + bytes > der.length) {
          throw new IllegalArgumentException("bad DER length");
        }
        int value = 0;
        for (int i = 0; i < bytes; i++) {
          value = value << 8 | der[offset + 2 + i] & 0xff;
        }
        length = value;
        valueStart = offset + 2 + bytes;
      }
      if (valueStart + length > der.length) {
        throw new IllegalArgumentException("truncated DER");
      }
    }

    int end() {
      return valueStart + length;
    }
  }

  private static byte[] integer0() {
    return new byte[] {0x02, 0x01, 0x00};
  }
}
