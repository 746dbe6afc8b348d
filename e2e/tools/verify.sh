#!/usr/bin/env bash
# Smoke-checks the tools installed by e2e/tools/install.sh:
#  - starts etcd + kube-apiserver on 127.0.0.1 (random ports, temp dirs, client-cert admin in
#    system:masters, RBAC, service-account keys) and runs `kubectl get ns default`, then stops them;
#  - prometheus: starts it briefly, /-/ready and buildinfo; promtool check config;
#  - amtool check-config; otelcol validate; jaeger version / validate; thanos version and flags.
#  - kube-state-metrics version; node_exporter serves node_cpu_seconds_total on loopback.
# Usage: verify.sh [kube] [prometheus] [alertmanager] [otelcol] [jaeger] [thanos] [ksm] [node-exporter]   (no args = all)
set -euo pipefail

TOOLS_DIR=${VIGIL_TOOLS_DIR:-$HOME/.cache/vigil-tools}
# shellcheck disable=SC1091
. "$TOOLS_DIR/env.sh"
# shellcheck source=control-plane.sh
. "$(dirname "${BASH_SOURCE[0]}")/control-plane.sh"
TMP=$(mktemp -d)
PIDS=()
cleanup() { stop_procs; rm -rf "$TMP"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
ok() { printf 'OK   %s\n' "$*"; }
fail() { printf 'FAIL %s\n' "$*" >&2; exit 1; }
wait_for() { # wait_for SECONDS CMD...
  local deadline=$(( SECONDS + $1 )); shift
  until "$@" >/dev/null 2>&1; do (( SECONDS < deadline )) || return 1; sleep 1; done
}

verify_kube() {
  local d=$TMP/kube t0=$SECONDS
  mkdir -p "$d"
  start_control_plane "$d" || fail "kube-apiserver + etcd did not start"
  local kc=(--kubeconfig "$d/kubeconfig")
  "$VIGIL_KUBECTL" "${kc[@]}" get ns default
  ok "kube-apiserver $("$VIGIL_KUBECTL" "${kc[@]}" version -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["serverVersion"]["gitVersion"])') + $("$VIGIL_ETCD" --version | sed -n 1p): kubectl get ns default after $(( SECONDS - t0 ))s"
  # an unprivileged identity is refused by RBAC
  local out; out=$("$VIGIL_KUBECTL" "${kc[@]}" --as system:serviceaccount:default:nobody get pods -n default 2>&1 || true)
  if [[ $out == *Forbidden* ]]; then ok "RBAC denies system:serviceaccount:default:nobody"
  else echo "$out" >&2; fail "RBAC did not deny an unbound service account"; fi
  stop_procs
}
stop_procs() { # newest first (kube-apiserver before etcd)
  local i; for (( i=${#PIDS[@]}-1; i>=0; i-- )); do kill "${PIDS[i]}" 2>/dev/null || true; wait "${PIDS[i]}" 2>/dev/null || true; done; PIDS=()
}

verify_prometheus() {
  local d=$TMP/prom p; mkdir -p "$d"; p=$(free_port)
  cat > "$d/prometheus.yml" <<'EOF'
global: { scrape_interval: 15s }
rule_files: [rules.yml]
scrape_configs:
  - job_name: self
    static_configs: [{ targets: ["127.0.0.1:9090"] }]
EOF
  cat > "$d/rules.yml" <<'EOF'
groups:
  - name: vigil
    rules:
      - alert: AlwaysFiring
        expr: vector(1) > 0
        for: 1m
EOF
  "$VIGIL_PROMTOOL" --version | sed -n 1p
  "$VIGIL_PROMTOOL" check config "$d/prometheus.yml" >/dev/null && ok "promtool check config"
  (cd "$d" && exec "$VIGIL_PROMETHEUS" --config.file=prometheus.yml --storage.tsdb.path=data \
     --web.listen-address="127.0.0.1:$p" > prom.log 2>&1) &
  PIDS+=($!)
  wait_for 30 curl -fsS "http://127.0.0.1:$p/-/ready" || { tail "$d/prom.log" >&2; fail "prometheus not ready"; }
  ok "prometheus ready: $(curl -fsS "http://127.0.0.1:$p/api/v1/status/buildinfo" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["version"])'); UI /query -> HTTP $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$p/query")"
  stop_procs
}

verify_alertmanager() {
  local d=$TMP/am; mkdir -p "$d"
  cat > "$d/alertmanager.yml" <<'EOF'
route: { receiver: "null" }
receivers: [{ name: "null" }]
EOF
  "$VIGIL_AMTOOL" --version 2>&1 | sed -n 1p
  "$VIGIL_AMTOOL" check-config "$d/alertmanager.yml" >/dev/null && ok "amtool check-config"
  "$VIGIL_ALERTMANAGER" --version 2>&1 | sed -n 1p
  local p; p=$(free_port)
  (cd "$d" && exec "$VIGIL_ALERTMANAGER" --config.file=alertmanager.yml --storage.path=data \
     --web.listen-address="127.0.0.1:$p" --cluster.listen-address= > am.log 2>&1) &
  PIDS+=($!)
  wait_for 30 curl -fsS "http://127.0.0.1:$p/-/ready" || { tail "$d/am.log" >&2; fail "alertmanager not ready"; }
  ok "alertmanager ready: $(curl -fsS "http://127.0.0.1:$p/api/v2/status" | python3 -c 'import json,sys; print(json.load(sys.stdin)["versionInfo"]["version"])'); UI / -> HTTP $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$p/")"
  stop_procs
}

verify_otelcol() {
  local d=$TMP/otel; mkdir -p "$d"
  cat > "$d/config.yaml" <<'EOF'
extensions:
  health_check: { endpoint: 127.0.0.1:13133 }
receivers:
  otlp: { protocols: { grpc: { endpoint: 127.0.0.1:4317 }, http: { endpoint: 127.0.0.1:4318 } } }
  jaeger: { protocols: { grpc: { endpoint: 127.0.0.1:14250 } } }
  zipkin: { endpoint: 127.0.0.1:9411 }
processors:
  memory_limiter: { check_interval: 1s, limit_mib: 256 }
  batch: {}
  k8sattributes: { auth_type: serviceAccount, passthrough: true }
  probabilistic_sampler: { sampling_percentage: 50 }
  tail_sampling: { policies: [{ name: all, type: always_sample }] }
exporters:
  debug: {}
  otlp: { endpoint: 127.0.0.1:4319, tls: { insecure: true } }
  otlphttp: { endpoint: "http://127.0.0.1:4320" }
service:
  extensions: [health_check]
  pipelines:
    traces:
      receivers: [otlp, jaeger, zipkin]
      processors: [memory_limiter, k8sattributes, probabilistic_sampler, tail_sampling, batch]
      exporters: [debug, otlp, otlphttp]
EOF
  "$VIGIL_OTELCOL" --version
  "$VIGIL_OTELCOL" validate --config="$d/config.yaml" && ok "otelcol validate (otlp, jaeger, zipkin, k8sattributes, tail_sampling, ...)"
}

verify_jaeger() {
  ok "jaeger version: $("$VIGIL_JAEGER" version 2>/dev/null | tail -1)"
}

verify_thanos() {
  "$VIGIL_THANOS" --version 2>&1 | grep -q 'version 0.42.4' || fail "thanos --version is not 0.42.4"
  "$VIGIL_THANOS" query --help 2>&1 | grep -q -- '--query.replica-label' || fail "thanos query has no --query.replica-label"
  "$VIGIL_THANOS" sidecar --help 2>&1 | grep -q -- '--prometheus.url' || fail "thanos sidecar has no --prometheus.url"
  ok "thanos: $("$VIGIL_THANOS" --version 2>&1 | sed -n 1p)"
}

verify_ksm() { # it needs an API server to serve anything: ClusterMetricsIT runs it against one
  ok "kube-state-metrics: $("$VIGIL_KUBE_STATE_METRICS" version | sed -n 1p)"
}

verify_node-exporter() {
  local d=$TMP/node-exporter p; mkdir -p "$d"; p=$(free_port)
  "$VIGIL_NODE_EXPORTER" --web.listen-address="127.0.0.1:$p" > "$d/log" 2>&1 &
  PIDS+=($!)
  wait_for 20 curl -fsS "http://127.0.0.1:$p/metrics" || { tail "$d/log" >&2; fail "node_exporter not serving"; }
  local metrics; metrics=$(curl -fsS "http://127.0.0.1:$p/metrics")
  [[ $metrics == *$'\nnode_cpu_seconds_total{'* ]] || fail "node_exporter: no node_cpu_seconds_total"
  ok "node_exporter $("$VIGIL_NODE_EXPORTER" --version 2>&1 | sed -n 1p | awk '{print $3}'): /metrics has node_cpu_seconds_total"
  stop_procs
}

want=("$@"); [[ $# -gt 0 ]] || want=(kube prometheus alertmanager otelcol jaeger thanos ksm node-exporter)
for t in "${want[@]}"; do "verify_$t"; done
