package dev.vigil.operator.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * The RFC 6902 JSON Patch that turns one JSON document into another, as a mutating webhook answers
 * the API server. Objects are compared key by key (keys removed, added, changed); an array that
 * differs is replaced whole, which is exact and keeps the patch simple (a pod's containers, env and
 * volumes are short).
 */
final class JsonPatch {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonPatch() {}

  /** The operations that make {@code before} into {@code after}; an empty array when equal. */
  static ArrayNode diff(JsonNode before, JsonNode after) {
    ArrayNode operations = JSON.createArrayNode();
    diff("", before, after, operations);
    return operations;
  }

  private static void diff(String path, JsonNode before, JsonNode after, ArrayNode operations) {
    if (before.equals(after)) {
      return;
    }
    if (before instanceof ObjectNode from && after instanceof ObjectNode to) {
      for (Iterator<String> names = from.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!to.has(name)) {
          operations.addObject().put("op", "remove").put("path", path + "/" + escape(name));
        }
      }
      for (Iterator<Map.Entry<String, JsonNode>> fields = to.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        String child = path + "/" + escape(field.getKey());
        JsonNode old = from.get(field.getKey());
        if (old == null) {
          operations.addObject().put("op", "add").put("path", child).set("value", field.getValue());
        } else {
          diff(child, old, field.getValue(), operations);
        }
      }
      return;
    }
    operations.addObject().put("op", "replace").put("path", path).set("value", after);
  }

  /** RFC 6901: {@code ~} as {@code ~0}, {@code /} as {@code ~1}. */
  static String escape(String name) {
    return name.replace("~", "~0").replace("/", "~1");
  }
}
