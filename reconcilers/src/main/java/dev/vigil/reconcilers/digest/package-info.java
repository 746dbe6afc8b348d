/**
 * Digests of the text Vigil renders or names objects from: {@link
 * dev.vigil.reconcilers.digest.Sha256}, one implementation for every kind that hashes a
 * configuration into a pod annotation or shortens a name.
 */
package dev.vigil.reconcilers.digest;
