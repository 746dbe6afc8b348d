package dev.vigil.reconcilers.scope;

import java.util.Collection;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Who may reach what, as the operator's settings say (docs/tenancy.md). A namespace is a
 * <em>platform namespace</em> when the settings name it: a stack there may select monitors and
 * policies anywhere, and a monitor there may discover targets anywhere. Every other namespace is a
 * tenant's: its stacks select only their own namespace and its monitors discover only there,
 * whatever their selectors say.
 *
 * @param platformNamespaces the platform namespaces; {@code *} alone makes every namespace one (a
 *     cluster with one team)
 * @param allowFilePaths whether a monitor may name a file in the Prometheus container ({@code
 *     bearerTokenFile}, {@code tlsConfig.caFile}, {@code certFile}, {@code keyFile}), as
 *     prometheus-operator's {@code arbitraryFSAccessThroughSMs.deny: false}; refused otherwise
 * @param namespaceOptIn whether a platform stack selects in a namespace besides its own only when
 *     the namespace opts in to that stack (its annotation {@code
 *     monitoring.vigil.dev/selectable-by}, read by {@code NamespaceSelection.OptedIn}); otherwise
 *     the platform admin allows all, and a platform stack selects wherever its selectors say
 */
public record Tenancy(
    SortedSet<String> platformNamespaces, boolean allowFilePaths, boolean namespaceOptIn) {
  /** The value of {@code platformNamespaces} that makes every namespace a platform namespace. */
  public static final String EVERY_NAMESPACE = "*";

  /**
   * Every namespace a platform namespace and file paths allowed: Vigil before tenancy, for a
   * cluster with one team and for tests of everything else.
   */
  public static final Tenancy SINGLE_TEAM =
      new Tenancy(java.util.List.of(EVERY_NAMESPACE), true, false);

  public Tenancy {
    platformNamespaces = Collections.unmodifiableSortedSet(new TreeSet<>(platformNamespaces));
  }

  public Tenancy(Collection<String> platformNamespaces, boolean allowFilePaths) {
    this(new TreeSet<>(platformNamespaces), allowFilePaths, false);
  }

  public Tenancy(
      Collection<String> platformNamespaces, boolean allowFilePaths, boolean namespaceOptIn) {
    this(new TreeSet<>(platformNamespaces), allowFilePaths, namespaceOptIn);
  }

  /** Whether objects in the namespace may reach other namespaces. */
  public boolean isPlatform(String namespace) {
    return platformNamespaces.contains(EVERY_NAMESPACE) || platformNamespaces.contains(namespace);
  }
}
