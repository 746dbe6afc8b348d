package dev.vigil.reconcilers.monitoringstack;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** The per-shard objects of a stack, keyed as JOSDK's bulk dependents key them. */
final class ShardObjects {
  private ShardObjects() {}

  static <R extends HasMetadata> Map<ResourceID, R> byId(Collection<R> objects) {
    Map<ResourceID, R> byId = new LinkedHashMap<>();
    objects.forEach(o -> byId.put(ResourceID.fromResource(o), o));
    return byId;
  }
}
