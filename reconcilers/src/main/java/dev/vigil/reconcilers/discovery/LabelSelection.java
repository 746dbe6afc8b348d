package dev.vigil.reconcilers.discovery;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A Kubernetes label selector as a value: {@code matchLabels} and {@code matchExpressions} (In,
 * NotIn, Exists, DoesNotExist) with the API server's meaning. An empty selection matches every
 * object.
 *
 * @param matchLabels labels an object must carry with exactly these values
 * @param requirements the expressions, all of which must hold
 */
public record LabelSelection(
    SortedMap<String, String> matchLabels, List<Requirement> requirements) {
  public static final LabelSelection EVERYTHING = new LabelSelection(new TreeMap<>(), List.of());

  public LabelSelection {
    matchLabels = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(matchLabels));
    requirements = List.copyOf(requirements);
  }

  /**
   * The selection a fabric8 {@link LabelSelector} describes; {@code null} selects everything, as a
   * prometheus-operator selector left at its zero value.
   *
   * @throws IllegalArgumentException naming the expression, when an operator is unknown or its
   *     values do not fit it (In/NotIn need values, Exists/DoesNotExist take none), or a label has
   *     no value
   */
  public static LabelSelection of(LabelSelector selector) {
    if (selector == null) {
      return EVERYTHING;
    }
    SortedMap<String, String> labels = new TreeMap<>();
    if (selector.getMatchLabels() != null) {
      for (Map.Entry<String, String> label : selector.getMatchLabels().entrySet()) {
        // Only a schema-less API server stores these; matching on them would throw.
        if (label.getKey() == null || label.getValue() == null) {
          throw new IllegalArgumentException(
              "matchLabels." + label.getKey() + " has no value: give it one or remove it");
        }
        labels.put(label.getKey(), label.getValue());
      }
    }
    List<Requirement> requirements = new ArrayList<>();
    List<LabelSelectorRequirement> expressions = selector.getMatchExpressions();
    for (int i = 0; expressions != null && i < expressions.size(); i++) {
      requirements.add(Requirement.of(expressions.get(i), "matchExpressions[" + i + "]"));
    }
    return new LabelSelection(labels, requirements);
  }

  /** Whether an object with these labels ({@code null} = none) is selected. */
  public boolean matches(Map<String, String> labels) {
    Map<String, String> actual = labels == null ? Map.of() : labels;
    for (Map.Entry<String, String> wanted : matchLabels.entrySet()) {
      if (!wanted.getValue().equals(actual.get(wanted.getKey()))) {
        return false;
      }
    }
    for (Requirement requirement : requirements) {
      if (!requirement.matches(actual)) {
        return false;
      }
    }
    return true;
  }

  /** Selector operators, as {@code metav1.LabelSelectorOperator}. */
  public enum Operator {
    In,
    NotIn,
    Exists,
    DoesNotExist
  }

  /**
   * One {@code matchExpressions} entry.
   *
   * @param key the label key
   * @param operator how the key's value is tested
   * @param values the values In and NotIn test against; empty for Exists and DoesNotExist
   */
  public record Requirement(String key, Operator operator, SortedSet<String> values) {
    public Requirement {
      values = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(values));
    }

    static Requirement of(LabelSelectorRequirement expression, String path) {
      String key = expression.getKey();
      if (key == null || key.isEmpty()) {
        throw new IllegalArgumentException(path + ": key must not be empty");
      }
      Operator operator;
      try {
        operator = Operator.valueOf(String.valueOf(expression.getOperator()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            path
                + ": operator "
                + expression.getOperator()
                + " is not one of In, NotIn, Exists, DoesNotExist",
            e);
      }
      SortedSet<String> values =
          new TreeSet<>(expression.getValues() == null ? List.of() : expression.getValues());
      boolean takesValues = operator == Operator.In || operator == Operator.NotIn;
      if (takesValues && values.isEmpty()) {
        throw new IllegalArgumentException(
            path + ": operator " + operator + " needs at least one value");
      }
      if (!takesValues && !values.isEmpty()) {
        throw new IllegalArgumentException(
            path + ": operator " + operator + " takes no values; remove them");
      }
      return new Requirement(key, operator, values);
    }

    boolean matches(Map<String, String> labels) {
      boolean present = labels.containsKey(key);
      return switch (operator) {
        case In -> present && values.contains(labels.get(key));
        case NotIn -> !present || !values.contains(labels.get(key));
        case Exists -> present;
        case DoesNotExist -> !present;
      };
    }
  }
}
