package dev.vigil.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.reconcilers.monitoringstack.PrometheusStatefulSet;
import dev.vigil.reconcilers.monitoringstack.ServiceDiscoveryTokenSecret;
import dev.vigil.reconcilers.tracingpipeline.CollectorConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.config.BaseConfigurationService;
import io.javaoperatorsdk.operator.api.config.ConfigurationService;
import org.junit.jupiter.api.Test;

/** Which of Vigil's dependents JOSDK writes with server-side apply, as VigilOperator sets it up. */
class ServerSideApplyTest {
  static ConfigurationService configured(boolean serverSideApply) {
    return ConfigurationService.newOverriddenConfigurationService(
        new BaseConfigurationService(), o -> VigilOperator.serverSideApply(o, serverSideApply));
  }

  @Test
  void configMapsAndSecretsAreAppliedLikeEveryOtherObject() {
    ConfigurationService config = configured(true);
    assertThat(config.shouldUseSSA(CollectorConfigMap.class, ConfigMap.class, null)).isTrue();
    assertThat(config.shouldUseSSA(ServiceDiscoveryTokenSecret.class, Secret.class, null)).isTrue();
    assertThat(config.shouldUseSSA(PrometheusStatefulSet.class, StatefulSet.class, null)).isTrue();
    assertThat(config.useSSAToPatchPrimaryResource()).isTrue();
  }

  @Test
  void withoutServerSideApplyNothingIs() {
    ConfigurationService config = configured(false);
    assertThat(config.shouldUseSSA(CollectorConfigMap.class, ConfigMap.class, null)).isFalse();
    assertThat(config.shouldUseSSA(PrometheusStatefulSet.class, StatefulSet.class, null)).isFalse();
    assertThat(config.useSSAToPatchPrimaryResource()).isFalse();
  }
}
