package dev.vigil.reconcilers.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Finds {@code null} items in a spec's lists. A real API server refuses them (every item has a
 * type), but an API server without the CRD's schema (an old CRD, a test server) stores them, and
 * code that walks a list of rules or endpoints should not have to expect holes.
 */
public final class NullListItems {
  private static final ObjectMapper JSON = new ObjectMapper();

  private NullListItems() {}

  /** One problem per null item, naming its path under {@code path}, e.g. {@code spec.groups[1]}. */
  public static List<String> problems(String path, Object spec) {
    List<String> problems = new ArrayList<>();
    if (spec != null) {
      walk(path, JSON.valueToTree(spec), problems);
    }
    return problems;
  }

  private static void walk(String path, JsonNode node, List<String> problems) {
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        String at = path + "[" + i + "]";
        if (node.get(i).isNull()) {
          problems.add(at + " is an empty item: remove it or fill it in");
        } else {
          walk(at, node.get(i), problems);
        }
      }
    } else if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        walk(path + "." + field.getKey(), field.getValue(), problems);
      }
    }
  }
}
