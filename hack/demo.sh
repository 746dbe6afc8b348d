#!/usr/bin/env bash
# `make demo`: a local control plane (etcd + kube-apiserver with RBAC, built by e2e/tools),
# Vigil's CRDs, the operator, and the examples; then prints what `kubectl get` shows and keeps
# running until Ctrl-C, which stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
TOOLS_DIR=${VIGIL_TOOLS_DIR:-$HOME/.cache/vigil-tools}
# shellcheck disable=SC1091
. "$TOOLS_DIR/env.sh"

DEMO=$(mktemp -d /tmp/vigil-demo.XXXXXX)
PIDS=()
cleanup() {
  echo; echo "stopping: operator, kube-apiserver, etcd"
  local i  # newest first: the operator, then kube-apiserver, then etcd
  for (( i=${#PIDS[@]}-1; i>=0; i-- )); do kill "${PIDS[i]}" 2>/dev/null || true; wait "${PIDS[i]}" 2>/dev/null || true; done
  rm -rf "$DEMO"
}
trap cleanup EXIT
trap "exit 130" INT TERM

http_port=${VIGIL_DEMO_HTTP_PORT:-8080}
# shellcheck source=../e2e/tools/control-plane.sh
. e2e/tools/control-plane.sh

echo "== etcd and kube-apiserver on 127.0.0.1 (RBAC on; a throw-away CA, the admin user in system:masters)"
start_control_plane "$DEMO"
export KUBECONFIG=$DEMO/kubeconfig

echo "== CRDs"
"$VIGIL_KUBECTL" apply --server-side -f crds/
"$VIGIL_KUBECTL" wait --for condition=Established --timeout=60s crd --all >/dev/null

echo "== operator (logs: $DEMO/operator.log; metrics: http://127.0.0.1:$http_port/metrics)"
java -jar operator/target/vigil-operator.jar --leader-election=false --http-port="$http_port" \
  > "$DEMO/operator.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 60); do curl -fsS "http://127.0.0.1:$http_port/readyz" >/dev/null 2>&1 && break; sleep 1; done
curl -fsS "http://127.0.0.1:$http_port/readyz" >/dev/null || { tail -30 "$DEMO/operator.log"; exit 1; }

echo "== examples"
for ns in monitoring shop; do "$VIGIL_KUBECTL" create namespace "$ns" --dry-run=client -o yaml | "$VIGIL_KUBECTL" apply --server-side -f - >/dev/null; done
"$VIGIL_KUBECTL" apply --server-side -f manifests/examples/
sleep 3

echo "== kubectl get vigil -A"
"$VIGIL_KUBECTL" get ms,vsmon,vpmon,ap,tp -A
echo
echo "== conditions of the MonitoringStack"
"$VIGIL_KUBECTL" get ms platform -n monitoring -o jsonpath='{range .status.conditions[*]}{.type}={.status} ({.reason}): {.message}{"\n"}{end}'
echo
echo "Try: KUBECONFIG=$KUBECONFIG $VIGIL_KUBECTL explain ms.spec.scraper"
echo "Vigil is running; Ctrl-C stops everything."
wait "${PIDS[2]}"
