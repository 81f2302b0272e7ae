#!/usr/bin/env bash
# Kaigi next to Chromium on the same LiveKit room, in one run (make bench):
# join time, CPU and peak memory of one participant that sends 640x480@30
# and receives 1, 4 and 9 remote 640x480 streams (from cheap publishers
# that loop a pre-encoded stream), each RUNS times; then Kaigi-to-Kaigi
# glass-to-glass latency. Writes docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}; SECS=${SECS:-20}; LOADS=${LOADS:-1 4 9}
export LANG=en_US.UTF-8
bin=build/kaigi
lk=$(scripts/livekit-server.sh)
tmp=$(mktemp -d); trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT
(cd bench/web && { [ -d node_modules/livekit-client ] || npm ci --no-audit --no-fund >/dev/null; } && npx esbuild page.js --bundle --format=esm --outfile=dist/page.js --log-level=warning)
key=devkey; secret=kaigi-bench-secret-that-is-long-enough-0123456789
cat > "$tmp/lk.yaml" <<YAML
port: 17980
bind_addresses: ["127.0.0.1"]
rtc: {tcp_port: 17981, udp_port: 17982, use_external_ip: false, node_ip: 127.0.0.1, enable_loopback_candidate: true}
keys: {$key: $secret}
logging: {level: warn}
YAML
"$lk" --config "$tmp/lk.yaml" >"$tmp/lk.log" 2>&1 &
sleep 2
token() { "$lk" --keys "$key: $secret" create-join-token --room "$1" --identity "$2" 2>/dev/null | grep -o 'eyJ[A-Za-z0-9._-]*' | head -1; }
python3 -m http.server 17990 --bind 127.0.0.1 --directory bench/web >/dev/null 2>&1 &
ticks=$(getconf CLK_TCK)
results=$tmp/results.jsonl
for load in $LOADS; do
  room=load$load
  pubs=()
  for i in $(seq "$load"); do
    "$bin" join "ws://127.0.0.1:17980?token=$(token $room pub$i)" --headless --send-only --replay --name "pub$i" \
      --tone $((300 + 20 * i)) --duration 3600s 2>/dev/null &
    pubs+=($!)
  done
  sleep 3
  for run in $(seq "$RUNS"); do
    # Kaigi: process start to connected / first frame; CPU and memory while in the room.
    start=$(date +%s.%N)
    "$bin" join "ws://127.0.0.1:17980?token=$(token $room kaigi$run)" --headless --fake-media --name Kaigi \
      --duration "$((SECS + 3))s" --stats-json "$tmp/k.json" 2>/dev/null &
    pid=$!
    sleep 3; c0=$(awk '{print $14+$15}' /proc/$pid/stat); t0=$(date +%s.%N)
    sleep "$SECS"; c1=$(awk '{print $14+$15}' /proc/$pid/stat); t1=$(date +%s.%N)
    rss=$(awk '/VmHWM/ {print $2/1024}' /proc/$pid/status)
    wait $pid || true
    python3 - "$tmp/k.json" "$load" "$c0" "$c1" "$t0" "$t1" "$ticks" "$rss" >>"$results" <<'PY'
import json, sys
k = json.load(open(sys.argv[1])); load = int(sys.argv[2])
c0, c1, t0, t1, hz, rss = map(float, sys.argv[3:9])
print(json.dumps({"client": "kaigi", "load": load, "connected_ms": k["connected_ms"], "first_frame_ms": k["first_frame_ms"],
  "cpu_s_per_min": 60 * (c1 - c0) / hz / (t1 - t0), "peak_rss_mb": rss,
  "streams_seen": sum(1 for p in k["peers"] if p["video_frames"] > 0)}))
PY
    # Chromium: navigation to connected / first frame; CPU and memory of the whole browser.
    out=$(cd bench/web && node run.mjs "http://127.0.0.1:17990/index.html?url=ws%3A%2F%2F127.0.0.1%3A17980&token=$(token $room chrome$run)" "$SECS")
    python3 - "$load" "$out" >>"$results" <<'PY'
import json, sys
load = int(sys.argv[1]); s = json.loads(sys.argv[2])
print(json.dumps({"client": "chromium", "load": load, "connected_ms": s["connected_ms"], "first_frame_ms": s["first_frame_ms"],
  "cpu_s_per_min": 60 * s["cpu_seconds"] / s["wall_seconds"], "peak_rss_mb": s["peak_rss_mb"],
  "streams_seen": sum(1 for v in s["frames"].values() if v > 0)}))
PY
  done
  kill "${pubs[@]}" 2>/dev/null; wait "${pubs[@]}" 2>/dev/null || true
done
# Glass-to-glass latency, Kaigi to Kaigi, from the stamps in the pattern.
for who in a b; do
  "$bin" join "ws://127.0.0.1:17980?token=$(token latency lat$who)" --headless --fake-media --name "lat$who" --duration 15s --stats-json "$tmp/lat$who.json" 2>/dev/null &
done
wait $(jobs -p | tail -2) 2>/dev/null || true
# Our part of docs/benchmarks.md, between its markers; the other sections stay.
python3 bench/report.py "$results" "$tmp/lata.json" "$tmp/latb.json" "$RUNS" > "$tmp/report.md"
python3 - "$tmp/report.md" <<'PY'
import sys
doc = open("docs/benchmarks.md").read()
start, end = "<!-- bench/compare.sh writes from here -->\n", "<!-- to here -->\n"
head, _, rest = doc.partition(start)
_, _, tail = rest.partition(end)
open("docs/benchmarks.md", "w").write(head + start + open(sys.argv[1]).read().rstrip("\n") + "\n" + end + tail)
PY
cat "$tmp/report.md"
