package dev.vigil.reconcilers.references;

/**
 * A Secret or ConfigMap that a configuration reads keys of.
 *
 * @param source Secret or ConfigMap
 * @param namespace its namespace
 * @param name its name
 */
public record ReferencedObject(MountedKey.Source source, String namespace, String name) {
  public static ReferencedObject of(MountedKey key) {
    return new ReferencedObject(key.source(), key.namespace(), key.name());
  }

  @Override
  public String toString() {
    return (source == MountedKey.Source.SECRET ? "Secret " : "ConfigMap ") + namespace + "/" + name;
  }
}
