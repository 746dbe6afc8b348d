package dev.vigil.reconcilers.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Packs rule files into ConfigMaps, each under the size an object may have (1 MiB, with room for
 * metadata): files in key order, a new ConfigMap when the next file would not fit. The same files
 * give the same ConfigMaps.
 */
public final class RuleConfigMaps {
  /** What the data of one ConfigMap may hold; the rest of the 1 MiB is for metadata. */
  public static final int MAX_BYTES = 900 * 1024;

  private RuleConfigMaps() {}

  /**
   * @param files rule file contents by key
   * @return the data of each ConfigMap, in order; none when there are no files
   * @throws IllegalArgumentException when one file alone is larger than {@code maxBytes}
   */
  public static List<Map<String, String>> pack(Map<String, String> files, int maxBytes) {
    List<Map<String, String>> configMaps = new ArrayList<>();
    Map<String, String> current = new TreeMap<>();
    int size = 0;
    for (Map.Entry<String, String> file : new TreeMap<>(files).entrySet()) {
      int bytes = size(file.getKey(), file.getValue());
      if (bytes > maxBytes) {
        throw new IllegalArgumentException(
            file.getKey()
                + " is "
                + bytes
                + " bytes, more than a ConfigMap holds ("
                + maxBytes
                + ")");
      }
      if (size + bytes > maxBytes) {
        configMaps.add(current);
        current = new TreeMap<>();
        size = 0;
      }
      current.put(file.getKey(), file.getValue());
      size += bytes;
    }
    if (!current.isEmpty()) {
      configMaps.add(current);
    }
    return configMaps;
  }

  static int size(String key, String value) {
    return key.length() + value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }
}
