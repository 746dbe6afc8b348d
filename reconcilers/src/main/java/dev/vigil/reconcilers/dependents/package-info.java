/**
 * What every object Vigil makes for a user's object shares: how it is owned ({@link
 * dev.vigil.reconcilers.dependents.ControlledDependentResource}), and the cluster-wide read access
 * a workload of a namespaced object needs, which no owner reference can hold ({@link
 * dev.vigil.reconcilers.dependents.ClusterAccess}, made by {@link
 * dev.vigil.reconcilers.dependents.ClusterRoleDependent} and {@link
 * dev.vigil.reconcilers.dependents.ClusterRoleBindingDependent}).
 */
package dev.vigil.reconcilers.dependents;
