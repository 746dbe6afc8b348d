# Sourced by hack/demo.sh and e2e/tools/verify.sh: a local control plane on 127.0.0.1 from the
# binaries install.sh built. Needs VIGIL_ETCD, VIGIL_KUBE_APISERVER and VIGIL_KUBECTL (env.sh).
#
#   start_control_plane DIR   certificates, etcd, kube-apiserver (RBAC on, client-cert admin in
#                             system:masters), kubeconfig DIR/kubeconfig; waits until
#                             `kubectl get ns default` works (90 s at most). Appends the two
#                             process ids to the caller's PIDS array (etcd first, so callers that
#                             stop newest-first stop kube-apiserver before etcd).

cp_free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start_control_plane() {
  local d=$1 etcd_port peer_port api_port
  mkdir -p "$d/certs"
  etcd_port=$(cp_free_port); peer_port=$(cp_free_port); api_port=$(cp_free_port)
  openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=vigil-local-ca \
    -keyout "$d/ca.key" -out "$d/ca.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/O=system:masters/CN=vigil-admin" \
    -keyout "$d/admin.key" -out "$d/admin.csr" 2>/dev/null
  openssl x509 -req -in "$d/admin.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" \
    -CAcreateserial -days 1 -out "$d/admin.crt" 2>/dev/null
  openssl genrsa -out "$d/sa.key" 2048 2>/dev/null

  "$VIGIL_ETCD" --name local --data-dir "$d/etcd" \
    --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" \
    --initial-cluster "local=http://127.0.0.1:$peer_port" > "$d/etcd.log" 2>&1 &
  PIDS+=($!)
  "$VIGIL_KUBE_APISERVER" --etcd-servers "http://127.0.0.1:$etcd_port" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$api_port" --cert-dir "$d/certs" \
    --authorization-mode RBAC --client-ca-file "$d/ca.crt" \
    --service-account-issuer https://localhost --service-account-key-file "$d/sa.key" \
    --service-account-signing-key-file "$d/sa.key" --service-cluster-ip-range 10.0.0.0/24 \
    --disable-admission-plugins ServiceAccount > "$d/apiserver.log" 2>&1 &
  PIDS+=($!)

  local kubeconfig=$d/kubeconfig
  "$VIGIL_KUBECTL" --kubeconfig "$kubeconfig" config set-cluster local \
    --server "https://127.0.0.1:$api_port" --insecure-skip-tls-verify=true >/dev/null
  "$VIGIL_KUBECTL" --kubeconfig "$kubeconfig" config set-credentials admin \
    --client-certificate "$d/admin.crt" --client-key "$d/admin.key" >/dev/null
  "$VIGIL_KUBECTL" --kubeconfig "$kubeconfig" config set-context local --cluster local --user admin >/dev/null
  "$VIGIL_KUBECTL" --kubeconfig "$kubeconfig" config use-context local >/dev/null
  local deadline=$(( SECONDS + 90 ))
  until "$VIGIL_KUBECTL" --kubeconfig "$kubeconfig" get ns default >/dev/null 2>&1; do
    if (( SECONDS >= deadline )); then
      tail -20 "$d/etcd.log" "$d/apiserver.log" >&2
      echo "kube-apiserver + etcd: kubectl get ns default did not succeed in 90s" >&2
      return 1
    fi
    sleep 1
  done
}
