package dev.vigil.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The committed crds/*.yaml are exactly what the crd-generator makes of the types (with printer
 * columns in declaration order: the generator sorts them by JSON path). Run the build with
 * -Dvigil.updateGolden=true to rewrite them.
 */
class CrdFilesTest {
  static final Path GENERATED = Path.of("target/classes/META-INF/fabric8");
  static final Path COMMITTED = Path.of(".");
  static final int MAX_CRD_BYTES = 150 * 1024;
  static final String HEADER =
      "# Generated from the Java types in crds/src/main/java by the fabric8 crd-generator.\n"
          + "# Do not edit: change the types, then run `mvn -pl crds verify"
          + " -Dvigil.updateGolden=true`.\n";

  static Stream<Class<? extends CustomResource<?, ?>>> kinds() {
    return Kinds.ALL.stream();
  }

  static String crdName(Class<? extends CustomResource<?, ?>> kind) {
    return CustomResource.getCRDName(kind);
  }

  static CustomResourceDefinition load(Path file) throws IOException {
    return Serialization.unmarshal(Files.readString(file), CustomResourceDefinition.class);
  }

  /** The generated CRD, with printer columns put back in the order the kind declares them. */
  static String expected(Class<? extends CustomResource<?, ?>> kind) throws IOException {
    CustomResourceDefinition crd = load(GENERATED.resolve(crdName(kind) + "-v1.yml"));
    List<String> order =
        Arrays.stream(kind.getAnnotationsByType(AdditionalPrinterColumn.class))
            .map(AdditionalPrinterColumn::jsonPath)
            .toList();
    for (var version : crd.getSpec().getVersions()) {
      List<CustomResourceColumnDefinition> columns =
          new ArrayList<>(version.getAdditionalPrinterColumns());
      columns.sort(Comparator.comparingInt(c -> order.indexOf(c.getJsonPath())));
      version.setAdditionalPrinterColumns(columns);
    }
    return HEADER + Serialization.asYaml(crd);
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void committedCrdMatchesTheTypes(Class<? extends CustomResource<?, ?>> kind) throws IOException {
    Path committed = COMMITTED.resolve(crdName(kind) + ".yaml");
    String expected = expected(kind);
    if (Boolean.getBoolean("vigil.updateGolden")) {
      Files.writeString(committed, expected, StandardCharsets.UTF_8);
    }
    assertThat(committed).exists();
    assertThat(Files.readString(committed))
        .as(
            "crds/%s.yaml is stale: run mvn -pl crds verify -Dvigil.updateGolden=true",
            crdName(kind))
        .isEqualTo(expected);
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void crdIsSmallEnoughForClientSideApply(Class<? extends CustomResource<?, ?>> kind)
      throws IOException {
    assertThat(Files.size(COMMITTED.resolve(crdName(kind) + ".yaml"))).isLessThan(MAX_CRD_BYTES);
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void crdHasWhatKubectlUsersExpect(Class<? extends CustomResource<?, ?>> kind) throws IOException {
    CustomResourceDefinition crd = load(COMMITTED.resolve(crdName(kind) + ".yaml"));
    assertThat(crd.getSpec().getGroup()).isEqualTo("monitoring.vigil.dev");
    assertThat(crd.getSpec().getNames().getCategories()).containsExactly("vigil");
    assertThat(crd.getSpec().getNames().getShortNames()).hasSize(1);
    var version = crd.getSpec().getVersions().get(0);
    assertThat(version.getName()).isEqualTo("v1alpha1");
    assertThat(version.getSubresources().getStatus()).isNotNull();
    assertThat(version.getAdditionalPrinterColumns())
        .extracting(CustomResourceColumnDefinition::getName)
        .last()
        .isEqualTo("Age");
    JSONSchemaProps schema = version.getSchema().getOpenAPIV3Schema();
    JSONSchemaProps status = schema.getProperties().get("status");
    assertThat(status.getProperties()).containsKeys("observedGeneration", "conditions");
    assertThat(schema.getProperties().get("spec").getProperties())
        .allSatisfy((name, prop) -> assertThat(prop.getDescription()).as(name).isNotBlank());
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void everyCelRuleHasAMessageNamingWhatToFix(Class<? extends CustomResource<?, ?>> kind)
      throws IOException {
    for (ValidationRule rule : celRules(kind)) {
      assertThat(rule.getMessage()).as(rule.getRule()).isNotBlank().hasSizeGreaterThan(20);
    }
  }

  @org.junit.jupiter.api.Test
  void theApiHasAtLeastFifteenDistinctCelRules() throws IOException {
    long distinct =
        Kinds.ALL.stream()
            .flatMap(
                kind -> {
                  try {
                    return celRules(kind).stream();
                  } catch (IOException e) {
                    throw new IllegalStateException(e);
                  }
                })
            .map(ValidationRule::getRule)
            .distinct()
            .count();
    assertThat(distinct).isGreaterThanOrEqualTo(15);
  }

  static List<ValidationRule> celRules(Class<? extends CustomResource<?, ?>> kind)
      throws IOException {
    CustomResourceDefinition crd = load(COMMITTED.resolve(crdName(kind) + ".yaml"));
    List<ValidationRule> rules = new ArrayList<>();
    collect(crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema(), rules);
    return rules;
  }

  private static void collect(JSONSchemaProps props, List<ValidationRule> into) {
    if (props == null) {
      return;
    }
    if (props.getXKubernetesValidations() != null) {
      into.addAll(props.getXKubernetesValidations());
    }
    if (props.getProperties() != null) {
      props.getProperties().values().forEach(p -> collect(p, into));
    }
    if (props.getItems() != null) {
      collect(props.getItems().getSchema(), into);
    }
    if (props.getAdditionalProperties() != null) {
      collect(props.getAdditionalProperties().getSchema(), into);
    }
  }
}
