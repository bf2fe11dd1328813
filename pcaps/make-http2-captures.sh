#!/usr/bin/env bash
# make-http2-captures.sh - HTTP/2 captures (issue 18) with the clients' own
# frame logs: nghttpd/nghttp, nginx/curl, an Upgrade: h2c exchange and a
# capture cut to start mid-connection.
#
# Usage:  sudo pcaps/make-http2-captures.sh [all|nghttp|curl|upgrade|cut]
#         (root: network namespaces; default all)
#
# Network rules, as make-http-captures.sh: traffic only between two
# namespaces this script creates (tapir-h2-a <-> tapir-h2-b over a veth
# pair vh2-a/vh2-b, 10.99.82.0/24), removed on exit; only the processes
# started here are stopped, by PID.  Idempotent: stale namespaces of the
# same names are deleted first, captures and logs overwritten.
# Packages: nghttp2-client nghttp2-server nghttp2-proxy nginx-light curl tcpdump
# iproute2 python3.
#
# http2-nghttp.pcap (port 8080, nghttpd --no-tls, push /index.html ->
# /style.css,/app.js, --echo-upload), one nghttp -v -n connection each:
#   1. /style.css /app.js /words.txt /data.json concurrently (4 streams);
#   2. /big.bin (1 000 000 bytes) with -w 14 -W 15: WINDOW_UPDATEs flow;
#   3. POST /post (-d post.txt, 4500 bytes; echoed back);
#   4. /index.html: PUSH_PROMISE of /style.css and /app.js;
#   5. /missing: 404;
#   6. /style.css with a 20 000-byte header x-big (17 550 bytes coded):
#      HEADERS + CONTINUATION (nghttp logs them as one HEADERS frame);
#   7. nghttpd restarted with -m 1 (SETTINGS_MAX_CONCURRENT_STREAMS 1):
#      3 URIs at once, the 2 streams over the limit refused (RST_STREAM
#      REFUSED_STREAM; nghttp: "Some requests were not processed");
#   8. padding: nghttpd restarted with -b 64 (--echo-upload), nghttp -b 32
#      POSTs post.txt: PADDED HEADERS and DATA both ways.
#   Client logs (stdout) -> http2-nghttp.nghttp.txt.
# http2-curl.pcap (port 80, nginx-light `listen 80 http2`, gzip for
#   text/plain): curl --http2-prior-knowledge --compressed, a
#   connection each: /words.txt (served gzip'd), /data.json (plain),
#   /big.bin with --max-filesize 10000 (curl resets the stream).
#   curl -v output -> http2-curl.curl.txt.
# http2-upgrade.pcap (port 80, nghttpx --frontend no-tls in front of
#   nginx on B's loopback: nghttpd cannot upgrade, it sends its SETTINGS
#   first): nghttp -v -u: the HTTP/1.1 GET with Upgrade: h2c and
#   HTTP2-Settings, 101, then HTTP/2 with the response on stream 1.
#   Log -> http2-upgrade.nghttp.txt.
# http2-midcut.pcap (port 8080, nghttpd --no-tls): nghttp -v -n -a
#   /cut.html: the page, then (after it came) its 4 assets, requested in
#   HEADERS coded against the dynamic table the first request filled;
#   captured whole (not kept), then every packet before the one that
#   carries the second request's HEADERS dropped (the handshake, both
#   prefaces and SETTINGS, the first request and its response).  Log ->
#   http2-midcut.nghttp.txt, with the frame lines of the dropped packets
#   prefixed "### cut: ".
set -euo pipefail
WHICH=${1:-all}
case $WHICH in all | nghttp | curl | upgrade | cut) ;; *) echo "usage: $0 [all|nghttp|curl|upgrade|cut]" >&2; exit 2 ;; esac

OUT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NS_A=tapir-h2-a
NS_B=tapir-h2-b
IF_A=vh2-a
IF_B=vh2-b
IP_A=10.99.82.1
IP_B=10.99.82.2

ME=make-http2-captures.sh
WORK_TAG=tapir-http2-captures
# shellcheck source=pcaps/netns.sh
. "$OUT/netns.sh"
for t in tcpdump ip curl nginx nghttp nghttpd nghttpx ss python3; do
    command -v "$t" >/dev/null 2>&1 || die "missing $t (packages tcpdump iproute2 curl nginx-light nghttp2-client nghttp2-server nghttp2-proxy)"
done
netns_up

# the served files, deterministic, dated
WWW="$WORK/www"
mkdir -p "$WWW"
cat >"$WWW/index.html" <<'HTML'
<!doctype html>
<title>tapir over HTTP/2</title>
<link rel="stylesheet" href="/style.css">
<script src="/app.js"></script>
<p>Hello from tapir, pushed along with its style and script.</p>
HTML
printf 'body { font-family: monospace; }\np { color: #336; }\n' >"$WWW/style.css"
printf 'document.title += " (app.js ran)";\n' >"$WWW/app.js"
for i in $(seq 1 400); do printf 'line %03d: http/2 frame stream window hpack table\n' "$i"; done >"$WWW/words.txt"
python3 -c 'import json, sys; json.dump({"frames": [{"type": t, "n": i} for i, t in enumerate(["DATA", "HEADERS", "PRIORITY", "RST_STREAM", "SETTINGS", "PUSH_PROMISE", "PING", "GOAWAY", "WINDOW_UPDATE", "CONTINUATION"])]}, sys.stdout, indent=1); print()' >"$WWW/data.json"
python3 -c 'import sys; sys.stdout.buffer.write(bytes((i * 13 + (i >> 9)) & 255 for i in range(1000000)))' >"$WWW/big.bin"
for i in $(seq 1 100); do printf 'post line %03d: a request body in DATA frames\n' "$i"; done >"$WORK/post.txt"
cat >"$WWW/cut.html" <<'HTML'
<!doctype html>
<title>tapir: a capture cut mid-connection</title>
<link rel="stylesheet" href="/style.css">
<script src="/app.js"></script>
<img src="/a.png" alt="a"><img src="/b.png" alt="b">
HTML
python3 -c 'import sys; sys.stdout.buffer.write(bytes((i * 31) & 255 for i in range(3000)))' >"$WWW/a.png"
python3 -c 'import sys; sys.stdout.buffer.write(bytes((i * 17 + 5) & 255 for i in range(5000)))' >"$WWW/b.png"
touch -d '2026-01-01 00:00:00 UTC' "$WWW"/* "$WORK/post.txt"

# nginx_conf LISTEN: nginx.conf for the files, gzip for text/plain
nginx_conf() {
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
    types { text/html html; text/css css; text/plain txt; application/json json; application/octet-stream bin; }
    default_type application/octet-stream;
    gzip on;
    gzip_types text/plain;
    gzip_min_length 20;
    server {
        listen $1;
        root $WWW;
    }
}
CONF
}
# nghttp_conn LOG N ARGS...: one nghttp -v connection (run in $WORK: -d
# post.txt), its stdout appended to LOG after "### connection N: <command>"
# (or "### connection N: nghttp $SHOW")
nghttp_conn() {
    local logf=$1 n=$2
    shift 2
    printf '### connection %d: nghttp %s\n' "$n" "${SHOW:-$*}" >>"$logf"
    (cd "$WORK" && in_a timeout 20 nghttp "$@") >"$WORK/nghttp.out" || die "nghttp $* failed: $(cat "$WORK/nghttp.out")"
    cat "$WORK/nghttp.out" >>"$logf"
    [[ ${REFUSED_OK:-} ]] || ! grep -q 'not processed\|\[ERROR\]' "$WORK/nghttp.out" || die "nghttp $*: $(grep 'not processed\|\[ERROR\]' "$WORK/nghttp.out")"
}
NGHTTPD=(nghttpd --no-tls -a "$IP_B" -d "$WWW" --mime-types-file=/etc/mime.types)

if [[ $WHICH == all || $WHICH == nghttp ]]; then
    log "http2-nghttp.pcap"
    L="$OUT/http2-nghttp.nghttp.txt"
    : >"$L"
    start_server 8080 "${NGHTTPD[@]}" --echo-upload -p /index.html=/style.css,/app.js 8080
    start_capture "$OUT/http2-nghttp.pcap" "tcp port 8080"
    U=http://$IP_B:8080
    nghttp_conn "$L" 1 -v -n "$U/style.css" "$U/app.js" "$U/words.txt" "$U/data.json"
    nghttp_conn "$L" 2 -v -n -w 14 -W 15 "$U/big.bin"
    nghttp_conn "$L" 3 -v -n -d post.txt "$U/post"
    nghttp_conn "$L" 4 -v -n "$U/index.html"
    nghttp_conn "$L" 5 -v -n "$U/missing"
    SHOW="-v -n -H 'x-big: <20000 x>' $U/style.css" \
        nghttp_conn "$L" 6 -v -n -H "x-big: $(printf 'x%.0s' $(seq 1 20000))" "$U/style.css"
    stop_server
    start_server 8080 "${NGHTTPD[@]}" -m 1 8080
    REFUSED_OK=1 nghttp_conn "$L" 7 -v -n "$U/style.css" "$U/app.js" "$U/data.json"
    stop_server
    start_server 8080 "${NGHTTPD[@]}" --echo-upload -b 64 8080
    nghttp_conn "$L" 8 -v -n -b 32 -d post.txt "$U/post"
    stop_capture
    stop_server
fi

if [[ $WHICH == all || $WHICH == curl ]]; then
    log "http2-curl.pcap"
    nginx_conf "$IP_B:80 http2"
    start_server 80 nginx -c "$WORK/nginx.conf" -p "$WORK"
    start_capture "$OUT/http2-curl.pcap" "tcp port 80"
    U=http://$IP_B
    # two connections: curl 7.88.1 fails a second request on a reused
    # prior-knowledge connection ("Error in the HTTP2 framing layer",
    # curl issue 10634, fixed in 8.0)
    : >"$OUT/http2-curl.curl.txt"
    n=0
    # the third: curl gives up on big.bin (content-length over
    # --max-filesize, exit 63) and resets the stream
    for f in words.txt data.json 'big.bin --max-filesize 10000'; do
        n=$((n + 1))
        # shellcheck disable=SC2206 # the option after big.bin is meant to split
        cmd=(curl -sS -v --http2-prior-knowledge --compressed --max-time 10 -o /dev/null $U/$f)
        printf '### connection %d: %s\n' "$n" "${cmd[*]}" >>"$OUT/http2-curl.curl.txt"
        rc=0
        in_a "${cmd[@]}" >>"$OUT/http2-curl.curl.txt" 2>&1 || rc=$?
        [[ $rc -eq 0 || ($n -eq 3 && $rc -eq 63) ]] || die "curl failed ($rc): $(cat "$OUT/http2-curl.curl.txt")"
    done
    stop_capture
    stop_server
fi

if [[ $WHICH == all || $WHICH == upgrade ]]; then
    log "http2-upgrade.pcap"
    L="$OUT/http2-upgrade.nghttp.txt"
    : >"$L"
    nginx_conf 127.0.0.1:8000
    start_server 8000 nginx -c "$WORK/nginx.conf" -p "$WORK"
    start_server 80 nghttpx --conf=/dev/null --single-process --no-ocsp \
        --frontend="$IP_B,80;no-tls" --backend=127.0.0.1,8000 \
        --errorlog-file="$WORK/nghttpx.err" --accesslog-file=/dev/null
    start_capture "$OUT/http2-upgrade.pcap" "tcp port 80"
    nghttp_conn "$L" 1 -v -n -u "http://$IP_B/index.html"
    stop_capture
    stop_server
fi

if [[ $WHICH == all || $WHICH == cut ]]; then
    log "http2-midcut.pcap"
    L="$OUT/http2-midcut.nghttp.txt"
    : >"$WORK/midcut.txt"
    start_server 8080 "${NGHTTPD[@]}" 8080
    start_capture "$WORK/midcut-whole.pcap" "tcp port 8080"
    U=http://$IP_B:8080
    nghttp_conn "$WORK/midcut.txt" 1 -v -n -a "$U/cut.html"
    stop_capture
    stop_server
    # find the packet with the second request's HEADERS; drop all before
    # it; mark the log's frame lines of the dropped packets
    python3 - "$WORK/midcut-whole.pcap" "$OUT/http2-midcut.pcap" "$WORK/midcut.txt" "$L" 8080 <<'PY'
import re, struct, sys
src, dst, logsrc, logdst, sport = sys.argv[1:5] + [int(sys.argv[5])]
data = open(src, 'rb').read()
assert data[:4] == b'\xd4\xc3\xb2\xa1', 'little-endian us pcap expected'
recs, pos = [], 24
while pos + 16 <= len(data):
    incl = struct.unpack('<I', data[pos + 8:pos + 12])[0]
    recs.append(data[pos:pos + 16 + incl])
    pos += 16 + incl
# per direction: the stream's bytes and, per packet, the frames begun
buf = {True: b'', False: b''}
need = {True: 24, False: 0}          # client preface first
frames = []                          # (packet index, to_server, type, sid)
starts = {}                          # packet index -> offset-0 frame?
for k, r in enumerate(recs):
    p = r[16:]
    assert p[12:14] == b'\x08\x00'
    ihl = (p[14] & 15) * 4
    t = p[14 + ihl:]
    sp, dp = struct.unpack('>HH', t[:4])
    pay = t[(t[12] >> 4) * 4:]
    up = dp == sport
    if not pay:
        continue
    starts[k] = (up, len(buf[up]) == need[up])
    buf[up] += pay
    while len(buf[up]) >= need[up] + 9:
        h = buf[up][need[up]:need[up] + 9]
        ln = int.from_bytes(h[:3], 'big')
        if len(buf[up]) < need[up] + 9 + ln:
            break
        frames.append((k, up, h[3], int.from_bytes(h[5:9], 'big') & 0x7fffffff, need[up]))
        need[up] += 9 + ln
heads = [f for f in frames if f[1] and f[2] == 1]
cut = heads[1][0]
assert starts[cut] == (True, True), 'second HEADERS does not start its packet'
# frames with bytes before the cut packet: all frames that ended in an earlier packet
gone = {True: 0, False: 0}
for k, up, ty, sid, off in frames:
    if k < cut:
        gone[up] += 1
# each direction's first payload after the cut must begin a frame
for up in (True, False):
    after = [k for k in sorted(starts) if k >= cut and starts[k][0] == up]
    assert not after or starts[after[0]][1], 'a frame straddles the cut'
open(dst, 'wb').write(data[:24] + b''.join(recs[cut:]))
out, seen = [], {'send': 0, 'recv': 0}
fr = re.compile(r'^\[\s*[0-9.]+\] (send|recv) \w+ frame <')
for line in open(logsrc):
    m = fr.match(line)
    if m:
        d = m.group(1)
        seen[d] += 1
        if seen[d] <= gone[d == 'send']:
            line = '### cut: ' + line
    out.append(line)
open(logdst, 'w').write(''.join(out))
print('midcut: packets 1-%d of %d dropped (second request HEADERS, stream %d, '
      'is in packet %d); frames cut: client %d, server %d'
      % (cut, len(recs), heads[1][3], cut + 1, gone[True], gone[False]), file=sys.stderr)
PY
fi
log "served files:"
(cd "$WWW" && sha256sum index.html style.css app.js words.txt data.json big.bin cut.html a.png b.png && cd "$WORK" && sha256sum post.txt) >&2
for f in nghttp curl upgrade midcut; do
    [[ -f "$OUT/http2-$f.pcap" ]] && printf '%s %s bytes\n' "http2-$f.pcap" "$(stat -c %s "$OUT/http2-$f.pcap")" >&2
done
log "done"
