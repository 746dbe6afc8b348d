package dev.vigil.reconcilers.discovery;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vigil.reconcilers.discovery.DiscoveryJob.ByLabels;
import dev.vigil.reconcilers.discovery.DiscoveryJob.PortFilter;
import dev.vigil.reconcilers.discovery.DiscoveryJob.Role;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Test fixtures under {@code src/test/resources/discovery/} and small job builders. */
final class Fixtures {
  private static final KubernetesSerialization KUBERNETES = new KubernetesSerialization();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private Fixtures() {}

  /** The objects of a multi-document YAML fixture, in file order. */
  static List<HasMetadata> objects(String fixture) {
    try (InputStream in = open(fixture)) {
      Object parsed = KUBERNETES.unmarshal(in);
      List<HasMetadata> objects = new ArrayList<>();
      if (parsed instanceof List<?> list) {
        list.forEach(o -> objects.add((HasMetadata) o));
      } else {
        objects.add((HasMetadata) parsed);
      }
      return objects;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static <T extends HasMetadata> T object(String fixture, Class<T> kind, String name) {
    return objects(fixture).stream()
        .filter(kind::isInstance)
        .map(kind::cast)
        .filter(o -> o.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError(fixture + " has no " + kind + " " + name));
  }

  static InMemoryClusterSnapshot snapshot(String... fixtures) {
    InMemoryClusterSnapshot snapshot = new InMemoryClusterSnapshot();
    for (String fixture : fixtures) {
      snapshot.putAll(objects(fixture));
    }
    return snapshot;
  }

  /** Expected target groups, written in the http_sd shape ({@code targets}, {@code labels}). */
  static List<TargetGroup> expectedGroups(String fixture) {
    try (InputStream in = open(fixture)) {
      return YAML.readValue(in, new TypeReference<List<TargetGroup>>() {});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream open(String fixture) {
    InputStream in = Fixtures.class.getResourceAsStream("/discovery/" + fixture);
    if (in == null) {
      throw new AssertionError("no fixture discovery/" + fixture);
    }
    return in;
  }

  /** A ServiceMonitor-like job over all namespaces selecting every Service. */
  static DiscoveryJob serviceJob(Role role) {
    return serviceJob(role, PortFilter.ANY);
  }

  static DiscoveryJob serviceJob(Role role, PortFilter port) {
    return new DiscoveryJob(
        "serviceMonitor/test/all/0",
        role,
        NamespaceSelection.all(),
        new ByLabels(LabelSelection.EVERYTHING),
        port,
        true,
        false);
  }

  /** A PodMonitor-like job over all namespaces selecting every Pod. */
  static DiscoveryJob podJob(PortFilter port) {
    return new DiscoveryJob(
        "podMonitor/test/all/0",
        Role.POD,
        NamespaceSelection.all(),
        new ByLabels(LabelSelection.EVERYTHING),
        port,
        true,
        false);
  }

  /** The targets' labels by address; fails on two targets with one address. */
  static Map<String, Map<String, String>> byAddress(List<TargetGroup> groups) {
    Map<String, Map<String, String>> byAddress = new TreeMap<>();
    for (TargetGroup group : groups) {
      if (group.targets().size() != 1) {
        throw new AssertionError("expected one target per group: " + group);
      }
      if (byAddress.put(group.targets().get(0), group.labels()) != null) {
        throw new AssertionError("two targets at " + group.targets().get(0));
      }
    }
    return byAddress;
  }

  static List<String> addresses(List<TargetGroup> groups) {
    return groups.stream().map(g -> g.targets().get(0)).toList();
  }
}
