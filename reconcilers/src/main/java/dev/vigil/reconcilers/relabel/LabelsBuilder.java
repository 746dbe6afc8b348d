package dev.vigil.reconcilers.relabel;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Prometheus's {@code labels.Builder} ({@code model/labels/labels_common.go}): labels set and
 * deleted over a base set that is never copied, so relabeling a target with forty discovered labels
 * touches only the few its rules read and write. Setting an empty value deletes, as there. Not
 * thread-safe: one per target.
 */
final class LabelsBuilder {
  private final Map<String, String> base;
  private final LinkedHashMap<String, String> added = new LinkedHashMap<>();
  private final Set<String> deleted = new HashSet<>();

  /**
   * @param base the discovered group's labels; never modified
   */
  LabelsBuilder(Map<String, String> base) {
    this.base = base;
  }

  /** The label's value; empty when it is not set. */
  String get(String name) {
    String value = added.get(name);
    if (value != null) {
      return value;
    }
    if (deleted.contains(name)) {
      return "";
    }
    value = base.get(name);
    return value == null ? "" : value;
  }

  void set(String name, String value) {
    if (value == null || value.isEmpty()) {
      delete(name);
    } else {
      added.put(name, value);
    }
  }

  void delete(String name) {
    added.remove(name);
    deleted.add(name);
  }

  /** Calls {@code each} with every label as it is now, base ones first. */
  void forEach(java.util.function.BiConsumer<String, String> each) {
    for (Map.Entry<String, String> label : base.entrySet()) {
      String name = label.getKey();
      if (!label.getValue().isEmpty() && !added.containsKey(name) && !deleted.contains(name)) {
        each.accept(name, label.getValue());
      }
    }
    added.forEach(each);
  }

  /** Every label as it is now, base ones first; later changes do not affect the list. */
  List<Map.Entry<String, String>> labels() {
    List<Map.Entry<String, String>> labels = new ArrayList<>(base.size() + added.size());
    for (Map.Entry<String, String> label : base.entrySet()) {
      String name = label.getKey();
      if (!label.getValue().isEmpty() && !deleted.contains(name) && !added.containsKey(name)) {
        labels.add(label);
      }
    }
    for (Map.Entry<String, String> label : added.entrySet()) {
      labels.add(Map.entry(label.getKey(), label.getValue()));
    }
    return labels;
  }
}
