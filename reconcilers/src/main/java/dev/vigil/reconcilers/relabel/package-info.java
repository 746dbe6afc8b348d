/**
 * Prometheus's relabeling, done as Prometheus does it ({@link
 * dev.vigil.reconcilers.relabel.TargetRelabeling}, RE2 regexes, the scrape defaults applied first),
 * so the operator serves, counts and shards only the targets a stack's Prometheus keeps; and the
 * checks of a relabeling Prometheus would refuse. Pure.
 */
package dev.vigil.reconcilers.relabel;
