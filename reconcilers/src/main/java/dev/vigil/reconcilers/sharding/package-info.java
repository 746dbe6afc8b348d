/**
 * Which Prometheus shard of a stack scrapes which target: rendezvous hashing on a stable target
 * key, so changing the shard count moves as few targets as possible. Pure: no JOSDK, no HTTP.
 */
package dev.vigil.reconcilers.sharding;
