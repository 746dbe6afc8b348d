package dev.vigil.reconcilers.discovery;

import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One Prometheus target group, as http_sd serves it: addresses and the labels they share. Labels
 * are sorted so the same group always serializes to the same bytes.
 *
 * @param targets host:port addresses (or a bare host when the port is unknown)
 * @param labels {@code __meta_kubernetes_*} and other labels, sorted by name
 */
public record TargetGroup(List<String> targets, SortedMap<String, String> labels) {
  public TargetGroup {
    targets = List.copyOf(targets);
    labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
  }
}
