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
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$DEMO"
}
trap cleanup EXIT INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
etcd_port=$(free_port); peer_port=$(free_port); api_port=$(free_port); http_port=${VIGIL_DEMO_HTTP_PORT:-8080}

echo "== certificates (a throw-away CA; the admin user is in system:masters)"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=vigil-demo-ca \
  -keyout "$DEMO/ca.key" -out "$DEMO/ca.crt" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/O=system:masters/CN=vigil-demo-admin" \
  -keyout "$DEMO/admin.key" -out "$DEMO/admin.csr" 2>/dev/null
openssl x509 -req -in "$DEMO/admin.csr" -CA "$DEMO/ca.crt" -CAkey "$DEMO/ca.key" \
  -CAcreateserial -days 1 -out "$DEMO/admin.crt" 2>/dev/null
openssl genrsa -out "$DEMO/sa.key" 2048 2>/dev/null

echo "== etcd on 127.0.0.1:$etcd_port, kube-apiserver on 127.0.0.1:$api_port"
"$VIGIL_ETCD" --name demo --data-dir "$DEMO/etcd" \
  --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
  --listen-peer-urls "http://127.0.0.1:$peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" \
  --initial-cluster "demo=http://127.0.0.1:$peer_port" > "$DEMO/etcd.log" 2>&1 &
PIDS+=($!)
"$VIGIL_KUBE_APISERVER" --etcd-servers "http://127.0.0.1:$etcd_port" \
  --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$api_port" --cert-dir "$DEMO/certs" \
  --authorization-mode RBAC --client-ca-file "$DEMO/ca.crt" \
  --service-account-issuer https://localhost --service-account-key-file "$DEMO/sa.key" \
  --service-account-signing-key-file "$DEMO/sa.key" --service-cluster-ip-range 10.0.0.0/24 \
  --disable-admission-plugins ServiceAccount > "$DEMO/apiserver.log" 2>&1 &
PIDS+=($!)

export KUBECONFIG=$DEMO/kubeconfig
"$VIGIL_KUBECTL" config set-cluster demo --server "https://127.0.0.1:$api_port" --insecure-skip-tls-verify=true >/dev/null
"$VIGIL_KUBECTL" config set-credentials admin --client-certificate "$DEMO/admin.crt" --client-key "$DEMO/admin.key" >/dev/null
"$VIGIL_KUBECTL" config set-context demo --cluster demo --user admin >/dev/null
"$VIGIL_KUBECTL" config use-context demo >/dev/null
for _ in $(seq 1 90); do "$VIGIL_KUBECTL" get ns default >/dev/null 2>&1 && break; sleep 1; done
"$VIGIL_KUBECTL" get ns default >/dev/null || { tail -20 "$DEMO/apiserver.log"; exit 1; }

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
