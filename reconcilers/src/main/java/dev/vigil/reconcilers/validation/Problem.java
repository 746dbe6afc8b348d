package dev.vigil.reconcilers.validation;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One thing wrong with an object that its schema cannot catch: the field it is at, and a sentence
 * that starts with that field and says what to fix, as the object's status, its Events and an
 * admission webhook's refusal say it.
 *
 * @param field the path of the field in the object, e.g. {@code spec.endpoints[0].relabelings[2]}
 * @param message the whole sentence, e.g. {@code spec.endpoints[0].relabelings[2].regex "(a" is not
 *     a valid regular expression: missing closing )}
 */
public record Problem(String field, String message) {
  private static final Pattern FIELD = Pattern.compile("^[\\w.\\[\\]-]+");

  /** A problem from its sentence, which starts with the field's path. */
  public static Problem of(String message) {
    Matcher field = FIELD.matcher(message);
    return new Problem(field.find() ? field.group() : "", message);
  }

  /** Problems from sentences that each start with their field's path. */
  public static List<Problem> of(List<String> messages) {
    return messages.stream().map(Problem::of).toList();
  }

  /** The sentences, in order. */
  public static List<String> messages(List<Problem> problems) {
    return problems.stream().map(Problem::message).toList();
  }
}
