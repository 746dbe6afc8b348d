package dev.vigil.reconcilers.validation;

import dev.vigil.api.v1alpha1.monitoringstack.MonitoringStack;
import dev.vigil.api.v1alpha1.monitoringstack.RemoteWriteSpec;
import dev.vigil.api.v1alpha1.monitoringstack.ScraperSpec;
import dev.vigil.api.v1alpha1.monitoringstack.StorageSpec;
import dev.vigil.reconcilers.prometheus.Shards;
import dev.vigil.reconcilers.relabel.RelabelValidator;
import dev.vigil.reconcilers.scope.NamespaceEnforcement;
import dev.vigil.reconcilers.selection.MonitorSelection;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** What a MonitoringStack's schema cannot check, for its reconciler and an admission webhook. */
public final class MonitoringStackValidator implements Validator<MonitoringStack> {
  /** A Secret's name: a DNS subdomain (RFC 1123) of at most 253 characters. */
  static final Pattern SECRET_NAME =
      Pattern.compile(
          "(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  /** The schema's bound on Prometheus replicas per shard. */
  public static final int MAX_SCRAPER_REPLICAS = 10;

  /** The schema's bound on Alertmanager replicas. */
  public static final int MAX_ALERTMANAGER_REPLICAS = 7;

  @Override
  public List<Problem> problems(MonitoringStack stack) {
    List<String> problems = new ArrayList<>();
    ScraperSpec scraper = stack.getSpec().scraper;
    if (scraper != null) {
      if (scraper.shards != null && (scraper.shards < Shards.MIN || scraper.shards > Shards.MAX)) {
        problems.add(
            "spec.scraper.shards is %d: it must be between %d and %d"
                .formatted(scraper.shards, Shards.MIN, Shards.MAX));
      }
      if (scraper.replicas != null
          && (scraper.replicas < 1 || scraper.replicas > MAX_SCRAPER_REPLICAS)) {
        problems.add(
            "spec.scraper.replicas is %d: it must be between 1 and %d"
                .formatted(scraper.replicas, MAX_SCRAPER_REPLICAS));
      }
      problems.addAll(Quantities.problems("spec.scraper.resources", scraper.resources));
      problems.addAll(NamespaceEnforcement.problems(stack));
      problems.addAll(storageProblems("spec.scraper.storage", scraper.storage));
    }
    var spec = stack.getSpec();
    if (spec.alertmanager != null) {
      Integer replicas = spec.alertmanager.replicas;
      if (replicas != null && (replicas < 1 || replicas > MAX_ALERTMANAGER_REPLICAS)) {
        problems.add(
            "spec.alertmanager.replicas is %d: it must be between 1 and %d"
                .formatted(replicas, MAX_ALERTMANAGER_REPLICAS));
      }
      problems.addAll(
          Quantities.problems("spec.alertmanager.resources", spec.alertmanager.resources));
      problems.addAll(storageProblems("spec.alertmanager.storage", spec.alertmanager.storage));
    }
    if (spec.grafana != null) {
      String admin = spec.grafana.adminCredentialsSecret;
      if (admin != null && !SECRET_NAME.matcher(admin).matches()) {
        // The schema takes any string; the Deployment that mounts it would be refused.
        problems.add(
            "spec.grafana.adminCredentialsSecret \"%s\" is not a Secret name: lower-case letters,"
                    .formatted(admin)
                + " digits, '-' and '.', starting and ending with a letter or digit");
      }
      problems.addAll(Quantities.problems("spec.grafana.resources", spec.grafana.resources));
      problems.addAll(storageProblems("spec.grafana.storage", spec.grafana.storage));
    }
    if (spec.thanos != null) {
      problems.addAll(Quantities.problems("spec.thanos.resources", spec.thanos.resources));
      problems.addAll(
          Quantities.problems("spec.thanos.sidecarResources", spec.thanos.sidecarResources));
    }
    if (spec.nodeAgent != null) {
      problems.addAll(Quantities.problems("spec.nodeAgent.resources", spec.nodeAgent.resources));
    }
    if (spec.kubeStateMetrics != null) {
      problems.addAll(
          Quantities.problems("spec.kubeStateMetrics.resources", spec.kubeStateMetrics.resources));
    }
    List<RemoteWriteSpec> remoteWrite =
        stack.getSpec().scraper == null ? null : stack.getSpec().scraper.remoteWrite;
    for (int i = 0; remoteWrite != null && i < remoteWrite.size(); i++) {
      problems.addAll(
          RelabelValidator.problems(
              "spec.scraper.remoteWrite[" + i + "].writeRelabelConfigs",
              remoteWrite.get(i).writeRelabelConfigs));
    }
    try {
      MonitorSelection.asWritten(stack.getSpec().monitorSelector, stack);
    } catch (IllegalArgumentException e) {
      problems.add("spec.monitorSelector: " + e.getMessage());
    }
    try {
      MonitorSelection.asWritten(stack.getSpec().policySelector, stack);
    } catch (IllegalArgumentException e) {
      problems.add("spec.policySelector: " + e.getMessage());
    }
    return Problem.of(problems);
  }

  private static List<String> storageProblems(String path, StorageSpec storage) {
    return storage == null || storage.volumeClaimTemplate == null
        ? List.of()
        : Quantities.problems(path + ".volumeClaimTemplate.size", storage.volumeClaimTemplate.size);
  }
}
