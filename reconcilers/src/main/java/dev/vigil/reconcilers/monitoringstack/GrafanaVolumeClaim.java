package dev.vigil.reconcilers.monitoringstack;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.monitoringstack.VolumeClaimTemplate;
import dev.vigil.reconcilers.dependents.ControlledDependentResource;
import dev.vigil.reconcilers.dependents.OwnedObjectsStore;
import dev.vigil.reconcilers.objects.StackLabels;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;

/** Grafana's database and plugins on a volume, when the stack asks for storage. */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = GrafanaDeployment.SELECTOR,
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            itemStore = OwnedObjectsStore.class,
            informerListLimit = OwnedObjectsStore.LIST_LIMIT))
public class GrafanaVolumeClaim
    extends ControlledDependentResource<PersistentVolumeClaim, MonitoringStack> {
  public GrafanaVolumeClaim() {
    super(PersistentVolumeClaim.class);
  }

  static String name(MonitoringStack stack) {
    return GrafanaDeployment.name(stack) + "-data";
  }

  @Override
  protected ResourceID targetSecondaryResourceID(
      MonitoringStack stack, Context<MonitoringStack> context) {
    return new ResourceID(name(stack), stack.getMetadata().getNamespace());
  }

  @Override
  protected PersistentVolumeClaim desired(MonitoringStack stack, Context<MonitoringStack> context) {
    VolumeClaimTemplate template = stack.getSpec().grafana.storage.volumeClaimTemplate;
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withName(name(stack))
        .withNamespace(stack.getMetadata().getNamespace())
        .withLabels(StackLabels.of(stack, GrafanaDeployment.COMPONENT))
        .endMetadata()
        .withNewSpec()
        .withAccessModes(
            template.accessModes == null || template.accessModes.isEmpty()
                ? List.of("ReadWriteOnce")
                : template.accessModes)
        .withStorageClassName(template.storageClassName)
        .withNewResources()
        .addToRequests("storage", template.size)
        .endResources()
        .endSpec()
        .build();
  }
}
