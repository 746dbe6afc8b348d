/**
 * How the operator watches: informers whose caches keep only what Vigil reads of each object, over
 * the whole cluster or one informer per watched namespace.
 */
package dev.vigil.operator.informers;
