package dev.vigil.api.v1alpha1.common;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads quantities as the API server stores them. The CRDs type a quantity as int-or-string with no
 * pattern, as Kubernetes' own types do, so {@code size: ""} is accepted; fabric8's own reader
 * throws on the empty string, which failed the operator's watch of the whole kind and stopped the
 * operator. These readers keep any value as it is written; the reconcilers report the invalid ones.
 */
public final class StoredQuantities {
  private StoredQuantities() {}

  /** A quantity from a JSON string or number, never refused. */
  public static Quantity quantity(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    Quantity quantity = new Quantity();
    quantity.setAmount(node.asText());
    return quantity;
  }

  private static Map<String, Quantity> quantities(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    Map<String, Quantity> quantities = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      quantities.put(entry.getKey(), quantity(entry.getValue()));
    }
    return quantities;
  }

  /** For a {@link Quantity} field. */
  public static final class QuantityReader extends JsonDeserializer<Quantity> {
    @Override
    public Quantity deserialize(JsonParser parser, DeserializationContext context)
        throws IOException {
      return quantity(parser.readValueAsTree());
    }
  }

  /** For a {@link ResourceRequirements} field: its requests and limits read as above. */
  public static final class ResourcesReader extends JsonDeserializer<ResourceRequirements> {
    @Override
    public ResourceRequirements deserialize(JsonParser parser, DeserializationContext context)
        throws IOException {
      JsonNode node = parser.readValueAsTree();
      if (!(node instanceof ObjectNode object)) {
        return context.readTreeAsValue(node, ResourceRequirements.class);
      }
      JsonNode requests = object.remove("requests");
      JsonNode limits = object.remove("limits");
      ResourceRequirements resources = context.readTreeAsValue(object, ResourceRequirements.class);
      resources.setRequests(quantities(requests));
      resources.setLimits(quantities(limits));
      return resources;
    }
  }
}
