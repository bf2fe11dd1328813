# shellcheck shell=bash
# netns.sh - what the capture scripts share (sourced, bash): two network
# namespaces joined by a veth pair, removed on exit with every process
# started here (stopped by PID), tcpdump on A's side, servers in B.
#
# The caller sets NS_A NS_B IF_A IF_B IP_A IP_B (its own names and its
# own /24), ME (its name, for messages) and WORK_TAG, then calls
# netns_up; it runs as root.  After it: $WORK (a temporary directory,
# removed on exit), in_a CMD..., start_capture FILE FILTER / stop_capture
# (fails when tcpdump dropped packets), wait_listen PORT,
# start_server PORT CMD... / stop_server, forget PID.

log() { printf '==> %s\n' "$*" >&2; }
die() { printf '%s: error: %s\n' "$ME" "$*" >&2; exit 1; }

PIDS=()
SRVS=()
netns_cleanup() {
    local p
    for p in "${PIDS[@]:-}"; do
        [[ -n $p ]] || continue
        kill "$p" 2>/dev/null || true
        wait "$p" 2>/dev/null || true
    done
    ip netns del "$NS_A" 2>/dev/null || true
    ip netns del "$NS_B" 2>/dev/null || true
    if [[ -n ${WORK:-} ]]; then rm -rf "$WORK"; fi
}

# forget PID: a process stopped and waited for leaves PIDS (its number may
# be reused by then)
forget() {
    local p keep=()
    for p in "${PIDS[@]:-}"; do
        [[ -n $p && $p != "$1" ]] && keep+=("$p")
    done
    PIDS=("${keep[@]:-}")
}

in_a() { ip netns exec "$NS_A" "$@"; }

# The namespaces (stale ones of the same names deleted first), the veth
# pair with permanent neighbours (no ARP in the captures) and no offloads
# (segments as on a wire), and $WORK.
netns_up() {
    [[ $EUID -eq 0 ]] || die "must run as root: sudo $0"
    WORK="$(mktemp -d "/tmp/$WORK_TAG.XXXXXX")"
    chmod 755 "$WORK"
    trap netns_cleanup EXIT
    ip netns del "$NS_A" 2>/dev/null || true
    ip netns del "$NS_B" 2>/dev/null || true
    ip netns add "$NS_A"
    ip netns add "$NS_B"
    local ns
    for ns in "$NS_A" "$NS_B"; do
        ip netns exec "$ns" ip link set lo up
    done
    ip link add "$IF_A" netns "$NS_A" type veth peer name "$IF_B" netns "$NS_B"
    ip -n "$NS_A" addr add "$IP_A/24" dev "$IF_A"
    ip -n "$NS_B" addr add "$IP_B/24" dev "$IF_B"
    ip -n "$NS_A" link set "$IF_A" up
    ip -n "$NS_B" link set "$IF_B" up
    local mac_a mac_b
    mac_a=$(ip -n "$NS_A" -br link show "$IF_A" | awk '{print $3}')
    mac_b=$(ip -n "$NS_B" -br link show "$IF_B" | awk '{print $3}')
    ip -n "$NS_A" neigh replace "$IP_B" lladdr "$mac_b" dev "$IF_A" nud permanent
    ip -n "$NS_B" neigh replace "$IP_A" lladdr "$mac_a" dev "$IF_B" nud permanent
    if command -v ethtool >/dev/null 2>&1; then
        ip netns exec "$NS_A" ethtool -K "$IF_A" tso off gso off gro off >/dev/null 2>&1 || true
        ip netns exec "$NS_B" ethtool -K "$IF_B" tso off gso off gro off >/dev/null 2>&1 || true
    fi
}

# start_capture FILE FILTER: tcpdump on A's side until stop_capture
start_capture() {
    CAP=$1
    rm -f "$CAP"
    : >"$WORK/cap.err"
    ip netns exec "$NS_A" tcpdump -Z root -U --immediate-mode -w "$CAP" -i "$IF_A" "$2" 2>"$WORK/cap.err" &
    CAP_PID=$!
    PIDS+=("$CAP_PID")
    local i
    for ((i = 0; i < 100; i++)); do
        grep -q 'listening on' "$WORK/cap.err" 2>/dev/null && break
        sleep 0.1
    done
    sleep 0.3
}
stop_capture() {
    sleep 0.5
    kill -INT "$CAP_PID"
    wait "$CAP_PID" || true
    forget "$CAP_PID"
    grep -q '^0 packets dropped by kernel' "$WORK/cap.err" || die "tcpdump dropped packets: $(cat "$WORK/cap.err")"
}
wait_listen() {
    local i
    for ((i = 0; i < 100; i++)); do
        ip netns exec "$NS_B" ss -Hlnt "sport = :$1" | grep -q . && return 0
        sleep 0.1
    done
    return 1
}
# start_server PORT CMD...: in B, until stop_server
start_server() {
    local port=$1
    shift
    ip netns exec "$NS_B" "$@" </dev/null >>"$WORK/server.out" 2>&1 &
    SRVS+=("$!")
    PIDS+=("$!")
    wait_listen "$port" || die "$1 did not start: $(cat "$WORK/server.out" "$WORK/error.log" 2>/dev/null)"
}
stop_server() {
    local p
    for p in "${SRVS[@]:-}"; do
        [[ -n $p ]] || continue
        kill "$p"
        wait "$p" 2>/dev/null || true
        forget "$p"
    done
    SRVS=()
}
