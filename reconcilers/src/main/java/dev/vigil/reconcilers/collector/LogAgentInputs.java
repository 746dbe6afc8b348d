package dev.vigil.reconcilers.collector;

import dev.vigil.reconcilers.references.MountedKey;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * What {@link LogAgentConfigBuilder} needs besides the pipeline: what its caller resolved from the
 * cluster and where the pipeline's own parts run.
 *
 * @param namespaces the namespaces whose pods' logs are read, resolved from the pipeline's
 *     selection (names, labels, exclusions, tenancy); null: every namespace (a platform pipeline
 *     with {@code any: true})
 * @param excludedNamespaces namespaces never read, when {@code namespaces} is null (every namespace
 *     but these)
 * @param agentsNamespace the namespace the agents run in
 * @param agentName the name of the agents' DaemonSet, which starts with {@link
 *     LogAgentConfigBuilder#AGENTS_PREFIX}: no agent reads any agent's logs
 * @param victoriaLogs the base URL of the VictoriaLogs Vigil runs for the pipeline (e.g. {@code
 *     http://logs-victorialogs.shop.svc:9428}); null: none
 * @param keyExists whether a Secret key an exporter reads exists; null: every key exists
 * @param clusterWide whether the agents may read every namespace's pods (a pipeline in a platform
 *     namespace); otherwise {@code k8s_attributes} reads the pipeline's namespace only
 */
public record LogAgentInputs(
    SortedSet<String> namespaces,
    SortedSet<String> excludedNamespaces,
    String agentsNamespace,
    String agentName,
    String victoriaLogs,
    Predicate<MountedKey> keyExists,
    boolean clusterWide) {
  public LogAgentInputs {
    namespaces =
        namespaces == null ? null : Collections.unmodifiableSortedSet(new TreeSet<>(namespaces));
    excludedNamespaces =
        Collections.unmodifiableSortedSet(
            new TreeSet<>(
                excludedNamespaces == null ? Collections.emptySet() : excludedNamespaces));
    keyExists = keyExists == null ? key -> true : keyExists;
  }
}
