package dev.vigil.reconcilers.references;

import java.util.Comparator;
import java.util.regex.Pattern;

/**
 * A key of a Secret or ConfigMap that the rendered {@code prometheus.yml} reads as a file, and the
 * one place that says where such a file lives in the Prometheus container:
 *
 * <pre>
 *   /etc/prometheus/secrets/&lt;namespace&gt;/&lt;secret&gt;/&lt;key&gt;
 *   /etc/prometheus/configmaps/&lt;namespace&gt;/&lt;configmap&gt;/&lt;key&gt;
 * </pre>
 *
 * The namespace is part of the path because monitors in any namespace may reference their own
 * Secrets, while a pod can only mount Secrets of its own namespace: whoever builds the shard's pod
 * copies exactly the keys the renderer reports into the stack's namespace and projects each one at
 * {@link #path()}. Credentials are therefore never inlined in the configuration.
 *
 * @param source Secret or ConfigMap
 * @param namespace namespace of the object (the monitor's, or the stack's for remote write)
 * @param name name of the object
 * @param key key in its data
 */
public record MountedKey(Source source, String namespace, String name, String key)
    implements Comparable<MountedKey> {
  public static final String SECRETS_DIR = "/etc/prometheus/secrets";
  public static final String CONFIG_MAPS_DIR = "/etc/prometheus/configmaps";

  /** Where the key comes from. */
  public enum Source {
    SECRET,
    CONFIG_MAP
  }

  /** DNS-1123 subdomain: what Kubernetes accepts as a namespace, Secret or ConfigMap name. */
  private static final Pattern OBJECT_NAME =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  /** What Kubernetes accepts as a Secret or ConfigMap key; never {@code .} or {@code ..}. */
  private static final Pattern DATA_KEY = Pattern.compile("(?!\\.\\.?$)(?!\\.\\.)[-._a-zA-Z0-9]+");

  private static final Comparator<MountedKey> ORDER =
      Comparator.comparing(MountedKey::source)
          .thenComparing(MountedKey::namespace)
          .thenComparing(MountedKey::name)
          .thenComparing(MountedKey::key);

  /**
   * @throws IllegalArgumentException when a part is not a valid Kubernetes name or key, so that no
   *     reference can make a path outside its directory
   */
  public MountedKey {
    if (source == null) {
      throw new IllegalArgumentException("source is required");
    }
    check(namespace, OBJECT_NAME, "namespace");
    check(name, OBJECT_NAME, source == Source.SECRET ? "Secret name" : "ConfigMap name");
    check(key, DATA_KEY, "key");
  }

  public static MountedKey secret(String namespace, String name, String key) {
    return new MountedKey(Source.SECRET, namespace, name, key);
  }

  public static MountedKey configMap(String namespace, String name, String key) {
    return new MountedKey(Source.CONFIG_MAP, namespace, name, key);
  }

  /** The file, inside the Prometheus container, holding this key's value. */
  public String path() {
    String dir = source == Source.SECRET ? SECRETS_DIR : CONFIG_MAPS_DIR;
    return dir + "/" + relativePath();
  }

  /**
   * {@code <namespace>/<name>/<key>}: where the file lies below the directory of its source, for
   * containers other than Prometheus that mount keys the same way under their own directories
   * (Alertmanager's {@code /etc/alertmanager/secrets}).
   */
  public String relativePath() {
    return namespace + "/" + name + "/" + key;
  }

  /** {@code Secret shop/checkout-tls key ca.crt}, for messages. */
  public String describe() {
    return (source == Source.SECRET ? "Secret " : "ConfigMap ")
        + namespace
        + "/"
        + name
        + " key "
        + key;
  }

  @Override
  public int compareTo(MountedKey other) {
    return ORDER.compare(this, other);
  }

  private static void check(String value, Pattern pattern, String what) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(what + " is missing");
    }
    if (value.length() > 253 || !pattern.matcher(value).matches()) {
      throw new IllegalArgumentException(
          what + " \"" + value + "\" is not a valid Kubernetes " + what.toLowerCase());
    }
  }
}
