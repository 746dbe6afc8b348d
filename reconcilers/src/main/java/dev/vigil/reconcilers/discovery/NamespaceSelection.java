package dev.vigil.reconcilers.discovery;

import dev.vigil.api.v1alpha1.common.NamespaceSelector;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespace;
import java.util.Collection;
import java.util.SortedSet;
import java.util.TreeSet;

/** The namespaces a scrape job looks in. */
public sealed interface NamespaceSelection {

  /** Every namespace the snapshot knows ({@link ClusterSnapshot#namespaceNames()}). */
  record All() implements NamespaceSelection {
    @Override
    public boolean selects(String namespace, ClusterSnapshot snapshot) {
      return true;
    }

    @Override
    public SortedSet<String> candidates(ClusterSnapshot snapshot) {
      return snapshot.namespaceNames();
    }
  }

  /** These namespaces, whether or not their Namespace objects are cached. */
  record Names(SortedSet<String> names) implements NamespaceSelection {
    public Names {
      names = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(names));
    }

    @Override
    public boolean selects(String namespace, ClusterSnapshot snapshot) {
      return names.contains(namespace);
    }

    @Override
    public SortedSet<String> candidates(ClusterSnapshot snapshot) {
      return names;
    }
  }

  /** The namespaces whose cached Namespace object carries matching labels. */
  record Matching(LabelSelection selection) implements NamespaceSelection {
    @Override
    public boolean selects(String namespace, ClusterSnapshot snapshot) {
      return snapshot
          .namespace(namespace)
          .map(Namespace::getMetadata)
          .map(meta -> selection.matches(meta.getLabels()))
          .orElse(false);
    }

    @Override
    public SortedSet<String> candidates(ClusterSnapshot snapshot) {
      SortedSet<String> selected = new TreeSet<>();
      for (String name : snapshot.namespaceNames()) {
        if (selects(name, snapshot)) {
          selected.add(name);
        }
      }
      return selected;
    }
  }

  /**
   * What a platform stack selects when namespaces must opt in (docs/tenancy.md): its own namespace
   * and, of the others {@code inner} selects, those whose Namespace carries the annotation {@value
   * #SELECTABLE_BY} naming the stack ({@code <namespace>/<name>}, comma-separated) or {@code *}.
   */
  record OptedIn(NamespaceSelection inner, String stackNamespace, String stackName)
      implements NamespaceSelection {
    /** The annotation by which a namespace opts in to being selected by platform stacks. */
    public static final String SELECTABLE_BY = "monitoring.vigil.dev/selectable-by";

    @Override
    public boolean selects(String namespace, ClusterSnapshot snapshot) {
      return inner.selects(namespace, snapshot)
          && (namespace.equals(stackNamespace)
              || snapshot
                  .namespace(namespace)
                  .map(Namespace::getMetadata)
                  .map(meta -> meta.getAnnotations() == null ? null : meta.getAnnotations())
                  .map(annotations -> optsIn(annotations.get(SELECTABLE_BY)))
                  .orElse(false));
    }

    @Override
    public SortedSet<String> candidates(ClusterSnapshot snapshot) {
      SortedSet<String> selected = new TreeSet<>();
      for (String name : inner.candidates(snapshot)) {
        if (selects(name, snapshot)) {
          selected.add(name);
        }
      }
      return selected;
    }

    /** Whether the annotation's value names this stack, or {@code *}. */
    boolean optsIn(String annotation) {
      if (annotation == null) {
        return false;
      }
      for (String entry : annotation.split(",")) {
        String stack = entry.trim();
        if (stack.equals("*") || stack.equals(stackNamespace + "/" + stackName)) {
          return true;
        }
      }
      return false;
    }
  }

  boolean selects(String namespace, ClusterSnapshot snapshot);

  /** The namespaces to search: a superset of those {@link #selects} accepts. */
  SortedSet<String> candidates(ClusterSnapshot snapshot);

  static NamespaceSelection all() {
    return new All();
  }

  static NamespaceSelection names(Collection<String> names) {
    return new Names(new TreeSet<>(names));
  }

  /**
   * A ServiceMonitor's or PodMonitor's {@code namespaceSelector}, as prometheus-operator reads it:
   * {@code any: true} → all; non-empty {@code matchNames} → those; otherwise the monitor's own
   * namespace.
   */
  static NamespaceSelection ofMonitor(NamespaceSelector selector, String monitorNamespace) {
    if (selector != null && Boolean.TRUE.equals(selector.any)) {
      return all();
    }
    if (selector != null && selector.matchNames != null && !selector.matchNames.isEmpty()) {
      return names(selector.matchNames);
    }
    return names(java.util.List.of(monitorNamespace));
  }

  /**
   * A MonitoringStack's namespace label selector (as in {@code monitorSelector.namespaceSelector}):
   * absent → the stack's own namespace; empty ({@code {}}) → all; otherwise the namespaces whose
   * labels match.
   *
   * @throws IllegalArgumentException when the selector is invalid
   */
  static NamespaceSelection ofLabelSelector(LabelSelector selector, String ownNamespace) {
    if (selector == null) {
      return names(java.util.List.of(ownNamespace));
    }
    LabelSelection selection = LabelSelection.of(selector);
    if (selection.equals(LabelSelection.EVERYTHING)) {
      return all();
    }
    return new Matching(selection);
  }
}
