/**
 * What Vigil's configuration builders share, below every kind: the configuration with the keys it
 * mounts ({@link dev.vigil.reconcilers.config.BuiltConfig}), the object left out of it and why
 * ({@link dev.vigil.reconcilers.config.ObjectProblem}), and the exception that leaves out one part
 * ({@link dev.vigil.reconcilers.config.PartLeftOut}).
 */
package dev.vigil.reconcilers.config;
