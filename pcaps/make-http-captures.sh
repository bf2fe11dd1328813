#!/usr/bin/env bash
# make-http-captures.sh - HTTP/1.1 captures: nginx serving static files to
# curl and to a raw pipelining client.
#
# Usage:  sudo pcaps/make-http-captures.sh [all|nginx|range|websocket]
#         (root: network namespaces; default all)
#
# Network rules, as make-captures.sh: traffic only between two namespaces
# this script creates (tapir-http-a <-> tapir-http-b over a veth pair,
# 10.99.80.0/24), removed on exit; only the processes started here are
# stopped, by PID.  Idempotent: stale namespaces of the same names are
# deleted first and the capture overwritten.
#
# Capture http-nginx.pcap (port 80), connection by connection:
#   1. keep-alive: GET /index.html (200), GET /big.bin (200, 100 000
#      bytes over many segments), GET /missing (404), one connection;
#   2. HEAD /index.html (Content-Length but no body);
#   3. GET /words.txt with Accept-Encoding: gzip (nginx gzips on the fly:
#      Transfer-Encoding: chunked);
#   4. GET /index.html with If-Modified-Since: 304;
#   5. POST /index.html with a 3000-byte body and Expect: 100-continue
#      (nginx: 405, after 100 Continue if it sends one);
#   6. a raw client (bash /dev/tcp) pipelining GET /index.html, HEAD
#      /words.txt and GET /missing in one segment.
# The served files are made here, deterministic; their SHA-256 are in
# pcaps/README.md.
#
# Capture http-range.pcap (port 80), nginx and curl, a connection each:
#   GET /big.bin bytes 0-99 (206, Content-Range), bytes 1000-1999 (206),
#   GET /index.html bytes 0-9,20-29 (206 multipart/byteranges), GET
#   /big.bin bytes 200000- (416 Range Not Satisfiable).
#
# Capture http-websocket.pcap (port 80): pcaps/ws-echo.py (python3, the
# standard library only) as a WebSocket echo server in B and its client in
# A: the opening handshake (GET /chat with Upgrade: websocket, 101
# Switching Protocols), then the client's frames, all masked, each echoed
# unmasked: two text frames, a text message in two fragments, a 300-byte
# binary frame (16-bit length), a 70 000-byte binary frame (64-bit
# length), ping/pong and close/close.
set -euo pipefail
WHICH=${1:-all}
case $WHICH in all | nginx | range | websocket) ;; *) echo "usage: $0 [all|nginx|range|websocket]" >&2; exit 2 ;; esac

OUT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NS_A=tapir-http-a
NS_B=tapir-http-b
IF_A=vhttp-a
IF_B=vhttp-b
IP_A=10.99.80.1
IP_B=10.99.80.2

ME=make-http-captures.sh
WORK_TAG=tapir-http-captures
# shellcheck source=pcaps/netns.sh
. "$OUT/netns.sh"
for t in tcpdump ip curl nginx ss python3; do
    command -v "$t" >/dev/null 2>&1 || die "missing $t (packages tcpdump iproute2 curl nginx-light)"
done
netns_up

# the served files, deterministic, dated (304 needs a fixed time)
WWW="$WORK/www"
mkdir -p "$WWW"
printf '<!doctype html>\n<title>tapir</title>\n<p>Hello from tapir.</p>\n' >"$WWW/index.html"
python3 -c 'import sys; sys.stdout.buffer.write(bytes((i * 7 + (i >> 8)) & 255 for i in range(100000)))' >"$WWW/big.bin"
for i in $(seq 1 400); do printf 'line %03d: packet capture dissector stream segment\n' "$i"; done >"$WWW/words.txt"
touch -d '2026-01-01 00:00:00 UTC' "$WWW"/*

cat >"$WORK/nginx.conf" <<CONF
daemon off;
master_process off;
user root;
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/error.log;
events { worker_connections 64; }
http {
    access_log off;
    types { text/html html; text/plain txt; application/octet-stream bin; }
    default_type application/octet-stream;
    keepalive_timeout 10;
    if_modified_since before;
    gzip on;
    gzip_types text/plain;
    gzip_min_length 20;
    server {
        listen $IP_B:80;
        root $WWW;
    }
}
CONF

start_nginx() {
    ip netns exec "$NS_B" nginx -c "$WORK/nginx.conf" -p "$WORK" 2>"$WORK/nginx.err" &
    SRV=$!
    PIDS+=("$SRV")
    wait_listen 80 || die "nginx did not start: $(cat "$WORK/nginx.err" "$WORK/error.log" 2>/dev/null)"
}
stop_nginx() {
    kill "$SRV"
    wait "$SRV" 2>/dev/null || true
}

if [[ $WHICH == all || $WHICH == nginx ]]; then
start_nginx

start_capture "$OUT/http-nginx.pcap" "tcp port 80"

U=http://$IP_B
c=(curl -s -o /dev/null --max-time 5)
log "keep-alive, HEAD, gzip chunked, 304, POST"
in_a "${c[@]}" "$U/index.html" -o /dev/null "$U/big.bin" -o /dev/null "$U/missing"
in_a "${c[@]}" -I "$U/index.html"
in_a "${c[@]}" -H 'Accept-Encoding: gzip' "$U/words.txt"
in_a "${c[@]}" -H 'If-Modified-Since: Fri, 02 Jan 2026 00:00:00 GMT' "$U/index.html"
head -c 3000 "$WWW/words.txt" >"$WORK/post.txt"
in_a "${c[@]}" -H 'Expect: 100-continue' --data-binary @"$WORK/post.txt" "$U/index.html"
log "pipelining"
in_a bash -c "exec 3<>/dev/tcp/$IP_B/80
printf 'GET /index.html HTTP/1.1\r\nHost: t\r\n\r\nHEAD /words.txt HTTP/1.1\r\nHost: t\r\n\r\nGET /missing HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' >&3
timeout 5 cat <&3 >/dev/null"
stop_capture
stop_nginx
log "served files:"
(cd "$WWW" && sha256sum index.html big.bin words.txt) >&2
fi

if [[ $WHICH == all || $WHICH == range ]]; then
start_nginx
start_capture "$OUT/http-range.pcap" "tcp port 80"
U=http://$IP_B
log "ranges"
in_a curl -s -o /dev/null --max-time 5 -r 0-99 "$U/big.bin"
in_a curl -s -o /dev/null --max-time 5 -r 1000-1999 "$U/big.bin"
in_a curl -s -o /dev/null --max-time 5 -r 0-9,20-29 "$U/index.html"
in_a curl -s -o /dev/null --max-time 5 -r 200000- "$U/big.bin"
stop_capture
stop_nginx
fi

if [[ $WHICH == all || $WHICH == websocket ]]; then
log "WebSocket upgrade and echo"
ip netns exec "$NS_B" python3 "$OUT/ws-echo.py" server "$IP_B" 80 >"$WORK/ws.out" 2>&1 &
WS=$!
PIDS+=("$WS")
wait_listen 80 || die "ws-echo.py server did not start: $(cat "$WORK/ws.out")"
start_capture "$OUT/http-websocket.pcap" "tcp port 80"
in_a python3 "$OUT/ws-echo.py" client "$IP_B" 80 || die "ws-echo.py client failed"
wait "$WS" || die "ws-echo.py server failed: $(cat "$WORK/ws.out")"
stop_capture
fi
log "done"
