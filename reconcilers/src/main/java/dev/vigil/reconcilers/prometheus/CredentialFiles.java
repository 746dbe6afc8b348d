package dev.vigil.reconcilers.prometheus;

import dev.vigil.api.v1alpha1.common.SafeAuthorization;
import dev.vigil.api.v1alpha1.common.SecretOrConfigMap;
import dev.vigil.api.v1alpha1.common.TLSConfig;
import dev.vigil.reconcilers.config.PartLeftOut;
import dev.vigil.reconcilers.httpclient.Authorization;
import dev.vigil.reconcilers.httpclient.BasicAuth;
import dev.vigil.reconcilers.httpclient.OAuth2;
import dev.vigil.reconcilers.httpclient.TlsConfig;
import dev.vigil.reconcilers.references.MountedKey;
import dev.vigil.reconcilers.references.ValueLookup;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Turns the Secret and ConfigMap references of one object (a monitor, a remote write) into the file
 * paths of {@link MountedKey}, remembering every key it used. One instance per object: when the
 * object is rejected its keys are dropped with it, so the shard mounts exactly what its
 * configuration reads.
 */
final class CredentialFiles {
  private final String namespace;
  private final ValueLookup values;
  private final Predicate<MountedKey> exists;
  private final boolean filePathsAllowed;
  private final SortedSet<MountedKey> used = new TreeSet<>();

  /**
   * @param namespace the namespace every reference of the object resolves in
   * @param values reads the few values Prometheus cannot take from a file
   * @param exists whether a referenced key exists
   * @param filePathsAllowed whether the object may name a file in the Prometheus container
   */
  CredentialFiles(
      String namespace,
      ValueLookup values,
      Predicate<MountedKey> exists,
      boolean filePathsAllowed) {
    this.namespace = namespace;
    this.values = values;
    this.exists = exists;
    this.filePathsAllowed = filePathsAllowed;
  }

  /**
   * A file the object names in the Prometheus container, when it may name one: another team's
   * credentials and the stack's own discovery token are files there too.
   */
  String filePath(String path, String field) {
    if (path != null && !filePathsAllowed) {
      throw new PartLeftOut(
          field
              + ": file paths are refused outside the platform namespaces, as they could read"
              + " another team's credentials from the Prometheus container; reference a Secret"
              + " key instead (or have the operator started with --allow-file-paths=true)");
    }
    return path;
  }

  /** The keys referenced so far, in order. */
  SortedSet<MountedKey> used() {
    return Collections.unmodifiableSortedSet(used);
  }

  /** The file holding a Secret key. */
  String secret(SecretKeySelector selector, String field) {
    if (selector == null) {
      throw new PartLeftOut(field + ": a Secret key reference is required");
    }
    return mount(
        key(field, () -> MountedKey.secret(namespace, selector.getName(), selector.getKey())),
        field);
  }

  /** The file holding a Secret or ConfigMap key. */
  String secretOrConfigMap(SecretOrConfigMap ref, String field) {
    return mount(key(ref, field), field);
  }

  /** {@code tls_config} from a TLSConfig: referenced keys become files, file paths pass through. */
  TlsConfig tls(TLSConfig tls, String field) {
    if (tls == null) {
      return null;
    }
    if (tls.ca != null && tls.caFile != null) {
      throw new PartLeftOut(field + ": set ca or caFile, not both");
    }
    if (tls.cert != null && tls.certFile != null) {
      throw new PartLeftOut(field + ": set cert or certFile, not both");
    }
    if (tls.keySecret != null && tls.keyFile != null) {
      throw new PartLeftOut(field + ": set keySecret or keyFile, not both");
    }
    String ca =
        tls.ca != null
            ? secretOrConfigMap(tls.ca, field + ".ca")
            : filePath(tls.caFile, field + ".caFile");
    String cert =
        tls.cert != null
            ? secretOrConfigMap(tls.cert, field + ".cert")
            : filePath(tls.certFile, field + ".certFile");
    String key =
        tls.keySecret != null
            ? secret(tls.keySecret, field + ".keySecret")
            : filePath(tls.keyFile, field + ".keyFile");
    if ((cert == null) != (key == null)) {
      throw new PartLeftOut(
          field + ": a client certificate needs its key and a key needs its certificate");
    }
    if (tls.minVersion != null
        && tls.maxVersion != null
        && tls.minVersion.compareTo(tls.maxVersion) > 0) {
      throw new PartLeftOut(field + ": minVersion is higher than maxVersion");
    }
    return new TlsConfig(
        ca,
        cert,
        key,
        tls.serverName,
        tls.insecureSkipVerify,
        tls.minVersion == null ? null : tls.minVersion.name(),
        tls.maxVersion == null ? null : tls.maxVersion.name());
  }

  /** {@code basic_auth} with {@code username_file} and {@code password_file}. */
  BasicAuth basicAuth(dev.vigil.api.v1alpha1.common.BasicAuth auth, String field) {
    return new BasicAuth(
        secret(auth.username, field + ".username"), secret(auth.password, field + ".password"));
  }

  /** {@code authorization} with {@code credentials_file}; the type defaults to Bearer. */
  Authorization authorization(SafeAuthorization auth, String field) {
    if (auth.type != null && auth.type.equalsIgnoreCase("basic")) {
      throw new PartLeftOut(field + ".type: Basic is not allowed, use basicAuth");
    }
    return new Authorization(
        auth.type == null ? "Bearer" : auth.type, secret(auth.credentials, field + ".credentials"));
  }

  /** {@code authorization: {type: Bearer}} from a Secret key holding a bearer token. */
  Authorization bearerToken(SecretKeySelector token, String field) {
    return new Authorization("Bearer", secret(token, field));
  }

  /**
   * {@code oauth2}: the client secret from a file; the client ID inline, read through the lookup
   * because Prometheus has no {@code client_id_file}.
   */
  OAuth2 oauth2(dev.vigil.api.v1alpha1.common.OAuth2 oauth2, String field) {
    if (oauth2.tokenUrl == null || oauth2.tokenUrl.isBlank()) {
      throw new PartLeftOut(field + ".tokenUrl is required");
    }
    return new OAuth2(
        clientId(oauth2.clientId, field + ".clientId"),
        secret(oauth2.clientSecret, field + ".clientSecret"),
        oauth2.tokenUrl,
        oauth2.scopes,
        oauth2.endpointParams);
  }

  private String clientId(SecretOrConfigMap ref, String field) {
    MountedKey key = key(ref, field);
    return values
        .value(key)
        .filter(v -> !v.isBlank())
        .orElseThrow(
            () -> new PartLeftOut(field + ": " + key.describe() + " does not exist or is empty"));
  }

  /** A key the configuration reads as a file; one that does not exist rejects the object. */
  private String mount(MountedKey key, String field) {
    if (!exists.test(key)) {
      throw new PartLeftOut(field + ": " + key.describe() + " does not exist");
    }
    used.add(key);
    return key.path();
  }

  private MountedKey key(SecretOrConfigMap ref, String field) {
    if (ref == null || (ref.secret == null) == (ref.configMap == null)) {
      throw new PartLeftOut(field + ": set exactly one of secret or configMap");
    }
    if (ref.secret != null) {
      var secret = ref.secret;
      return key(
          field + ".secret", () -> MountedKey.secret(namespace, secret.getName(), secret.getKey()));
    }
    var configMap = ref.configMap;
    return key(
        field + ".configMap",
        () -> MountedKey.configMap(namespace, configMap.getName(), configMap.getKey()));
  }

  /** The key, or the reason it is not a valid Kubernetes reference. */
  private static MountedKey key(String field, Supplier<MountedKey> key) {
    try {
      return key.get();
    } catch (IllegalArgumentException e) {
      throw new PartLeftOut(field + ": " + e.getMessage());
    }
  }
}
