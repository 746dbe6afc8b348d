package dev.vigil.reconcilers.dependents;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class OwnedObjectsStoreTest {
  final OwnedObjectsStore<ConfigMap> store = new OwnedObjectsStore<>();

  @Test
  void keepsWholeWhatAVigilObjectControls() {
    ConfigMap owned = configMap("stack-config", "monitoring.vigil.dev/v1alpha1", true, "uid-1");
    store.put(store.getKey(owned), owned);

    assertThat(store.get("team-a/stack-config")).isSameAs(owned);
    assertThat(store.leftOut()).isZero();
  }

  @Test
  void keepsOnlyTheNameOfWhatNoVigilObjectControls() {
    ConfigMap forged = configMap("forged", null, false, null);
    ConfigMap notController =
        configMap("not-controller", "monitoring.vigil.dev/v1alpha1", false, "u");
    ConfigMap otherGroup = configMap("other-group", "apps/v1", true, "u");
    for (ConfigMap c : List.of(forged, notController, otherGroup)) {
      store.put(store.getKey(c), c);
    }

    ConfigMap stub = store.get("team-a/forged");
    assertThat(stub.getMetadata().getName()).isEqualTo("forged");
    assertThat(stub.getMetadata().getNamespace()).isEqualTo("team-a");
    assertThat(stub.getMetadata().getResourceVersion()).isEqualTo("7");
    assertThat(stub.getMetadata().getUid()).isEqualTo("uid-of-forged");
    assertThat(stub.getData()).isNullOrEmpty();
    assertThat(stub.getMetadata().getLabels()).isNullOrEmpty();
    assertThat(stub.getMetadata().getOwnerReferences()).isEmpty();
    assertThat(store.leftOut()).isEqualTo(3);
    assertThat(OwnedObjectsStore.leftOutTotal()).isGreaterThanOrEqualTo(3);

    store.remove("team-a/forged");
    assertThat(store.leftOut()).isEqualTo(2);
    assertThat(store.size()).isEqualTo(2);
  }

  @Test
  void keepsAtMostItsShareOfOneOwnersObjects() {
    for (int i = 0; i < OwnedObjectsStore.PER_OWNER + 10; i++) {
      ConfigMap c = configMap("c-" + i, "monitoring.vigil.dev/v1alpha1", true, "uid-1");
      store.put(store.getKey(c), c);
    }
    assertThat(store.leftOut()).isEqualTo(10);
    assertThat(store.values().filter(c -> !c.getData().isEmpty()).count())
        .isEqualTo(OwnedObjectsStore.PER_OWNER);

    // One whole object goes: a stub updated next takes its place.
    store.remove("team-a/c-0");
    ConfigMap again = configMap("c-300", "monitoring.vigil.dev/v1alpha1", true, "uid-1");
    store.put(store.getKey(again), again);
    assertThat(store.get("team-a/c-300").getData()).isNotEmpty();
  }

  @Test
  void anObjectThatGainsAVigilOwnerIsKeptWholeAndOneThatLosesItIsNot() {
    ConfigMap before = configMap("c", null, false, null);
    store.put(store.getKey(before), before);
    assertThat(store.leftOut()).isEqualTo(1);

    ConfigMap owned = configMap("c", "monitoring.vigil.dev/v1alpha1", true, "uid-1");
    store.put(store.getKey(owned), owned);
    assertThat(store.leftOut()).isZero();
    assertThat(store.get("team-a/c")).isSameAs(owned);

    store.put(store.getKey(before), before);
    assertThat(store.leftOut()).isEqualTo(1);
    assertThat(store.get("team-a/c").getData()).isNullOrEmpty();
  }

  /** A dependent added without the bounded store would cache every labelled object whole. */
  @Test
  void everyControlledDependentCachesThroughTheBoundedStore() throws Exception {
    List<String> missing = new ArrayList<>();
    int checked = 0;
    for (Class<?> type : reconcilerClasses()) {
      if (!ControlledDependentResource.class.isAssignableFrom(type)
          || Modifier.isAbstract(type.getModifiers())) {
        continue;
      }
      checked++;
      KubernetesDependent dependent = type.getAnnotation(KubernetesDependent.class);
      if (dependent == null
          || dependent.informer().itemStore() != OwnedObjectsStore.class
          || dependent.informer().informerListLimit() != OwnedObjectsStore.LIST_LIMIT
          // One informer: a store shared by per-namespace informers loses objects at a relist.
          || !java.util.Arrays.equals(
              dependent.informer().namespaces(),
              new String[] {
                io.javaoperatorsdk.operator.api.reconciler.Constants.WATCH_ALL_NAMESPACES
              })) {
        missing.add(type.getName());
      }
    }
    assertThat(checked).as("dependents found").isGreaterThan(30);
    assertThat(missing)
        .as("dependents without itemStore = OwnedObjectsStore.class and one all-namespace informer")
        .isEmpty();
  }

  static List<Class<?>> reconcilerClasses() throws IOException, ClassNotFoundException {
    Path root =
        Path.of(
            ControlledDependentResource.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .getPath());
    List<Class<?>> classes = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        String name = root.relativize(file).toString().replace('/', '.').replace(".class", "");
        classes.add(Class.forName(name, false, OwnedObjectsStoreTest.class.getClassLoader()));
      }
    }
    return classes;
  }

  static ConfigMap configMap(String name, String ownerApiVersion, boolean controller, String uid) {
    ConfigMapBuilder builder =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace("team-a")
            .withUid("uid-of-" + name)
            .withResourceVersion("7")
            .withLabels(Map.of("app.kubernetes.io/managed-by", "vigil"))
            .endMetadata()
            .withData(Map.of("key", "x".repeat(1000)));
    if (ownerApiVersion != null) {
      builder
          .editMetadata()
          .withOwnerReferences(
              new OwnerReferenceBuilder()
                  .withApiVersion(ownerApiVersion)
                  .withKind("MonitoringStack")
                  .withName("stack")
                  .withUid(uid)
                  .withController(controller)
                  .build())
          .endMetadata();
    }
    return builder.build();
  }
}
