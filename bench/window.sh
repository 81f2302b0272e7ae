#!/usr/bin/env bash
# The app as people run it (make bench, issue 18): Kaigi's window next to
# Chromium's window, each alone on its own Xvfb (software rendering), in
# one LiveKit room where N remote participants send 640x480@30 (a
# pre-encoded loop, bench/crowd) and the client sends its own 640x480@30.
# Per run: WARM seconds to settle, then SECS seconds measured: CPU of the
# client's whole process tree (and of its X server, apart), peak RSS, PSS,
# frames drawn per second per remote tile. Chromium shows the videos in a
# grid of the size and layout of Kaigi's stage (bench/web/page.js ?grid).
# Writes its own section of docs/benchmarks.md.
#
#   RUNS=3 SECS=40 LOADS="1 4 9" CLIENTS="kaigi chromium" bench/window.sh
#   SOAK_MIN=30 bench/window.sh      also a long call with nine videos
#   LOADS= SOAK_MIN=30 bench/window.sh   only the long call
#   PROFILE=DIR                      Kaigi writes CPU profiles into DIR
#   KAIGI_BASE=BIN CLIENTS="base kaigi"  before/after: another build of the app
#   APPENV="K=V ..." / BASE_ENV=...  environment for the app / for the base
#   REPORT=0                         leave docs/benchmarks.md alone
#   SHOTS=DIR                        a screenshot of each run's display
#   NICE=-5                          run everything measured at this priority
#                                    (a machine shared with other work)
#   KEEP=1                           keep the logs (the folder is named at the end)
#   TOGETHER=1                       the CLIENTS of a run at once, not one after
#                                    the other (paired before/after figures)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}; SECS=${SECS:-40}; WARM=${WARM:-10}; LOADS=${LOADS-1 4 9}
CLIENTS=${CLIENTS:-kaigi chromium}; SOAK_MIN=${SOAK_MIN:-0}; REPORT=${REPORT:-1}
export LANG=en_US.UTF-8
nice=(nice -n "${NICE:-0}")
bin=${KAIGI_BIN:-build/kaigi}
lk=$(scripts/livekit-server.sh)
tmp=$(mktemp -d)
cleanup() { kill $(jobs -p) 2>/dev/null; sleep 0.5; [ -n "${KEEP:-}" ] && echo "window.sh: kept $tmp" >&2 || rm -rf "$tmp"; }
trap cleanup EXIT
go build -o "$tmp/crowd" ./bench/crowd/cmd
(cd bench/web && { [ -d node_modules/livekit-client ] || npm ci --no-audit --no-fund >/dev/null; } && npx esbuild page.js --bundle --format=esm --outfile=dist/page.js --log-level=warning)
key=devkey; secret=kaigi-bench-secret-that-is-long-enough-0123456789
port=${PORT:-17960}
cat > "$tmp/lk.yaml" <<YAML
port: $port
bind_addresses: ["127.0.0.1"]
rtc: {tcp_port: $((port + 1)), udp_port: $((port + 2)), use_external_ip: false, node_ip: 127.0.0.1, enable_loopback_candidate: true}
keys: {$key: $secret}
logging: {level: warn}
YAML
"${nice[@]}" "$lk" --config "$tmp/lk.yaml" >"$tmp/lk.log" 2>&1 &
python3 -m http.server $((port + 10)) --bind 127.0.0.1 --directory bench/web >/dev/null 2>&1 &
sleep 2
token() { "$lk" --keys "$key: $secret" create-join-token --room "$1" --identity "$2" 2>/dev/null | grep -o 'eyJ[A-Za-z0-9._-]*' | head -1; }
results=${RESULTS:-$tmp/results.jsonl}

# A display of its own for each client run: the X server's CPU is the
# client's drawing too, and nothing else draws there.
xvfb=0
start_x() {
  for n in $(seq 150 199); do
    [ -e /tmp/.X$n-lock ] && continue
    "${nice[@]}" Xvfb :$n -screen 0 1280x800x24 -nolisten tcp -noreset >/dev/null 2>&1 &
    xvfb=$!
    export DISPLAY=:$n
    for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && return 0; sleep 0.1; done
    kill $xvfb 2>/dev/null; wait $xvfb 2>/dev/null || true
  done
  echo "window.sh: no display" >&2; exit 1
}
stop_x() { kill $xvfb 2>/dev/null; wait $xvfb 2>/dev/null || true; }

# kaigi ROOM ID SECONDS: the app in a window, joined without the lobby.
kaigi() {
  local home=$tmp/home-$2
  mkdir -p "$home"
  env HOME="$home" XDG_CONFIG_HOME="$home/.config" XDG_RUNTIME_DIR="$home" ${APPENV:-} \
    ${PROFILE:+KAIGI_CPUPROFILE=$PROFILE/$2.prof KAIGI_CPUPROFILE_FOR=$(( $3 - 2 ))s} \
    "${nice[@]}" "$bin" --fake-media --skip-lobby --name Kaigi --tile-stats "$tmp/stats-$2.json" \
    "ws://127.0.0.1:$port?token=$(token "$1" "$2")" >"$tmp/$2.out" 2>"$tmp/$2.log" &
  client=$!
}

# base ROOM ID SECONDS: the app built from another commit ($KAIGI_BASE),
# for before/after comparisons in the same conditions.
base() { bin=$KAIGI_BASE APPENV=${BASE_ENV:-} kaigi "$@"; }

# other ROOM ID SECONDS: a third build ($KAIGI_OTHER), the same way.
other() { bin=$KAIGI_OTHER kaigi "$@"; }

# chromium ROOM ID SECONDS: our livekit-client page in a Chromium window.
chromium() {
  (cd bench/web && HEADED=1 STATS_FILE="$tmp/stats-$2.json" exec "${nice[@]}" node run.mjs \
    "http://127.0.0.1:$((port + 10))/index.html?url=ws%3A%2F%2F127.0.0.1%3A$port&token=$(token "$1" "$2")&grid=992x604" \
    "$3" >"$tmp/$2.out" 2>"$tmp/$2.log") &
  client=$!
}

# begin CLIENT LOAD RUN: starts a client on a display of its own.
declare -A cpid xpid disp
begin() {
  local who=$1 id=$1-$2-$3
  start_x
  rm -f "$tmp/stats-$id.json"
  "$who" "room$2" "$id" $((WARM + SECS + 40))
  cpid[$id]=$client xpid[$id]=$xvfb disp[$id]=$DISPLAY
  # WARM counts from the moment it shows pictures (a browser starting on
  # a busy machine can take many seconds).
  for _ in $(seq 300); do [ -s "$tmp/stats-$id.json" ] && break; sleep 0.1; done
}

# finish: measures every client begun, at once; one line of results each.
finish() {
  local id who load run skip self pids=()
  for id in "${!cpid[@]}"; do
    skip="" self=Kaigi
    [ "${id%%-*}" = chromium ] && skip=--skip-root self=self
    python3 bench/proctree.py --root ${cpid[$id]} $skip --xserver ${xpid[$id]} --stats "$tmp/stats-$id.json" \
      --self "$self" --secs "$SECS" >"$tmp/m-$id.json" &
    pids+=($!)
  done
  wait "${pids[@]}"
  for id in "${!cpid[@]}"; do
    IFS=- read -r who load run <<<"$id"
    [ -n "${SHOTS:-}" ] && { mkdir -p "$SHOTS"; DISPLAY=${disp[$id]} import -window root "$SHOTS/$id.png" 2>/dev/null || true; }
    python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); m.update(client=sys.argv[2], load=int(sys.argv[3]), run=int(sys.argv[4]), together=sys.argv[5] == "1"); print(json.dumps(m))' \
      "$tmp/m-$id.json" "$who" "$load" "$run" "${TOGETHER:-0}" | tee -a "$results"
    kill ${cpid[$id]} 2>/dev/null || echo "window.sh: $id had ended before the measurement did" >&2
  done
  # Kaigi leaves the room on SIGTERM (and Chromium's driver closes it):
  # wait for that, so that the next run does not find a tile left over.
  for _ in $(seq 60); do
    local alive=0
    for id in "${!cpid[@]}"; do kill -0 ${cpid[$id]} 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.1
  done
  for id in "${!cpid[@]}"; do
    kill -9 ${cpid[$id]} 2>/dev/null || true
    wait ${cpid[$id]} 2>/dev/null || true
    kill ${xpid[$id]} 2>/dev/null || true
    wait ${xpid[$id]} 2>/dev/null || true
  done
  cpid=() xpid=() disp=()
}

crowd=0
start_crowd() {
  "${nice[@]}" "$tmp/crowd" --url "ws://127.0.0.1:$port" --key $key --secret $secret --room "room$1" --silent 0 --audio 0 \
    --video "$1" --for 2h >"$tmp/crowd$1.log" 2>&1 &
  crowd=$!
  for _ in $(seq 300); do grep -q ready "$tmp/crowd$1.log" && return 0; sleep 0.1; done
  echo "window.sh: the crowd did not get in" >&2; cat "$tmp/crowd$1.log" >&2; exit 1
}

for load in $LOADS; do
  start_crowd "$load"
  for run in $(seq "$RUNS"); do
    if [ "${TOGETHER:-0}" = 1 ]; then
      # All at once, in the same room: each sees the same machine at the
      # same moment (before/after comparisons on a busy machine).
      for who in $CLIENTS; do begin "$who" "$load" "$run"; done
      sleep "$WARM"; finish
    else
      # Interleaved, so that both see the same machine.
      for who in $CLIENTS; do begin "$who" "$load" "$run"; sleep "$WARM"; finish; done
    fi
  done
  kill $crowd; wait $crowd 2>/dev/null || true
done

# Soak: one long call with nine videos; memory at minute 5 against the end,
# goroutines.
if [ "$SOAK_MIN" -gt 0 ]; then
  start_crowd 9
  start_x
  kaigi room9 soak $((SOAK_MIN * 60 + 30))
  sleep 10
  python3 bench/proctree.py --root $client --xserver $xvfb --stats "$tmp/stats-soak.json" --self Kaigi \
    --secs $((SOAK_MIN * 60)) --every 30 --series >"$tmp/soak.json"
  python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); m.update(client="kaigi-soak", load=9, minutes=int(sys.argv[2])); print(json.dumps(m))' \
    "$tmp/soak.json" "$SOAK_MIN" | tee -a "$results"
  kill $client; sleep 1; kill -9 $client 2>/dev/null || true
  stop_x
  kill $crowd; wait $crowd 2>/dev/null || true
fi

[ "$REPORT" = 1 ] || exit 0
python3 bench/window_report.py "$results" "$RUNS" "$SECS" > "$tmp/report.md"
python3 - "$tmp/report.md" <<'PY'
import sys
doc = open("docs/benchmarks.md").read()
start, end = "<!-- bench/window.sh writes from here -->\n", "<!-- to here (window) -->\n"
if start not in doc:
    doc = doc.rstrip("\n") + "\n\n" + start + end
head, _, rest = doc.partition(start)
_, _, tail = rest.partition(end)
open("docs/benchmarks.md", "w").write(head + start + open(sys.argv[1]).read().rstrip("\n") + "\n" + end + tail)
PY
cat "$tmp/report.md"
