/**
 * What the e2e tests share, so that a new test finds its tools in one place: the real API servers
 * ({@link RealApiServer}, one for the whole test JVM, and the tools it runs against it such as
 * kubectl; {@link ControlPlane}, an etcd and kube-apiserver that a test owns, stops and restarts),
 * the real tools as processes ({@link RealPrometheus}, {@link RealTracingProcess}, {@link
 * OperatorProcess}), Vigil in the test JVM under the RBAC it ships ({@link
 * OperatorAsServiceAccount}, {@link InProcessReloader}), the worlds of the fault and scale tests
 * ({@link FaultWorld}, {@link ScaleWorld}), readers of what tests compare ({@link DockerfileStage},
 * {@link ThreadCpu}), {@link TestNetwork} (a network namespace of the test's own for stand-in apps,
 * the only non-loopback addresses a test may reach), {@link DatadogIntakeStandIn} (Datadog's OTLP
 * intake on loopback, checking headers and decoding traces and logs) and {@link SuiteOutput}, the
 * launcher listener that keeps the suite's output.
 *
 * <p>The tests are in {@code dev.vigil.e2e}; nothing here depends on them. What a test uses is
 * public, the rest package-private.
 */
package dev.vigil.e2e.harness;
