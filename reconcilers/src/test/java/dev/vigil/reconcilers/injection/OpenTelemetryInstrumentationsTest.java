package dev.vigil.reconcilers.injection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.v1alpha1.instrumentation.Instrumentation;
import dev.vigil.api.v1alpha1.instrumentation.InstrumentationSpec;
import dev.vigil.api.v1alpha1.instrumentation.SamplerSpec;
import dev.vigil.api.v1alpha1.tracingpipeline.TracingPipeline;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The OpenTelemetry operator's Instrumentations (fixtures written from its README and docs), as
 * Vigil converts them, and how the compatibility annotations resolve to them.
 */
class OpenTelemetryInstrumentationsTest {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final Path FIXTURES = Path.of("src/test/resources/injection/opentelemetry");

  static GenericKubernetesResource fixture(String name) {
    try {
      return SERIALIZATION.unmarshal(
          Files.readString(FIXTURES.resolve(name + ".yaml")), GenericKubernetesResource.class);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void theReadmeExampleKeepsItsEndpointAndEachLanguagesOwn() {
    var converted = OpenTelemetryInstrumentations.convert(fixture("readme-example"));
    InstrumentationSpec spec = converted.spec();
    assertThat(spec.endpoint).isEqualTo("http://otel-collector:4317");
    assertThat(spec.protocol).isEqualTo(InstrumentationSpec.Protocol.GRPC);
    assertThat(spec.tracingPipeline).isNull();
    assertThat(spec.propagators)
        .containsExactly(
            InstrumentationSpec.Propagator.tracecontext,
            InstrumentationSpec.Propagator.baggage,
            InstrumentationSpec.Propagator.b3);
    assertThat(spec.sampler.type).isEqualTo(SamplerSpec.Type.parentbased_traceidratio);
    assertThat(spec.sampler.argument).isEqualTo("0.25");
    assertThat(spec.resourceAttributes)
        .containsExactly(Map.entry("deployment.environment.name", "prod"));
    assertThat(spec.java).isNull();
    assertThat(spec.nodejs).isNull();
    // Python and .NET send http/protobuf to their own endpoint, as the OpenTelemetry operator's
    // SDK defaults did.
    assertThat(spec.python.env)
        .extracting(EnvVar::getName, EnvVar::getValue)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel-collector:4318"),
            org.assertj.core.groups.Tuple.tuple("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"));
    assertThat(spec.dotnet.env).hasSize(2);
    assertThat(converted.problems())
        .containsExactly("spec.go is not converted: Vigil does not inject it");
  }

  @Test
  void everyConvertedFieldAndEveryProblemNamesItsField() {
    var converted = OpenTelemetryInstrumentations.convert(fixture("full"));
    InstrumentationSpec spec = converted.spec();
    assertThat(spec.endpoint)
        .isEqualTo("https://production-collector.observability.svc.cluster.local:4318");
    assertThat(spec.protocol).isEqualTo(InstrumentationSpec.Protocol.HTTP_PROTOBUF);
    assertThat(spec.propagators)
        .containsExactly(
            InstrumentationSpec.Propagator.tracecontext,
            InstrumentationSpec.Propagator.baggage,
            InstrumentationSpec.Propagator.jaeger);
    assertThat(spec.sampler).isNull();
    assertThat(spec.resourceAttributes).containsExactly(Map.entry("team", "payments"));
    assertThat(spec.java.image)
        .isEqualTo("ghcr.io/open-telemetry/opentelemetry-operator/autoinstrumentation-java:2.10.0");
    // The language's own variable wins over spec.env's.
    assertThat(spec.java.env)
        .extracting(EnvVar::getName, EnvVar::getValue)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("OTEL_JAVAAGENT_DEBUG", "true"),
            org.assertj.core.groups.Tuple.tuple("OTEL_EXPORTER_OTLP_TIMEOUT", "5"));
    assertThat(spec.java.resources.getLimits()).containsEntry("cpu", new Quantity("500m"));
    assertThat(spec.java.resources.getRequests()).containsEntry("memory", new Quantity("64Mi"));
    assertThat(spec.java.volumeSizeLimit).isEqualTo(new Quantity("300Mi"));
    // spec.env reaches every language.
    assertThat(spec.python.env)
        .extracting(EnvVar::getName, EnvVar::getValue)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("OTEL_EXPORTER_OTLP_TIMEOUT", "20"));
    assertThat(converted.problems())
        .containsExactly(
            "spec.apacheHttpd is not converted: Vigil does not inject it",
            "spec.exporter.tls is not converted: pods send without client TLS files",
            "spec.java.extensions is not converted: the agent runs without them",
            "spec.nginx is not converted: Vigil does not inject it",
            "spec.nodejs.volumeClaimTemplate is not converted: the payload goes to an emptyDir",
            "spec.propagators: \"w3c\" is not converted: Vigil does not know it",
            "spec.resource.addK8sUIDAttributes is not converted: no k8s.*.uid attributes",
            "spec.sampler.type \"jaeger_remote\" is not converted: the SDK's default sampler is"
                + " used");
  }

  @Test
  void anObjectWithoutEndpointCannotBeUsed() {
    var converted = OpenTelemetryInstrumentations.convert(fixture("no-endpoint"));
    assertThat(converted.spec()).isNull();
    assertThat(converted.problems())
        .singleElement()
        .asString()
        .startsWith("spec.exporter.endpoint");
  }

  @Test
  void aNameResolvesToVigilsFirstThenTheOpenTelemetryOperators() {
    Instrumentation vigils = new Instrumentation();
    vigils.setMetadata(
        new ObjectMetaBuilder().withName("my-instrumentation").withNamespace("shop").build());
    vigils.setSpec(new InstrumentationSpec());
    vigils.getSpec().endpoint = "http://vigil:4318";
    var both = new Catalog(List.of(vigils), List.of(fixture("readme-example"), fixture("node-ip")));
    var lookup = new CatalogLookup(both);

    assertThat(lookup.find("shop", "my-instrumentation", true).found().get().spec().endpoint)
        .isEqualTo("http://vigil:4318");
    var nodeAgent = lookup.find("shop", "node-agent", true).found().get();
    assertThat(nodeAgent.spec().endpoint).isEqualTo("http://$(OTEL_NODE_IP):4318");
    assertThat(nodeAgent.endpoints().onNode()).isTrue();
    // Vigil's own annotation names Vigil's objects only.
    assertThat(lookup.find("shop", "node-agent", false).found()).isEmpty();
    // "true" counts both kinds.
    assertThat(lookup.find("shop", "true", true).problem())
        .isEqualTo(
            "3 Instrumentations in namespace shop (my-instrumentation, my-instrumentation"
                + " (opentelemetry.io/v1alpha1), node-agent (opentelemetry.io/v1alpha1)): name one"
                + " instead of \"true\"");
    var onlyOne = new CatalogLookup(new Catalog(List.of(), List.of(fixture("node-ip"))));
    assertThat(onlyOne.find("shop", "true", true).found().get().name()).isEqualTo("node-agent");
    assertThat(onlyOne.find("shop", "true", false).found()).isEmpty();
    assertThat(onlyOne.find("shop", "defaults", true).found()).isEmpty();
    var broken = new CatalogLookup(new Catalog(List.of(), List.of(fixture("no-endpoint"))));
    assertThat(broken.find("shop", "defaults", true).problem())
        .startsWith(
            "opentelemetry.io/v1alpha1 Instrumentation shop/defaults: spec.exporter.endpoint");
  }

  @Test
  void aPodAskingWithTheOpenTelemetryAnnotationGetsTheConvertedObject() {
    var injector =
        new PodInjector(new CatalogLookup(new Catalog(List.of(), List.of(fixture("full")))), true);
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("checkout")
            .withAnnotations(
                Map.of("instrumentation.opentelemetry.io/inject-java", "observability/production"))
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("app")
            .withImage("checkout:1.0")
            .endContainer()
            .endSpec()
            .build();
    InjectionResult result = injector.inject(pod, "shop", Map.of());
    assertThat(result.instrumentedBy()).contains("observability/production");
    Container app = result.pod().getSpec().getContainers().get(0);
    assertThat(ContainerEnv.find(app.getEnv(), "OTEL_EXPORTER_OTLP_ENDPOINT").get().getValue())
        .isEqualTo("https://production-collector.observability.svc.cluster.local:4318");
    assertThat(ContainerEnv.find(app.getEnv(), "OTEL_JAVAAGENT_DEBUG").get().getValue())
        .isEqualTo("true");
    assertThat(result.pod().getSpec().getInitContainers().get(0).getImage())
        .isEqualTo("ghcr.io/open-telemetry/opentelemetry-operator/autoinstrumentation-java:2.10.0");
    assertThat(result.warnings())
        .contains(
            "opentelemetry.io/v1alpha1 Instrumentation observability/production:"
                + " spec.exporter.tls is not converted: pods send without client TLS files");
  }

  /** Both kinds, over lists. */
  private record Catalog(List<Instrumentation> vigils, List<GenericKubernetesResource> others)
      implements InstrumentationCatalog {
    @Override
    public List<Instrumentation> instrumentations(String namespace) {
      return new ListCatalog(vigils, List.of()).instrumentations(namespace);
    }

    @Override
    public Optional<Instrumentation> instrumentation(String namespace, String name) {
      return new ListCatalog(vigils, List.of()).instrumentation(namespace, name);
    }

    @Override
    public Optional<TracingPipeline> tracingPipeline(String namespace, String name) {
      return Optional.empty();
    }

    @Override
    public List<GenericKubernetesResource> openTelemetryInstrumentations(String namespace) {
      return others.stream().filter(o -> o.getMetadata().getNamespace().equals(namespace)).toList();
    }

    @Override
    public Optional<GenericKubernetesResource> openTelemetryInstrumentation(
        String namespace, String name) {
      return openTelemetryInstrumentations(namespace).stream()
          .filter(o -> o.getMetadata().getName().equals(name))
          .findFirst();
    }
  }
}
