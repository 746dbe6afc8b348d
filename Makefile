# The two commands of the README:
#   make demo   runs Vigil locally (see README "Run it")
#   make test   installs the test tools and runs every test
# Both install what they need, idempotently, from the package registries.

MVN ?= mvn -B -ntp
TOOLS_DIR ?= $(HOME)/.cache/vigil-tools

.PHONY: test demo demo-check tools build crds format bench image scale bench-logs

# Every tool of e2e/tools (kube-apiserver, etcd, kubectl, helm, prometheus, promtool,
# alertmanager, amtool, otelcol, jaeger, thanos, prometheus-operator's CRDs, Flux's kustomize-controller
# and its CRDs, the auto-instrumentation payloads otel-python, otel-nodejs, otel-java, the Node.js
# and Python jaeger-client);
# `make tools TEST_TOOLS="kube etcd kubectl"` for a
# subset, `make tools TEST_TOOLS=autoinstrumentation` for the three payloads.
TEST_TOOLS ?=

tools:
	bash e2e/tools/install.sh $(TEST_TOOLS)

build:
	$(MVN) -DskipTests package

# After the Maven tests (which package the operator jar), the demo runs once unattended: it passes
# when a real Prometheus scrapes every target Vigil discovered (about a minute).
test: tools
	. $(TOOLS_DIR)/env.sh && $(MVN) verify
	bash hack/demo.sh --check

demo: tools build
	bash hack/demo.sh

# `make demo` without waiting for Ctrl-C: exit 0 once every expected target is up, 1 otherwise.
demo-check: tools build
	bash hack/demo.sh --check

# Regenerate crds/*.yaml and the golden files from the code.
crds:
	$(MVN) -pl crds verify -Dvigil.updateGolden=true

format:
	$(MVN) spotless:apply

# Build benchmarks/target/benchmarks.jar and run every benchmark with short defaults; JMH's own
# arguments go in BENCH_ARGS, e.g. `make bench BENCH_ARGS="-f 3 -i 10 Sharding"`.
bench:
	$(MVN) -pl benchmarks -am -DskipTests package
	java -jar benchmarks/target/benchmarks.jar $(BENCH_ARGS)

# The operator's container image as a tarball, image/target/vigil-operator-image.tar, built by Jib
# without Docker or a registry, FROM a base made offline by hack/image/base.sh (docs/image.md).
image:
	bash e2e/tools/install.sh image
	. $(TOOLS_DIR)/env.sh && $(MVN) -pl image -am -DskipTests package

# The scale harness (docs/performance.md, "Scale harness on a real API server") at issue 21's size:
# 100,000 pods, 20,000 Services, 2,000 monitors, 3 stacks x 16 shards, 200 policies, 10 minutes of
# steady state, a burst of 5,000 monitor edits (about an hour on 2 cores). `make scale SCALE=10k`
# runs issue 9's size (10,000 pods, 2,000 Services, 500 monitors, 3 stacks x 4 shards; about half
# an hour). Prints the table and writes it into docs/performance.md; logs in
# e2e/target/scale-<size>/. `make test` runs a small size.
SCALE ?= full
scale: tools
	. $(TOOLS_DIR)/env.sh && $(MVN) -pl e2e -am verify -Dtest=ScaleHarnessIT \
	  -Dsurefire.failIfNoSpecifiedTests=false -Dvigil.failIfNoTests=false -Dvigil.scale=$(SCALE)

# Log agent throughput (docs/performance.md, "Log agents: Vigil's config vs the OpenTelemetry
# operator's recommended filelog config"): one collector ships 2,000,000 1 KiB CRI lines (200 pod
# log files) to a fresh VictoriaLogs under Vigil's config, the OpenTelemetry Helm chart's
# logsCollection preset, and Vigil's config less one part at a time (BREAKDOWN=false: the first two
# only); about 20 minutes on 2 cores, 2 GB of files in e2e/target (deleted after). Prints the table
# and writes it to e2e/target/log-throughput.txt. `make test` runs 200,000 lines, the first two only.
BREAKDOWN ?= true
bench-logs: tools
	. $(TOOLS_DIR)/env.sh && $(MVN) -pl e2e -am verify -Dtest=LogThroughputIT \
	  -Dsurefire.failIfNoSpecifiedTests=false -Dvigil.failIfNoTests=false -Dvigil.logbench=full \
	  -Dvigil.logbench.breakdown=$(BREAKDOWN)
