/**
 * Where an object comes from and how far it reaches: its API group ({@link ApiGroup}: Vigil's own
 * kinds, or prometheus-operator's read as Vigil's), the operator's {@link Tenancy} (which
 * namespaces are the platform's, whether monitors may name files), and a stack's {@link
 * NamespaceEnforcement}, which scopes each monitor's series and each rule's selectors and results
 * to the object's namespace. Used by the rule files and the scrape jobs alike. Pure: no JOSDK, no
 * API calls.
 */
package dev.vigil.reconcilers.scope;
