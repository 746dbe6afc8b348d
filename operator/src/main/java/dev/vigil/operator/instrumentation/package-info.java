/**
 * What the pod-mutating webhook reads, on every replica: Instrumentations and TracingPipelines from
 * informers of their own ({@link dev.vigil.operator.instrumentation.InstrumentationInformers}), so
 * each admission is a few map reads and no API call.
 */
package dev.vigil.operator.instrumentation;
