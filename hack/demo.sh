#!/usr/bin/env bash
# `make demo`: Vigil end to end on one machine, without containers or a kubelet.
#
#   1. etcd + kube-apiserver (RBAC on) on 127.0.0.1, Vigil's CRDs, the operator jar;
#   2. pretend workloads (hack/demo/workloads.py): Pods (status written through the status
#      subresource), Services and EndpointSlices in the namespaces the example stack selects,
#      pointing at processes this script starts: sample apps (hack/demo/sample-app.py, HTTP and
#      HTTPS with a bearer token) and the operator itself; the Secrets the examples reference;
#      stand-ins for the example's remote write backend and the stack's Alertmanager pods
#      (hack/demo/receiver.py);
#   3. manifests/examples/ (the remote write URL moved to that stand-in) and
#      hack/demo/monitors.yaml (Vigil's own ServiceMonitor and a deliberately broken one);
#   4. one real Prometheus per shard, run with the prometheus.yml the operator wrote into the
#      Secret <stack>-prometheus-<shard>-config (the Alertmanager pods' Service names moved to the
#      stand-in, as a cluster's DNS would resolve them to pods), scraping what the operator's
#      HTTP service discovery serves;
#   5. a summary: targets per scrape pool and shard as Prometheus reports them, Prometheus URLs,
#      `kubectl get ms,vsmon,vpmon -A`.
# Then it runs until Ctrl-C, which stops everything it started, newest first; meanwhile it
# rewrites a shard's files and reloads its Prometheus when the operator changes the config Secret.
#
#   hack/demo.sh --check   (or VIGIL_DEMO_CHECK=1) the same without waiting for Ctrl-C: exits 0
#                          once every expected target is up in Prometheus, 1 if not within
#                          VIGIL_DEMO_TIMEOUT seconds (90). CI runs this (make test).
# Ports: the operator on VIGIL_DEMO_HTTP_PORT (8080), Prometheus shard i on 9090+i, or free ones
# when those are taken (always free ones with --check).
# Traffic: the demo reaches only 127.0.0.0/8 and a network namespace of its own. As root the
# stand-in apps run in that namespace (hack/demo/netns.sh, removed on exit); without root (or with
# VIGIL_DEMO_HOST_IP) they listen on this machine's own address, with a warning. --check fails when
# a Prometheus of the demo uses any other address (hack/demo/local-traffic.py).
set -euo pipefail
cd "$(dirname "$0")/.."
TOOLS_DIR=${VIGIL_TOOLS_DIR:-$HOME/.cache/vigil-tools}
# shellcheck disable=SC1091
. "$TOOLS_DIR/env.sh"

CHECK=${VIGIL_DEMO_CHECK:-0}
case "${1:-}" in
  --check) CHECK=1 ;;
  "") ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac
TIMEOUT=${VIGIL_DEMO_TIMEOUT:-90}
STACK_NS=monitoring STACK=platform
kubectl() { "$VIGIL_KUBECTL" "$@"; }
# shellcheck source=demo/netns.sh
. hack/demo/netns.sh

DEMO=$(mktemp -d /tmp/vigil-demo.XXXXXX)
PIDS=() NAMES=()
started() { PIDS+=("$1"); NAMES+=("$2"); }

stop_all() {
  local i pid t
  for (( i=${#PIDS[@]}-1; i>=0; i-- )); do  # newest first: Prometheus ... kube-apiserver, etcd
    pid=${PIDS[i]}
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; continue; }
    kill -TERM "$pid" 2>/dev/null || true
    for (( t=0; t<150; t++ )); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && { echo "  ${NAMES[i]} ignored SIGTERM for 15 s: SIGKILL"; kill -KILL "$pid" 2>/dev/null || true; }
    wait "$pid" 2>/dev/null || true
  done
}
cleanup() {
  local status=$?
  trap '' INT TERM
  if (( ${#PIDS[@]} )); then
    local names=() i
    for (( i=${#NAMES[@]}-1; i>=0; i-- )); do names+=("${NAMES[i]}"); done
    echo; echo "stopping (newest first): ${names[*]}"
    stop_all
  fi
  [[ -n $NETNS_NAME ]] && echo "deleting network namespace $NETNS_NAME" && netns_delete
  if (( status != 0 )) && [[ ${VIGIL_DEMO_KEEP:-0} != 0 ]]; then echo "logs kept in $DEMO"; else rm -rf "$DEMO"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() {
  echo "demo FAILED: $1" >&2
  shift
  local log
  for log in "$@"; do [[ -f $log ]] && { echo "--- last lines of $log" >&2; tail -25 "$log" >&2; }; done
  exit 1
}

# A port nobody listens on, on any address; the preferred one when it is free (not with --check,
# which must not collide with a demo someone is running).
free_port() {
  python3 - "$CHECK" "${1:-0}" <<'EOF'
import socket, sys
check, preferred = sys.argv[1] == "1", int(sys.argv[2])
for port in ([] if check or not preferred else [preferred]) + [0]:
    s = socket.socket()
    try:
        s.bind(("", port))
    except OSError:
        continue
    print(s.getsockname()[1])
    break
EOF
}

http_port=${VIGIL_DEMO_HTTP_PORT:-$(free_port 8080)}
sd_url=http://127.0.0.1:$http_port
# EndpointSlices may not point at 127.0.0.0/8, and the demo may reach nothing but loopback and
# addresses it created. As root, the stand-in apps run in a network namespace of the demo's own:
# pods behind Services at APP_IP (one port each), pods a PodMonitor scrapes on a fixed port at
# NET.11, NET.12, ..., the remote write and Alertmanager stand-ins at NET.3 and NET.4, all inside it;
# the operator's pod is this
# machine's end of the veth pair. Without root: this machine's own address and a 127.x NET.
app_exec=()
if [[ -z ${VIGIL_DEMO_HOST_IP:-} ]] && netns_possible; then
  netns_remove_leftovers
  netns_create || fail "could not create a network namespace for the stand-in apps (ip netns, as root)"
  app_ip=$NETNS_PREFIX.2 net=$NETNS_PREFIX operator_ip=$NETNS_HOST allowed=$NETNS_PREFIX.0/24
  for a in "$net.3" "$net.4" "$net.11" "$net.12"; do netns_address "$a" || fail "address $a in $NETNS_NAME"; done
  app_exec=(ip netns exec "$NETNS_NAME")
  mimir_addr=$net.3:9009 alertmanager_addr=$net.4:9093
  echo "== network namespace $NETNS_NAME for the stand-in apps: $allowed (this machine's end $NETNS_HOST)"
else
  host_ip=${VIGIL_DEMO_HOST_IP:-$(ip -4 -o addr show scope global 2>/dev/null | awk '{split($4, a, "/"); print a[1]; exit}')}
  [[ -n $host_ip ]] || host_ip=$(hostname -I 2>/dev/null | awk '{print $1}')
  [[ -n $host_ip ]] || fail "this machine has no IPv4 address besides loopback; set VIGIL_DEMO_HOST_IP"
  if [[ $CHECK == 1 ]]; then net=${VIGIL_DEMO_NET:-127.$(( RANDOM % 200 + 20 )).0}; else net=${VIGIL_DEMO_NET:-127.0.0}; fi
  app_ip=$host_ip operator_ip=$host_ip allowed=$host_ip/32
  mimir_addr=127.0.0.1:$(free_port) alertmanager_addr=127.0.0.1:$(free_port)
  echo "WARNING: not root (or VIGIL_DEMO_HOST_IP set): no network namespace, so the stand-in apps listen on"
  echo "         this machine's address $host_ip and Prometheus scrapes it; as root they get a namespace of their own."
fi
mimir_url=http://$mimir_addr/api/v1/push

# shellcheck source=../e2e/tools/control-plane.sh
. e2e/tools/control-plane.sh
echo "== etcd and kube-apiserver on 127.0.0.1 (RBAC on; a throw-away CA, the admin user in system:masters)"
start_control_plane "$DEMO" || fail "control plane" "$DEMO/etcd.log" "$DEMO/apiserver.log"
NAMES+=(etcd kube-apiserver)
export KUBECONFIG=$DEMO/kubeconfig

echo "== CRDs"
kubectl apply --server-side -f crds/ >/dev/null
kubectl wait --for condition=Established --timeout=60s crd --all >/dev/null

[[ -f operator/target/vigil-operator.jar ]] || fail "no operator/target/vigil-operator.jar: run make build (make demo does)"
echo "== operator (logs: $DEMO/operator.log; metrics: http://127.0.0.1:$http_port/metrics; service discovery: $sd_url/sd/v1/)"
# docs/tenancy.md: the platform stack lives in monitoring; the example ServiceMonitor in shop also
# watches shop-canary, which only a monitor in a platform namespace may do, so the demo's shop team
# is trusted with both of its namespaces.
platform_namespaces=monitoring,shop
java -jar operator/target/vigil-operator.jar --leader-election=false --http-port="$http_port" \
  --service-discovery-url="$sd_url" --platform-namespaces="$platform_namespaces" > "$DEMO/operator.log" 2>&1 &
started $! operator
for _ in $(seq 1 60); do curl -fsS "http://127.0.0.1:$http_port/readyz" >/dev/null 2>&1 && break; sleep 1; done
curl -fsS "http://127.0.0.1:$http_port/readyz" >/dev/null 2>&1 || fail "the operator did not become ready in 60 s" "$DEMO/operator.log"

echo "== workloads: Pods, Services, EndpointSlices (no kubelet runs: the demo writes pod status itself)"
python3 hack/demo/workloads.py plan "$app_ip" "$net" "$operator_ip" "$http_port" > "$DEMO/plan.json"
python3 hack/demo/workloads.py objects "$DEMO/plan.json" > "$DEMO/workloads.json"
kubectl create namespace "$STACK_NS" --dry-run=client -o yaml | kubectl apply --server-side -f - >/dev/null
kubectl apply --server-side -f "$DEMO/workloads.json" >/dev/null
while read -r ns name patch; do
  kubectl patch pod "$name" -n "$ns" --subresource=status --type=merge -p "$patch" >/dev/null
done < <(python3 hack/demo/workloads.py status "$DEMO/plan.json")
kubectl get pods -A -o wide

echo "== Secrets the examples reference (demo values: a throw-away CA, a random token)"
app_dir=$DEMO/apps && mkdir -p "$app_dir"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=checkout-demo-ca \
  -keyout "$app_dir/ca.key" -out "$app_dir/ca.crt" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj /CN=checkout.shop.svc \
  -keyout "$app_dir/tls.key" -out "$app_dir/tls.csr" 2>/dev/null
printf 'subjectAltName=DNS:checkout.shop.svc\n' > "$app_dir/san.ext"
openssl x509 -req -in "$app_dir/tls.csr" -CA "$app_dir/ca.crt" -CAkey "$app_dir/ca.key" -CAcreateserial \
  -days 1 -extfile "$app_dir/san.ext" -out "$app_dir/tls.crt" 2>/dev/null
python3 -c 'import secrets; print(secrets.token_urlsafe(24), end="")' > "$app_dir/token"
secret() { kubectl create secret generic "$@" --dry-run=client -o yaml | kubectl apply --server-side -f - >/dev/null; }
secret checkout-tls -n shop --from-file=ca.crt="$app_dir/ca.crt"
secret checkout-scrape-token -n shop --from-file=token="$app_dir/token"
secret mimir-credentials -n "$STACK_NS" --from-literal=username=demo --from-literal=password=not-a-secret
# The example stack's Alertmanager and the example AlertPolicy's receivers read these.
secret smtp-credentials -n "$STACK_NS" --from-literal=password=not-a-secret
secret checkout-pagerduty -n shop --from-literal=routing-key=demo-routing-key
secret checkout-slack -n shop --from-literal=webhook-url=https://hooks.slack.example/demo
echo "shop/checkout-tls (ca.crt), shop/checkout-scrape-token (token), $STACK_NS/mimir-credentials (username, password),"
echo "$STACK_NS/smtp-credentials (password), shop/checkout-pagerduty (routing-key), shop/checkout-slack (webhook-url)"

echo "== sample apps standing in for the pods (logs: $app_dir/*.log)"
n=0
while read -r line; do
  eval "args=($line)"
  "${app_exec[@]}" python3 hack/demo/sample-app.py "${args[@]}" > "$app_dir/app-$n.log" 2>&1 &
  started $! "sample-app-$n"
  echo "  pid $!: sample-app.py $line" | sed "s|$app_dir/||g"
  n=$((n + 1))
done < <(python3 hack/demo/workloads.py apps "$DEMO/plan.json" "$app_dir")
# The example stack remote-writes to Mimir with the Secret mimir-credentials, and its Prometheus
# notifies the stack's Alertmanager pods: stand-ins that check those credentials and count what
# they get, instead of resolving mimir.example.com and the pods' Service names.
printf '%s' not-a-secret > "$app_dir/mimir-password"
"${app_exec[@]}" python3 hack/demo/receiver.py --listen "$mimir_addr" --listen "$alertmanager_addr" \
  --username demo --password-file "$app_dir/mimir-password" > "$app_dir/receiver.log" 2>&1 &
started $! receiver
echo "  pid $!: receiver.py: remote write on $mimir_url (for https://mimir.example.com/api/v1/push),"
echo "         Alertmanager on http://$alertmanager_addr (for the stack's Alertmanager pods)"
sleep 1
for (( i=0; i<${#PIDS[@]}; i++ )); do
  log=$app_dir/app-${NAMES[i]#sample-app-}.log
  [[ ${NAMES[i]} == receiver ]] && log=$app_dir/receiver.log
  kill -0 "${PIDS[i]}" 2>/dev/null || fail "${NAMES[i]} exited" "$log"
done

echo "== examples (manifests/examples/, remote write to $mimir_url) and the demo's monitors (hack/demo/monitors.yaml)"
mkdir -p "$DEMO/examples"
for f in manifests/examples/*.yaml; do
  sed "s|https://mimir.example.com/api/v1/push|$mimir_url|" "$f" > "$DEMO/examples/${f##*/}"
done
grep -q "$mimir_url" "$DEMO/examples/monitoringstack.yaml" ||
  fail "manifests/examples/monitoringstack.yaml no longer remote-writes to https://mimir.example.com/api/v1/push: update hack/demo.sh"
kubectl apply --server-side -f "$DEMO/examples/" -f hack/demo/monitors.yaml

shards=$(kubectl get ms "$STACK" -n "$STACK_NS" -o jsonpath='{.spec.scraper.shards}')
shards=${shards:-1}
echo "== Prometheus: one per shard ($shards), with the configuration Vigil wrote"
# Shard $1's configuration, from its Secret to files: the configuration reads files under
# /etc/prometheus/ (where the shard's pod would mount them), so that prefix moves to the shard's
# own directory and each file it names is written there. Prints the Secret's resourceVersion.
render_shard() {
  local i=$1 d=$DEMO/prometheus-$1 cfg=$STACK-prometheus-$1-config file kind ns name key dir cm json rv
  mkdir -p "$d/etc/sd-token"
  json=$(kubectl get secret "$cfg" -n "$STACK_NS" -o json) || return 1
  rv=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["metadata"]["resourceVersion"])' "$json")
  python3 -c 'import base64, gzip, json, sys; sys.stdout.buffer.write(gzip.decompress(base64.b64decode(json.loads(sys.argv[1])["data"]["prometheus.yml.gz"])))' \
    "$json" > "$d/prometheus.generated.yml" || return 1
  # The Alertmanager pods' names (<stack>-alertmanager-<i>.<stack>-alertmanager.<ns>.svc) would
  # resolve to pod IPs in a cluster; here they all go to the stand-in (Prometheus notifies each
  # distinct URL once).
  sed -E -e "s|/etc/prometheus/|$d/etc/|g" \
    -e "s#$STACK-alertmanager-[0-9]+\.$STACK-alertmanager\.$STACK_NS\.svc(\.cluster\.local)?:9093#$alertmanager_addr#g" \
    "$d/prometheus.generated.yml" > "$d/prometheus.yml.new"
  printf '%s' "$token" | base64 -d > "$d/etc/sd-token/token"
  while read -r file; do
    IFS=/ read -r kind ns name key <<< "${file#"$d/etc/"}"
    mkdir -p "$(dirname "$file")"
    if [[ $kind == secrets ]]; then
      kubectl get secret "$name" -n "$ns" -o go-template="{{index .data \"$key\"}}" | base64 -d > "$file"
    else
      kubectl get configmap "$name" -n "$ns" -o go-template="{{index .data \"$key\"}}" > "$file"
    fi
  done < <(grep -oE "$d/etc/(secrets|configmaps)/[^\"' ]+" "$d/prometheus.yml.new" | sort -u)
  while read -r dir; do
    mkdir -p "$dir"  # rule files: a ConfigMap of that name in the stack's namespace, if any
    cm=$(basename "$dir")
    json=$(kubectl get configmap "$cm" -n "$STACK_NS" -o json 2>/dev/null) || continue
    python3 -c '
import json, os, sys
for key, value in json.loads(sys.argv[2]).get("data", {}).items():
    open(os.path.join(sys.argv[1], key), "w").write(value)' "$dir" "$json"
  done < <(grep -oE "$d/etc/rules/[^/\"' ]+/" "$d/prometheus.yml.new" | sort -u)
  if [[ -x ${VIGIL_PROMTOOL:-} ]] && ! "$VIGIL_PROMTOOL" check config "$d/prometheus.yml.new" > "$d/promtool.log" 2>&1; then
    echo "promtool check config rejects shard $i's configuration (resourceVersion $rv):" >&2
    cat "$d/promtool.log" >&2
    return 1
  fi
  mv "$d/prometheus.yml.new" "$d/prometheus.yml"
  echo "$rv"
}

token=
for _ in $(seq 1 60); do
  token=$(kubectl get secret "$STACK-sd-token" -n "$STACK_NS" -o jsonpath='{.data.token}' 2>/dev/null || true)
  [[ -n $token ]] && kubectl get secret "$STACK-prometheus-$((shards - 1))-config" -n "$STACK_NS" >/dev/null 2>&1 && break
  sleep 1
done
[[ -n $token ]] || fail "no Secret $STACK_NS/$STACK-sd-token with key token after 60 s" "$DEMO/operator.log"
prom_urls=() prom_pids=() rvs=()
for (( i=0; i<shards; i++ )); do
  cfg=$STACK-prometheus-$i-config d=$DEMO/prometheus-$i
  kubectl get secret "$cfg" -n "$STACK_NS" >/dev/null 2>&1 ||
    fail "no Secret $STACK_NS/$cfg after 60 s: the operator did not write the shard's prometheus.yml" "$DEMO/operator.log"
  rvs[i]=$(render_shard "$i") || fail "shard $i's configuration" "$d/promtool.log"
  if [[ -n ${VIGIL_DEMO_PROMETHEUS_PORT:-} ]]; then port=$((VIGIL_DEMO_PROMETHEUS_PORT + i)); else port=$(free_port $((9090 + i))); fi
  POD_NAME=$STACK-prometheus-$i-0 "$VIGIL_PROMETHEUS" --config.file="$d/prometheus.yml" \
    --web.listen-address="127.0.0.1:$port" --storage.tsdb.path="$d/data" \
    --storage.remote.flush-deadline=1s > "$d/prometheus.log" 2>&1 &
  started $! "prometheus-$i"
  prom_pids[i]=$!
  prom_urls+=("$i=http://127.0.0.1:$port")
  echo "  shard $i: http://127.0.0.1:$port  (config: $d/prometheus.yml, from Secret $STACK_NS/$cfg; log: $d/prometheus.log)"
done

# What Vigil's reloader sidecar does in a cluster: when the operator rewrites a shard's config
# Secret (a monitor added, changed or removed), write the files again and reload that Prometheus.
follow_configs() {
  local i rv nap=
  trap 'kill $nap 2>/dev/null; exit 0' TERM  # leave no sleep behind
  while true; do
    sleep 3 & nap=$!
    wait "$nap"
    for (( i=0; i<shards; i++ )); do
      rv=$(kubectl get secret "$STACK-prometheus-$i-config" -n "$STACK_NS" -o jsonpath='{.metadata.resourceVersion}' 2>/dev/null) || continue
      [[ $rv == "${rvs[i]}" ]] && continue
      if rv=$(render_shard "$i" 2>>"$DEMO/reloads.log"); then
        rvs[i]=$rv
        kill -HUP "${prom_pids[i]}" 2>/dev/null || true
        echo "$(date +%T) shard $i: configuration changed (Secret resourceVersion $rv), Prometheus reloaded" >> "$DEMO/reloads.log"
      fi
    done
  done
}
follow_configs &
started $! config-follower
for (( i=0; i<shards; i++ )); do
  url=${prom_urls[i]#*=}
  for _ in $(seq 1 30); do curl -fsS "$url/-/ready" >/dev/null 2>&1 && break; sleep 1; done
  curl -fsS "$url/-/ready" >/dev/null 2>&1 || fail "Prometheus shard $i is not ready after 30 s" "$DEMO/prometheus-$i/prometheus.log"
done

echo
echo "== kubectl get ms,vsmon,vpmon -A"
kubectl get ms,vsmon,vpmon -A
echo
echo "== what Vigil says"
kubectl get ms,vsmon,vpmon -A -o go-template='{{range .items}}{{$o := .}}{{range .status.conditions}}{{if eq .type "Ready"}}{{$o.kind}} {{$o.metadata.namespace}}/{{$o.metadata.name}}: Ready={{.status}} ({{.reason}}) {{.message}}{{"\n"}}{{end}}{{end}}{{end}}'
echo

echo "== what Vigil deployed for the stack (kubectl get sts,svc,pdb,secret -n $STACK_NS)"
kubectl get sts,svc,pdb,secret -n "$STACK_NS"
echo "(No controllers or kubelet run here, so those StatefulSets never get pods and the stack stays"
echo " Ready=False, Progressing; the Prometheus processes above stand in for shard pods, one replica each.)"
echo

expect=()
while read -r pool count; do expect+=(--expect "$pool=$count"); done < <(python3 hack/demo/workloads.py expect "$DEMO/plan.json")
echo "(waiting up to $TIMEOUT s until Prometheus has discovered and scraped every expected target)"
summary_ok=1
python3 hack/demo/summary.py --wait "$TIMEOUT" "${expect[@]}" "${prom_urls[@]}" || summary_ok=0

if [[ $CHECK == 1 ]]; then
  (( summary_ok )) || fail "not every expected target is up" "$DEMO/operator.log" "$DEMO"/prometheus-*/prometheus.log
  # Vigil's own account must agree: the working monitors Ready, the broken one not.
  wrong=()
  for _ in $(seq 1 15); do
    wrong=()
    while read -r kind ns name want; do
      got=$(kubectl get "$kind" "$name" -n "$ns" -o go-template='{{range .status.conditions}}{{if eq .type "Ready"}}{{.status}}/{{.reason}}: {{.message}}{{end}}{{end}}')
      [[ ${got%%/*} == "$want" ]] || wrong+=("$kind $ns/$name: Ready=${got:-none}, expected Ready=$want")
    done <<'EOF'
servicemonitor shop checkout True
servicemonitor shop checkout-stable True
servicemonitor vigil-system vigil-operator True
podmonitor shop workers True
servicemonitor shop payments False
EOF
    (( ${#wrong[@]} == 0 )) && break
    sleep 1
  done
  (( ${#wrong[@]} == 0 )) || fail "Prometheus scrapes every target, but Vigil's conditions disagree:$(printf '\n  %s' "${wrong[@]}")"
  # Vigil's counts must be Prometheus's: each shard's TARGETS in the stack's status equals the
  # active targets that shard's Prometheus reports, and the relabeled monitor counts what it keeps.
  counted=
  for _ in $(seq 1 30); do
    counted=$(python3 hack/demo/counts.py "$STACK_NS" "$STACK" "${prom_urls[@]}" 2>/dev/null) && break
    counted=
    sleep 1
  done
  [[ -n $counted ]] || fail "Vigil's target counts disagree with Prometheus: $(python3 hack/demo/counts.py "$STACK_NS" "$STACK" "${prom_urls[@]}" 2>&1)"
  echo "$counted"
  # Nothing but loopback and the demo's own network: scrape URLs, Alertmanagers, remote write, SD.
  python3 hack/demo/local-traffic.py --allow "$allowed" "${prom_urls[@]}" ||
    fail "a Prometheus of the demo sends traffic outside 127.0.0.0/8 and $allowed"
  # The remote write stand-in got samples with the credentials from the Secret.
  written=
  for _ in $(seq 1 30); do
    written=$(curl -fsS "http://$mimir_addr/stats" 2>/dev/null |
      python3 -c 'import json, sys; s = json.load(sys.stdin)["remote_write"]; print(s["requests"] if s["requests"] and not s["unauthorized"] else "")' 2>/dev/null) || written=
    [[ -n $written ]] && break
    sleep 1
  done
  [[ -n $written ]] || fail "no authorized remote write request reached $mimir_url in 30 s: $(curl -sS "http://$mimir_addr/stats" 2>&1)" "$DEMO"/prometheus-*/prometheus.log
  echo "remote write: $written request(s) with the credentials of $STACK_NS/mimir-credentials reached the stand-in at $mimir_url; the Alertmanager stand-in got $(curl -fsS "http://$alertmanager_addr/stats" | python3 -c 'import json, sys; a = json.load(sys.stdin)["alerts"]; print(a["alerts"], "alert(s) in", a["posts"], "notification(s)")')"
  echo "demo check passed: every expected target is up, Vigil's conditions and counts say so, and Prometheus reached nothing outside 127.0.0.0/8 and $allowed"
  exit 0
fi

echo
echo "Explore:  export KUBECONFIG=$KUBECONFIG"
echo "          $VIGIL_KUBECTL get vigil -A;  $VIGIL_KUBECTL describe vsmon payments -n shop"
echo "          curl -s '${prom_urls[0]#*=}/api/v1/query' --data-urlencode 'query=sum by (job, code) (rate(http_requests_total[1m]))'"
echo "          the sample apps' metrics: curl http://$net.11:9100/metrics"
echo "          remote write (the example's mimir.example.com) and alerts go to a stand-in: curl http://$mimir_addr/stats"
[[ -n $NETNS_NAME ]] && echo "          the stand-in apps run in network namespace $NETNS_NAME: ip netns exec $NETNS_NAME ss -ltn"
echo "Vigil is running; Ctrl-C stops everything."
while true; do
  wait -n "${PIDS[@]}" || true
  for (( i=0; i<${#PIDS[@]}; i++ )); do
    kill -0 "${PIDS[i]}" 2>/dev/null || fail "${NAMES[i]} exited by itself" "$DEMO/operator.log"
  done
done
