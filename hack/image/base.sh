#!/usr/bin/env bash
# Builds the base of Vigil's container image offline, from what this Debian machine's package
# registry and JDK give: a JRE made with jlink (only the modules the operator uses), the C
# libraries that JRE loads (from Debian packages), a non-root user 65532, and no shell.
#
#   base.sh                the base as a `docker save` tarball, for Jib's `tar://` base image:
#                          ${VIGIL_TOOLS_DIR:-$HOME/.cache/vigil-tools}/image/vigil-base.tar
#   base.sh --rootfs DIR   the same root filesystem as a directory (the Dockerfile's rootfs stage)
#
# Idempotent: the tarball is rebuilt only when this script, the JDK or a package's candidate
# version changed (stamps/image-base). Needs apt-get, dpkg-deb, tar, sha256sum and a Java 17 JDK
# with jmods (Debian 12: openjdk-17-jdk-headless, installed here when missing). See docs/image.md.
set -euo pipefail

TOOLS_DIR=${VIGIL_TOOLS_DIR:-$HOME/.cache/vigil-tools}
OUT_DIR=$TOOLS_DIR/image
OUT_TAR=$OUT_DIR/vigil-base.tar
STAMP=$TOOLS_DIR/stamps/image-base
JDK=${VIGIL_IMAGE_JDK:-/usr/lib/jvm/java-17-openjdk-amd64}

# The operator's modules: `jdeps -s -R` over the classes of the shaded jar lists java.base,
# java.desktop (java.beans, for Jackson's @ConstructorProperties support), java.logging,
# java.management, java.naming, java.net.http, java.sql, java.xml, jdk.httpserver,
# jdk.management, jdk.unsupported, and java.compiler, which only annotation processors and
# Vert.x's verticle compiler use, so it is left out. jdk.crypto.ec is loaded as a service (TLS
# with EC keys and ECDHE, as the API server speaks), which jdeps cannot see.
JRE_MODULES=java.base,java.desktop,java.logging,java.management,java.naming,java.net.http,java.sql,java.xml,jdk.httpserver,jdk.management,jdk.unsupported,jdk.crypto.ec
# What that JRE loads (ldd over bin/java and lib/**/*.so): glibc, zlib, libstdc++ and libgcc_s
# for libjvm.so. From libc-bin only the C.UTF-8 locale is kept (LANG=C.UTF-8 makes Java's
# file.encoding and sun.jnu.encoding UTF-8; glibc 2.36 does not build it in). gcc-12-base only
# brings the copyright file the gcc libraries point to.
PACKAGES=(libc6 libc-bin zlib1g libstdc++6 libgcc-s1 gcc-12-base)
NONROOT_UID=65532
# Fixed file times, so the same inputs make the same layer digest.
EPOCH=0

log() { printf '[vigil-image %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { printf '[vigil-image] ERROR: %s\n' "$*" >&2; exit 1; }

apt_install() { # apt_install PKG...
  if [[ $(id -u) -eq 0 ]]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"; fi
}

ensure_jmods() {
  [[ -f $JDK/jmods/java.base.jmod ]] && return
  command -v apt-get >/dev/null || die "no jmods in $JDK and no apt-get to install them"
  log "no jmods in $JDK: installing openjdk-17-jdk-headless"
  apt_install openjdk-17-jdk-headless
  # Debian 13 and later ship the jmods in a package of their own.
  [[ -f $JDK/jmods/java.base.jmod ]] || apt_install openjdk-17-jmods
  [[ -f $JDK/jmods/java.base.jmod ]] || die "still no $JDK/jmods/java.base.jmod"
}

candidate_versions() { # "pkg=version ...", as apt would download them now (one apt-cache call)
  apt-cache policy "${PACKAGES[@]}" 2>/dev/null \
    | awk '/^[^ ]/ {sub(":$", "", $1); p=$1} /Candidate:/ {printf "%s=%s ", p, $2}'
}

apt_update() {
  if [[ $(id -u) -eq 0 ]]; then apt-get update -qq; else sudo apt-get update -qq; fi
}

# A fresh machine or image may have no package lists yet: no candidate versions to download.
ensure_package_lists() {
  local versions; versions=$(candidate_versions)
  if [[ $(grep -o '=' <<<"$versions" | wc -l) -ne ${#PACKAGES[@]} || $versions == *'=(none)'* ]]; then
    log "no package lists: apt-get update"
    apt_update
  fi
}

download_packages() { # download_packages DIR
  local dir=$1
  if ! (cd "$dir" && apt-get download "${PACKAGES[@]}" >/dev/null 2>&1); then
    log "apt-get download failed: refreshing the package lists"
    apt_update
    (cd "$dir" && apt-get download "${PACKAGES[@]}" >/dev/null)
  fi
}

# make_rootfs DIR: the whole root filesystem, owned by whoever runs this (make_layer and the
# Dockerfile set the owners).
make_rootfs() {
  local root=$1 debs p deb
  debs=$(mktemp -d)
  log "downloading ${PACKAGES[*]} (apt-get download)"
  download_packages "$debs"
  mkdir -p "$root" "$root/var/lib/dpkg/status.d" "$debs/x"
  for p in "${PACKAGES[@]}"; do
    deb=$(ls "$debs"/"${p}"_*.deb)
    dpkg-deb -x "$deb" "$debs/x"
    # A status entry per package, as distroless images have, so scanners see what is inside.
    dpkg-deb -f "$deb" > "$root/var/lib/dpkg/status.d/$p"
  done
  # Keep the shared libraries, the loader's symlink, the C.UTF-8 locale and the copyright files;
  # leave out gconv (iconv modules the JVM never loads), libc-bin's programs, translations,
  # lintian and gdb helpers, changelogs.
  ( cd "$debs/x"
    find . \( -type f -o -type l \) \( -path './lib*/*' -o -path './usr/lib/*' \) \
      ! -path '*/gconv/*' -print0
    find . -path './usr/share/doc/*' \( -name copyright -o -type l \) -print0
  ) | (cd "$debs/x" && tar --null -cf - -T -) | tar -xf - -C "$root"
  rm -rf "$debs"

  log "jlink $JRE_MODULES"
  jlink_jre "$root/opt/java"
  check_libraries "$root"

  mkdir -p "$root/etc" "$root/app" "$root/tmp" "$root/home/nonroot"
  chmod 1777 "$root/tmp"
  chmod 0700 "$root/home/nonroot"
  printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:%s:%s:nonroot:/home/nonroot:/sbin/nologin\n' \
    "$NONROOT_UID" "$NONROOT_UID" > "$root/etc/passwd"
  printf 'root:x:0:\nnonroot:x:%s:\n' "$NONROOT_UID" > "$root/etc/group"
  printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$root/etc/nsswitch.conf"
  # The Debian release the packages come from (this machine's), for scanners.
  cp /usr/lib/os-release "$root/etc/os-release"
  chmod 0644 "$root/etc/passwd" "$root/etc/group" "$root/etc/nsswitch.conf" "$root/etc/os-release"
}

# check_libraries ROOT: every library the JRE's programs and libraries link against is in the
# image. java.desktop's own native libraries (AWT, fonts, images, sound, splash screen) are left
# out of the check: they need X11, freetype, ALSA... and load only for graphics the operator
# never draws; Jackson uses java.desktop for java.beans alone.
check_libraries() {
  local root=$1 f lib
  while read -r f; do
    case ${f##*/} in libawt*|libfontmanager.so|libjavajpeg.so|libjawt.so|libjsound.so|liblcms.so|libmlib_image.so|libsplashscreen.so) continue ;; esac
    for lib in $(ldd "$f" | awk '/=>/ {print $1}'); do
      find "$root" -name "$lib" | grep -q . || die "${f#"$root"} needs $lib, which no package of PACKAGES provides"
    done
  done < <(find "$root/opt/java/bin" "$root/opt/java/lib" -type f \( -name '*.so' -o -perm -u+x \) | sort)
}

jlink_jre() { # jlink_jre DIR
  "$JDK/bin/jlink" --add-modules "$JRE_MODULES" --strip-debug --no-header-files --no-man-pages \
    --compress=2 --output "$1"
}

# make_layer ROOTFS LAYER_TAR: every file owned by root, except the home of user 65532.
make_layer() {
  local root=$1 layer=$2
  local opts=(--format=gnu --sort=name --mtime="@$EPOCH" --numeric-owner)
  (cd "$root" && tar -cf "$layer" "${opts[@]}" --owner=0 --group=0 --exclude=./home/nonroot .)
  (cd "$root" && tar -rf "$layer" "${opts[@]}" --owner="$NONROOT_UID" --group="$NONROOT_UID" ./home/nonroot)
}

# make_image_tar ROOTFS OUT: a one-layer image in `docker save` form (manifest.json, config, layer).
make_image_tar() {
  local root=$1 out=$2 dir diff config arch
  dir=$(mktemp -d)
  make_layer "$root" "$dir/layer.tar"
  diff=$(sha256sum "$dir/layer.tar" | cut -d' ' -f1)
  arch=$(dpkg --print-architecture)
  cat > "$dir/config.json.tmp" <<JSON
{"architecture":"$arch","os":"linux","config":{"Env":["PATH=/opt/java/bin:/usr/bin:/bin","JAVA_HOME=/opt/java","LANG=C.UTF-8"],"User":"$NONROOT_UID:$NONROOT_UID","WorkingDir":"/app"},"rootfs":{"type":"layers","diff_ids":["sha256:$diff"]},"history":[{"created":"1970-01-01T00:00:00Z","created_by":"hack/image/base.sh: jlink JRE ($JRE_MODULES) and Debian ${PACKAGES[*]}"}]}
JSON
  config=$(sha256sum "$dir/config.json.tmp" | cut -d' ' -f1)
  mv "$dir/config.json.tmp" "$dir/$config.json"
  printf '[{"Config":"%s.json","RepoTags":["vigil-base:local"],"Layers":["layer.tar"]}]\n' "$config" > "$dir/manifest.json"
  mkdir -p "$(dirname "$out")"
  (cd "$dir" && tar -cf "$out.tmp" --format=gnu --sort=name --mtime="@$EPOCH" --owner=0 --group=0 --numeric-owner \
     manifest.json "$config.json" layer.tar)
  mv -f "$out.tmp" "$out"
  rm -rf "$dir"
}

main() {
  command -v dpkg-deb >/dev/null && command -v apt-get >/dev/null \
    || die "needs a Debian-based machine (apt-get, dpkg-deb); elsewhere build with the Dockerfile"
  ensure_jmods
  ensure_package_lists
  if [[ ${1:-} == --rootfs ]]; then
    [[ -n ${2:-} ]] || die "usage: base.sh --rootfs DIR"
    make_rootfs "$2"
    if [[ $(id -u) -eq 0 ]]; then chown -R 0:0 "$2" && chown "$NONROOT_UID:$NONROOT_UID" "$2/home/nonroot"; fi
    log "root filesystem in $2 ($(du -sh "$2" | cut -f1))"
    return
  fi
  local key
  key="$(sha256sum "${BASH_SOURCE[0]}" | cut -c1-16) $(sed -n 's/^IMPLEMENTOR_VERSION=//p; s/^JAVA_RUNTIME_VERSION=//p' "$JDK/release" | tr -d '"' | tr '\n' ' ')$(candidate_versions)"
  if [[ -f $STAMP && $(cat "$STAMP") == "$key" && -f $OUT_TAR ]]; then
    log "base image: up to date ($OUT_TAR)"; return
  fi
  local root; root=$(mktemp -d)
  make_rootfs "$root/rootfs"
  make_image_tar "$root/rootfs" "$OUT_TAR"
  rm -rf "$root"
  mkdir -p "$(dirname "$STAMP")"
  printf '%s' "$key" > "$STAMP"
  log "base image: $OUT_TAR ($(du -h "$OUT_TAR" | cut -f1))"
}

main "$@"
