/**
 * Which Prometheus shard of a stack scrapes which target: rendezvous hashing on a stable target
 * key, so changing the shard count moves as few targets as possible, and {@link
 * dev.vigil.reconcilers.sharding.SeriesBalancer}'s plans of bounded moves between shards to balance
 * series rather than target counts. Pure: no JOSDK, no HTTP.
 */
package dev.vigil.reconcilers.sharding;
