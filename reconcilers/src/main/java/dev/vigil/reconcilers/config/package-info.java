/**
 * What Vigil's configuration builders share, below every kind: the configuration with the keys it
 * mounts ({@link dev.vigil.reconcilers.config.BuiltConfig}), the object left out of it and why
 * ({@link dev.vigil.reconcilers.config.ObjectProblem}), the exception that leaves out one part
 * ({@link dev.vigil.reconcilers.config.PartLeftOut}), and the guard that builds each part and keeps
 * the problems ({@link dev.vigil.reconcilers.config.ObjectProblems}).
 */
package dev.vigil.reconcilers.config;
