package dev.vigil.operator.servicediscovery;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.vigil.reconcilers.discovery.TargetGroup;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The http_sd body: {@code [{"targets": [...], "labels": {...}}, ...]}, written with Jackson's
 * streaming generator (no tree, no reflection) in the groups' order and the labels' sorted order,
 * so equal groups always give equal bytes.
 */
final class TargetGroupsJson {
  private static final JsonFactory JSON = new JsonFactory();

  private TargetGroupsJson() {}

  static byte[] write(List<TargetGroup> groups) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + groups.size() * 512);
    try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      json.writeStartArray();
      for (TargetGroup group : groups) {
        json.writeStartObject();
        json.writeArrayFieldStart("targets");
        for (String target : group.targets()) {
          json.writeString(target);
        }
        json.writeEndArray();
        json.writeObjectFieldStart("labels");
        for (Map.Entry<String, String> label : group.labels().entrySet()) {
          json.writeStringField(label.getKey(), label.getValue());
        }
        json.writeEndObject();
        json.writeEndObject();
      }
      json.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
