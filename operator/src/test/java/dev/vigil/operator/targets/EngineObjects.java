package dev.vigil.operator.targets;

import dev.vigil.api.v1alpha1.alertpolicy.AlertPolicy;
import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.podmonitor.PodMonitor;
import dev.vigil.api.v1alpha1.servicemonitor.ServiceMonitor;
import dev.vigil.reconcilers.discovery.InMemoryClusterSnapshot;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;
import java.util.TreeMap;

/** The engine's parts' objects, written as YAML as a user would write them. */
final class EngineObjects {
  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  private EngineObjects() {}

  static MonitoringStack stack(String yaml) {
    return YAML.unmarshal(yaml, MonitoringStack.class);
  }

  static ServiceMonitor serviceMonitor(String yaml) {
    return YAML.unmarshal(yaml, ServiceMonitor.class);
  }

  static PodMonitor podMonitor(String yaml) {
    return YAML.unmarshal(yaml, PodMonitor.class);
  }

  static AlertPolicy policy(String yaml) {
    return YAML.unmarshal(yaml, AlertPolicy.class);
  }

  /** A prometheus-operator ServiceMonitor, converted as the engine converts it. */
  static ServiceMonitor coreosServiceMonitor(String yaml) {
    return PrometheusOperatorObjects.serviceMonitor(
        YAML.unmarshal(yaml, GenericKubernetesResource.class));
  }

  static Namespace namespace(String name, Map<String, String> labels) {
    Namespace namespace = new Namespace();
    namespace.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMeta());
    namespace.getMetadata().setName(name);
    namespace.getMetadata().setLabels(labels);
    return namespace;
  }

  static InMemoryClusterSnapshot snapshot(Namespace... namespaces) {
    InMemoryClusterSnapshot snapshot = new InMemoryClusterSnapshot();
    for (Namespace namespace : namespaces) {
      snapshot.put(namespace);
    }
    return snapshot;
  }

  /** Stacks by "namespace/name", as the engine keeps them. */
  static Map<String, MonitoringStack> byKey(MonitoringStack... stacks) {
    Map<String, MonitoringStack> byKey = new TreeMap<>();
    for (MonitoringStack stack : stacks) {
      byKey.put(key(stack), stack);
    }
    return byKey;
  }

  static String key(HasMetadata object) {
    return object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
  }
}
