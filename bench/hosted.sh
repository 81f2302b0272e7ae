#!/usr/bin/env bash
# A large meeting Kaigi hosts (make bench, issue 19): N participants in one
# `kaigi host`, joined from two processes. V of them send a 640x480@30
# pre-encoded loop and a tone and receive nothing; the other N-V send a
# tone and receive everyone's sound and video the way small tiles ask for
# it (the low layer where there are layers), counting what arrives instead
# of decoding it, so that this machine's CPU goes to the host. Measures the
# host's CPU and peak RSS, and what each receiver got from each sender.
#
#   RUNS=3 SECS=30 bench/hosted.sh [N] [V]     (default 50 12)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=build/kaigi
n=${1:-50}; v=${2:-12}; secs=${SECS:-30}; runs=${RUNS:-3}
tmp=$(mktemp -d); trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT
ticks=$(getconf CLK_TCK)
cpu() { awk '{print $14+$15}' /proc/$1/stat; }
echo "hosted.sh: $n participants ($v with video), ${secs} s measured, load $(cut -d' ' -f1 /proc/loadavg)" >&2
printf '| run | host CPU (%% of one core) | host peak RSS (MB) | sound packets/s per stream (median, lowest) | pictures/s per video (median, lowest) |\n|---|---|---|---|---|\n'
for run in $(seq "$runs"); do
  "$bin" host --listen 127.0.0.1:0 --group bench --insecure >"$tmp/link" 2>"$tmp/host.log" &
  hpid=$!
  for _ in $(seq 50); do [ -s "$tmp/link" ] && break; sleep 0.1; done
  link=$(head -1 "$tmp/link")
  stay=$((secs + 15))
  "$bin" join "$link" --headless --fake-media --count "$v" --replay --send-only --name cam --duration "$((stay + 2))s" \
    >"$tmp/cam.log" 2>&1 &
  "$bin" join "$link" --headless --fake-media --count "$((n - v))" --video off --receive count --name ear \
    --duration "${stay}s" --stats-json "$tmp/ear.json" >"$tmp/ear.log" 2>&1 &
  ears=$!
  sleep 10   # everyone joined and streaming
  c0=$(cpu $hpid); t0=$(date +%s.%N)
  sleep "$secs"
  c1=$(cpu $hpid); t1=$(date +%s.%N)
  rss=$(awk '/VmHWM/ {print $2/1024}' /proc/$hpid/status)
  wait $ears || true
  kill $hpid; wait $hpid 2>/dev/null || true
  got=$(python3 - "$tmp" "$n" "$v" <<'PY'
import glob, json, statistics, sys
tmp, n, v = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
sound, video, missing = [], [], 0
for f in glob.glob(f"{tmp}/ear.json*"):
    d = json.load(open(f))
    stay = max(d.get("sent", {}).get("audio_packets", 0) / 50, 1)  # 50 packets a second sent
    peers = {p["name"]: p for p in d["peers"]}
    missing += (n - 1) - len(peers)
    for name, p in peers.items():
        sound.append(p["audio_packets"] / stay)
        if name.startswith("cam"):
            video.append(p["video_frames"] / stay)
f = lambda xs: f"{statistics.median(xs):.1f}, {min(xs):.1f}" if xs else "none"
print(f"{f(sound)} | {f(video)}" + (f" ({missing} streams missing)" if missing else ""))
PY
)
  awk -v c0="$c0" -v c1="$c1" -v t0="$t0" -v t1="$t1" -v hz="$ticks" -v rss="$rss" -v run="$run" -v got="$got" \
    'BEGIN { s=(c1-c0)/hz; d=t1-t0; printf "| %d | %.0f | %.0f | %s |\n", run, 100*s/d, rss, got }'
  rm -f "$tmp"/ear.json*
done
