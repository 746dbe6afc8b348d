/**
 * AlertPolicy: its reconciler, which checks a policy's rules and routing against every stack that
 * selects it and says in status which stacks load it and why not. The rule files and the
 * Alertmanager routes themselves are built by the stack ({@code rules}, {@code alertmanager}).
 */
package dev.vigil.reconcilers.alertpolicy;
