#!/usr/bin/env bash
# Measures how many pictures per second each video tile of the real app
# draws under Xvfb with N remote 640x480@30 videos (default 9): the app
# hosts a meeting on loopback and N send-only headless participants join.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/xvfb.sh
export LANG=en_US.UTF-8
n=${1:-9}
bin=${KAIGI_BIN:-build/kaigi}
tmp=$(mktemp -d); trap 'kill $(jobs -p) 2>/dev/null; sleep 0.5; rm -rf "$tmp"' EXIT
env HOME=$tmp XDG_CONFIG_HOME=$tmp/.config XDG_RUNTIME_DIR=$tmp ${APPENV:-} "$bin" --screen call --fake-media --host-address 127.0.0.1 --host-port 0 \
  --tile-stats "$tmp/tiles.json" >"$tmp/out" 2>"$tmp/log" &
app=$!
for _ in $(seq 100); do [ -s "$tmp/out" ] && break; sleep 0.1; done
invite=$(head -1 "$tmp/out")
# The publishers share one process, so that what they cost the machine is
# small and steady next to the app measured.
"$bin" join "$invite" --headless --fake-media --send-only --replay --count "$n" --name "Guest" --tone 330 --duration 60s 2>>"$tmp/log" &
sleep 10
# CPU time of the app (utime + stime, in clock ticks) over the same span.
ticks() { awk '{print $14 + $15}' /proc/$app/stat; }
cp "$tmp/tiles.json" "$tmp/a.json"; t0=$(ticks); sleep 10; cp "$tmp/tiles.json" "$tmp/b.json"; t1=$(ticks)
[ -n "${DEBUG:-}" ] && { cat "$tmp/b.json"; tail -20 "$tmp/log"; }
/usr/bin/python3 - "$tmp/a.json" "$tmp/b.json" "$((t1 - t0))" "$(getconf CLK_TCK)" <<'PY'
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
cpu = int(sys.argv[3]) / int(sys.argv[4])
secs = (b["unix_ms"] - a["unix_ms"]) / 1000
rates = sorted((name, (b["frames"][name] - a["frames"].get(name, 0)) / secs) for name in b["frames"] if name.startswith("Guest"))
for name, r in rates:
    print(f"{name}: {r:.1f} fps")
vals = [r for _, r in rates]
if vals:
    print(f"{len(vals)} remote tiles: min {min(vals):.1f}, mean {sum(vals)/len(vals):.1f}, max {max(vals):.1f} fps; total {sum(vals):.0f} pictures/s; app CPU {100 * cpu / secs:.0f}% of a core")
PY
