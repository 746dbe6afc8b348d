/**
 * Secret and ConfigMap keys that Vigil's objects reference: where a configuration reads each one as
 * a file ({@link dev.vigil.reconcilers.references.MountedKey}) and its value, read on demand, bytes
 * as stored ({@link dev.vigil.reconcilers.references.ReferencedValues}).
 */
package dev.vigil.reconcilers.references;
