#!/usr/bin/env bash
# Measures the embedded host's forwarding cost: CPU and peak memory of a
# `kaigi host` process while N headless participants (640x480@30 and a
# tone each, separate processes) meet through it on loopback.
# Usage: bench/host.sh [N ...]   (default: 2 4 8). Needs build/kaigi.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=build/kaigi
secs=${SECS:-20}
tmp=$(mktemp -d); trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT
ticks=$(getconf CLK_TCK)
cpu() { awk '{print $14+$15}' /proc/$1/stat; }
printf '| participants | host CPU (%% of one core) | host CPU s/min | host peak RSS (MB) | frames decoded / expected |\n|---|---|---|---|---|\n'
for n in ${@:-2 4 8}; do
  "$bin" host --listen 127.0.0.1:0 --group bench --insecure >"$tmp/link" 2>"$tmp/host.log" &
  hpid=$!
  for _ in $(seq 50); do [ -s "$tmp/link" ] && break; sleep 0.1; done
  link=$(head -1 "$tmp/link")
  pids=()
  for i in $(seq "$n"); do
    "$bin" join "$link" --headless --fake-media --name "p$i" --tone $((300 + 40 * i)) \
      --duration "$((secs + 4))s" --stats-json "$tmp/p$i.json" 2>"$tmp/p$i.log" &
    pids+=($!)
  done
  sleep 4   # everyone joined and streaming
  c0=$(cpu $hpid); t0=$(date +%s.%N)
  sleep "$secs"
  c1=$(cpu $hpid); t1=$(date +%s.%N)
  rss=$(awk '/VmHWM/ {print $2/1024}' /proc/$hpid/status)
  wait "${pids[@]}" || true
  kill $hpid; wait $hpid 2>/dev/null || true
  frames=$(cat "$tmp"/p*.json | grep -o '"video_frames": [0-9]*' | awk 'NR>0 {s+=$2} END {print s}')
  sent=$(for f in "$tmp"/p*.json; do grep -A1 '"sent"' "$f" | grep -o '[0-9]*'; done | awk '{s+=$1} END {print s}')
  expected=$(( sent * (n - 1) ))
  awk -v c0="$c0" -v c1="$c1" -v t0="$t0" -v t1="$t1" -v hz="$ticks" -v n="$n" -v rss="$rss" -v f="$frames" -v sent="$sent" -v e="$expected" \
    'BEGIN { s=(c1-c0)/hz; d=t1-t0; printf "| %d | %.1f | %.1f | %.0f | %d / %d |\n", n, 100*s/d, 60*s/d, rss, f-sent, e }'
  rm -f "$tmp"/p*.json
done
