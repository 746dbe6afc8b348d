# shellcheck shell=bash
# A network namespace of the demo's own for its stand-in apps (sourced by hack/demo.sh).
#
# The API server refuses loopback addresses in EndpointSlices, and the demo may send traffic only
# to 127.0.0.0/8 and to addresses it created itself. As root, netns_create makes a namespace
# vigil-<pid>-<random>, joined to this machine by a veth pair with a free /24 of 198.18.0.0/15
# (RFC 2544's benchmarking range: never routed on the internet, and not 10/8): this machine's end
# is $NETNS_PREFIX.1 ($NETNS_HOST), the namespace's end $NETNS_PREFIX.2; netns_address adds more.
# netns_exec runs a command inside; netns_delete stops what runs there and removes the namespace
# and with it the veth pair. netns_remove_leftovers deletes the namespaces of earlier runs whose
# process is gone. e2e/src/test/java/dev/vigil/e2e/harness/TestNetwork.java does the same for the
# Java tests, with the same names.

NETNS_NAME= NETNS_PREFIX= NETNS_HOST= NETNS_VETH=

netns_possible() {
  [[ $(id -u) == 0 ]] && command -v ip >/dev/null 2>&1
}

# Deletes a namespace after killing what still runs in it.
netns_kill_and_delete() {
  local name=$1 pid
  for pid in $(ip netns pids "$name" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
  ip netns del "$name" 2>/dev/null || true
}

netns_remove_leftovers() {
  local name pid
  while read -r name _; do
    [[ $name =~ ^vigil-([0-9]+)-[0-9a-f]+$ ]] || continue
    pid=${BASH_REMATCH[1]}
    kill -0 "$pid" 2>/dev/null && continue
    echo "  deleting the network namespace of a run that is gone: $name"
    netns_kill_and_delete "$name"
  done < <(ip netns list 2>/dev/null)
}

# A /24 of 198.18.0.0/15 that no route or address of this machine uses; prints its first three
# octets.
netns_free_subnet() {
  local used n prefix attempt
  used=$(ip -4 route show table all; ip -4 -o addr show)
  for (( attempt=0; attempt<100; attempt++ )); do
    n=$(( (RANDOM * 32768 + RANDOM) % 512 ))
    prefix=198.$(( 18 + n / 256 )).$(( n % 256 ))
    [[ $used == *"$prefix."* ]] || { echo "$prefix"; return 0; }
  done
  return 1
}

netns_create() {
  local hex
  hex=$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
  NETNS_NAME=vigil-$$-$hex
  NETNS_VETH=vgl$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')  # at most 15 characters
  NETNS_PREFIX=$(netns_free_subnet) || { echo "no free /24 in 198.18.0.0/15" >&2; return 1; }
  NETNS_HOST=$NETNS_PREFIX.1
  ip netns add "$NETNS_NAME" &&
    ip link add "$NETNS_VETH" type veth peer name "${NETNS_VETH}n" netns "$NETNS_NAME" &&
    ip addr add "$NETNS_HOST/24" dev "$NETNS_VETH" &&
    ip link set "$NETNS_VETH" up &&
    ip -n "$NETNS_NAME" link set lo up &&
    ip -n "$NETNS_NAME" link set "${NETNS_VETH}n" up &&
    netns_address "$NETNS_PREFIX.2"
}

# Adds ADDRESS (in $NETNS_PREFIX.0/24) to the namespace's end of the veth pair.
netns_address() {
  ip -n "$NETNS_NAME" addr add "$1/24" dev "${NETNS_VETH}n"
}

netns_exec() {
  ip netns exec "$NETNS_NAME" "$@"
}

netns_delete() {
  [[ -n $NETNS_NAME ]] || return 0
  netns_kill_and_delete "$NETNS_NAME"
  NETNS_NAME=
}
