/** What every object Vigil makes for a user's object shares: how it is owned. */
package dev.vigil.reconcilers.dependents;
