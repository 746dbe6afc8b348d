package dev.vigil.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.SecretKeySelector;

/**
 * TLS settings for a scrape or a remote write, as prometheus-operator's TLSConfig. Keys of Secrets
 * and ConfigMaps are mounted into the Prometheus pods; file paths must exist there.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!(has(self.ca) && has(self.caFile))",
    message = "tlsConfig: set ca or caFile, not both")
@ValidationRule(
    value = "(has(self.cert) || has(self.certFile)) == (has(self.keySecret) || has(self.keyFile))",
    message =
        "tlsConfig: a client certificate (cert or certFile) needs its key (keySecret or"
            + " keyFile), and a key needs its certificate")
public class TLSConfig {
  @JsonPropertyDescription("Certificate authority used to verify the server's certificate.")
  public SecretOrConfigMap ca;

  @JsonPropertyDescription("Client certificate presented to the server.")
  public SecretOrConfigMap cert;

  @JsonPropertyDescription("Secret key holding the client certificate's private key.")
  public SecretKeySelector keySecret;

  @JsonPropertyDescription("Path, inside the Prometheus container, of the CA certificate.")
  public String caFile;

  @JsonPropertyDescription("Path, inside the Prometheus container, of the client certificate.")
  public String certFile;

  @JsonPropertyDescription("Path, inside the Prometheus container, of the client key.")
  public String keyFile;

  @JsonPropertyDescription("Server name used to verify the certificate (SNI).")
  public String serverName;

  @JsonPropertyDescription("Skip verification of the server's certificate. Avoid in production.")
  public Boolean insecureSkipVerify;

  @JsonPropertyDescription("Lowest TLS version accepted: TLS10, TLS11, TLS12 or TLS13.")
  public TLSVersion minVersion;

  @JsonPropertyDescription("Highest TLS version accepted: TLS10, TLS11, TLS12 or TLS13.")
  public TLSVersion maxVersion;

  public enum TLSVersion {
    TLS10,
    TLS11,
    TLS12,
    TLS13
  }
}
