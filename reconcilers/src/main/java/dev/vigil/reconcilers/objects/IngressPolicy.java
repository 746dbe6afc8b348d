package dev.vigil.reconcilers.objects;

import dev.vigil.api.v1alpha1.common.NetworkPolicySpec;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A NetworkPolicy admitting only the listed traffic into one component's pods, and leaving their
 * egress alone (policy type {@code Ingress} only): Prometheus scrapes targets anywhere, collectors
 * export anywhere. Rules keep the order they are added in, so the object is the same at every
 * reconcile; the user's additional peers come last, admitted to every port the rules before them
 * opened to clients (a port open to anyone needs no more). Spelled as the API server stores it
 * (protocol always written), so the server-side-apply match holds.
 */
public final class IngressPolicy {
  public static final String TCP = "TCP";
  public static final String UDP = "UDP";

  private final String name;
  private final String namespace;
  private final Map<String, String> labels;
  private final Map<String, String> podSelector;
  private final List<NetworkPolicyIngressRule> rules = new ArrayList<>();
  private final Set<NetworkPolicyPort> clientPorts = new LinkedHashSet<>();

  /**
   * A policy named {@code name} for the pods {@code podSelector} selects in {@code namespace}: the
   * same labels their workload selects them by.
   */
  public IngressPolicy(
      String name, String namespace, Map<String, String> labels, Map<String, String> podSelector) {
    this.name = name;
    this.namespace = namespace;
    this.labels = labels;
    this.podSelector = podSelector;
  }

  /** Admits {@code from} (at least one peer) to TCP {@code ports}, as a client. */
  public IngressPolicy allow(List<NetworkPolicyPeer> from, int... ports) {
    if (from.isEmpty()) {
      throw new IllegalArgumentException("no peer: allowAnyone admits every source");
    }
    return rule(from, clientPorts(ports));
  }

  /**
   * Admits {@code from} (at least one peer) to {@code ports} as given (protocol included: a UDP
   * receiver), as a client.
   */
  public IngressPolicy allowClients(List<NetworkPolicyPeer> from, List<NetworkPolicyPort> ports) {
    if (from.isEmpty()) {
      throw new IllegalArgumentException("no peer: allowAnyone admits every source");
    }
    clientPorts.addAll(ports);
    return rule(from, ports);
  }

  /** Admits any source, in the cluster or not, to TCP {@code ports}. */
  public IngressPolicy allowAnyone(int... ports) {
    List<NetworkPolicyPort> tcp = new ArrayList<>();
    for (int port : ports) {
      tcp.add(port(port, TCP));
    }
    return rule(List.of(), tcp);
  }

  /**
   * Opens TCP {@code ports} to the user's additional peers only: ports nothing of Vigil's needs to
   * reach.
   */
  public IngressPolicy forAdditionalPeers(int... ports) {
    clientPorts(ports);
    return this;
  }

  private List<NetworkPolicyPort> clientPorts(int... ports) {
    List<NetworkPolicyPort> tcp = new ArrayList<>();
    for (int port : ports) {
      tcp.add(port(port, TCP));
      clientPorts.add(port(port, TCP));
    }
    return tcp;
  }

  /**
   * Admits {@code from} to {@code ports} as given (protocol included), not as a client: additional
   * peers do not get these ports (the gossip between a component's own replicas).
   */
  public IngressPolicy allowPeers(List<NetworkPolicyPeer> from, List<NetworkPolicyPort> ports) {
    return rule(from, ports);
  }

  private IngressPolicy rule(List<NetworkPolicyPeer> from, List<NetworkPolicyPort> ports) {
    rules.add(new NetworkPolicyIngressRuleBuilder().withFrom(from).withPorts(ports).build());
    return this;
  }

  /**
   * The policy, with the user's additional peers (from {@code spec}, may be null) admitted to every
   * client port.
   */
  public NetworkPolicy build(NetworkPolicySpec spec) {
    List<NetworkPolicyIngressRule> all = new ArrayList<>(rules);
    if (spec != null
        && spec.additionalIngressFrom != null
        && !spec.additionalIngressFrom.isEmpty()
        && !clientPorts.isEmpty()) {
      List<NetworkPolicyPort> ports = new ArrayList<>(clientPorts);
      all.add(
          new NetworkPolicyIngressRuleBuilder()
              .withFrom(spec.additionalIngressFrom)
              .withPorts(ports)
              .build());
    }
    return new NetworkPolicyBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withNewPodSelector()
        .withMatchLabels(podSelector)
        .endPodSelector()
        .withPolicyTypes("Ingress")
        .withIngress(all)
        .endSpec()
        .build();
  }

  public static NetworkPolicyPort port(int port, String protocol) {
    return new NetworkPolicyPortBuilder()
        .withPort(new IntOrString(port))
        .withProtocol(protocol)
        .build();
  }

  /** Pods with these labels in the policy's own namespace. */
  public static NetworkPolicyPeer pods(Map<String, String> labels) {
    return new NetworkPolicyPeerBuilder().withPodSelector(selector(labels)).build();
  }

  /** Pods with these labels in the namespace with this name. */
  public static NetworkPolicyPeer podsInNamespace(String namespace, Map<String, String> labels) {
    return new NetworkPolicyPeerBuilder()
        .withPodSelector(selector(labels))
        .withNamespaceSelector(selector(Map.of("kubernetes.io/metadata.name", namespace)))
        .build();
  }

  /** Pods with these labels in any namespace. */
  public static NetworkPolicyPeer podsInAnyNamespace(Map<String, String> labels) {
    return new NetworkPolicyPeerBuilder()
        .withPodSelector(selector(labels))
        .withNamespaceSelector(new LabelSelector())
        .build();
  }

  /** Any pod of the cluster, in any namespace (not addresses outside the cluster). */
  public static NetworkPolicyPeer anyPod() {
    return new NetworkPolicyPeerBuilder().withNamespaceSelector(new LabelSelector()).build();
  }

  /** Whether the spec asks for NetworkPolicies. */
  public static boolean enabled(NetworkPolicySpec spec) {
    return spec != null && Boolean.TRUE.equals(spec.enabled);
  }

  private static LabelSelector selector(Map<String, String> labels) {
    return new LabelSelectorBuilder().withMatchLabels(labels).build();
  }
}
