package dev.vigil.e2e.harness;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A container's environment as the kubelet builds it when it starts the container, for a pod whose
 * spec says so: each variable in order, a {@code fieldRef} read from the pod ({@code
 * metadata.name}, {@code metadata.namespace}, {@code metadata.uid}, {@code spec.nodeName}, {@code
 * spec.serviceAccountName}, {@code status.hostIP}, {@code status.podIP}), then {@code $(VAR)}
 * references expanded against the variables defined before it ({@code $$} is a literal {@code $}; a
 * reference to an unknown variable stays as written), as Kubernetes' {@code
 * third_party/forked/golang/expansion} does. Secrets, ConfigMaps and resource fields are not
 * resolved: a container that needs them fails here, loudly.
 */
public final class KubeletEnv {
  private KubeletEnv() {}

  /**
   * The environment of {@code container} in {@code pod} once scheduled on {@code nodeName}, with
   * {@code hostIp} and {@code podIp} as the pod's status would carry them.
   */
  public static Map<String, String> of(
      Pod pod, Container container, String nodeName, String hostIp, String podIp) {
    Map<String, String> env = new LinkedHashMap<>();
    if (container.getEnv() == null) {
      return env;
    }
    for (EnvVar var : container.getEnv()) {
      String value;
      if (var.getValueFrom() != null) {
        ObjectFieldSelector field = var.getValueFrom().getFieldRef();
        if (field == null) {
          throw new IllegalArgumentException(
              var.getName() + ": only fieldRef is resolved here, not " + var.getValueFrom());
        }
        value =
            switch (field.getFieldPath()) {
              case "metadata.name" -> pod.getMetadata().getName();
              case "metadata.namespace" -> pod.getMetadata().getNamespace();
              case "metadata.uid" -> pod.getMetadata().getUid();
              case "spec.nodeName" -> nodeName;
              case "spec.serviceAccountName" ->
                  pod.getSpec().getServiceAccountName() == null
                      ? "default"
                      : pod.getSpec().getServiceAccountName();
              case "status.hostIP" -> hostIp;
              case "status.podIP" -> podIp;
              default ->
                  throw new IllegalArgumentException(
                      var.getName() + ": fieldRef " + field.getFieldPath() + " not resolved here");
            };
      } else {
        value = expand(var.getValue() == null ? "" : var.getValue(), env);
      }
      env.put(var.getName(), value == null ? "" : value);
    }
    return env;
  }

  /** {@code $(VAR)} references in {@code input} expanded against {@code defined}. */
  public static String expand(String input, Map<String, String> defined) {
    StringBuilder out = new StringBuilder(input.length());
    int i = 0;
    while (i < input.length()) {
      char c = input.charAt(i);
      if (c != '$' || i + 1 >= input.length()) {
        out.append(c);
        i++;
        continue;
      }
      char next = input.charAt(i + 1);
      if (next == '$') {
        out.append('$');
        i += 2;
      } else if (next == '(') {
        int close = input.indexOf(')', i + 2);
        if (close < 0) {
          out.append(input, i, input.length());
          break;
        }
        String name = input.substring(i + 2, close);
        if (defined.containsKey(name)) {
          out.append(defined.get(name));
        } else {
          out.append(input, i, close + 1);
        }
        i = close + 1;
      } else {
        out.append('$').append(next);
        i += 2;
      }
    }
    return out.toString();
  }
}
