package dev.vigil.reconcilers.injection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.reconcilers.GoldenFile;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every scenario under src/test/resources/injection: the pod as admitted equals its golden file
 * (src/test/resources/golden/injection), with the warnings the scenario expects; the argument is
 * left untouched; admitting the result again changes nothing and warns of nothing; and every {@code
 * $(VAR)} an injected variable uses is defined above it, as the kubelet requires. Regenerate with
 * {@code -Dvigil.updateGolden=true} and review the diff.
 */
class PodInjectorGoldenTest {
  static final Path GOLDEN = Path.of("src/test/resources/golden/injection");
  static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  static final Pattern REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

  static Stream<String> scenarios() throws IOException {
    return InjectionScenario.names().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void podIsAdmittedAsTheGoldenFileSays(String name) throws IOException {
    InjectionScenario scenario = InjectionScenario.load(name);
    String before = SERIALIZATION.asYaml(scenario.pod());
    PodInjector injector = scenario.injector();

    InjectionResult result =
        injector.inject(scenario.pod(), scenario.namespace(), scenario.namespaceAnnotations());

    assertThat(SERIALIZATION.asYaml(scenario.pod()))
        .as("the argument is untouched")
        .isEqualTo(before);
    assertThat(result.pod()).isNotSameAs(scenario.pod());
    String admitted = SERIALIZATION.asYaml(result.pod());
    GoldenFile.assertMatches(GOLDEN.resolve(name + ".yaml"), admitted);
    assertThat(result.warnings()).containsExactlyElementsOf(scenario.warnings());
    assertThat(result.instrumentedBy()).isEqualTo(Optional.ofNullable(scenario.instrumentedBy()));

    InjectionResult again =
        injector.inject(result.pod(), scenario.namespace(), scenario.namespaceAnnotations());
    assertThat(SERIALIZATION.asYaml(again.pod())).as("admitted twice").isEqualTo(admitted);
    if (result.instrumentedBy().isPresent()) {
      assertThat(again.warnings()).as("admitted twice").isEmpty();
      assertThat(again.instrumentedBy()).isEqualTo(result.instrumentedBy());
    }
    for (Container container : containers(result.pod())) {
      assertReferencesDefinedAbove(container);
    }
  }

  static List<Container> containers(Pod pod) {
    List<Container> all = new ArrayList<>();
    if (pod.getSpec() != null) {
      all.addAll(pod.getSpec().getContainers());
    }
    return all;
  }

  /** The kubelet expands {@code $(VAR)} only for variables defined earlier in the list. */
  static void assertReferencesDefinedAbove(Container container) {
    if (container.getEnv() == null) {
      return;
    }
    Set<String> defined = new HashSet<>();
    for (EnvVar var : container.getEnv()) {
      if (var.getValue() != null && var.getName().startsWith("OTEL_")) {
        Matcher reference = REFERENCE.matcher(var.getValue());
        while (reference.find()) {
          assertThat(defined)
              .as("%s: %s uses $(%s)", container.getName(), var.getName(), reference.group(1))
              .contains(reference.group(1));
        }
      }
      assertThat(defined.add(var.getName()))
          .as("%s sets %s once", container.getName(), var.getName())
          .isTrue();
    }
  }
}
