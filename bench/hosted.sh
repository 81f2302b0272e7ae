#!/usr/bin/env bash
# A large meeting Kaigi hosts (make bench, issue 19): N participants in one
# `kaigi host`, joined from two processes. V of them send a 640x480@30
# pre-encoded loop with their microphone muted and receive nothing; the
# other N-V receive everyone's sound and video the way small tiles ask for
# it (the low layer where there are layers), counting what arrives instead
# of decoding it, so that this machine's CPU goes to the host. They speak
# as people in a meeting do: two at a time, 3 s each, in turns from the
# start of the measurement, silent otherwise (Kaigi sends silence as Opus
# DTX: a frame every 400 ms). MEETING=tone is the worst case instead:
# everyone's tone on throughout, the cameras' too.
#
# Measures the host's CPU and peak RSS, the receivers' process's CPU, and
# what each receiver got from each sender: of each speaker's sound, the
# share that arrived (as packets a second of speech: 50 is all), the same
# for everything sent (silence too), and the pictures a second of each video.
# And the host's own counters (KAIGI_HOST_STATS) over the measurement: of
# what came in on each stream, the share the host handed to each receiver
# that asked for it, sound and video apart, and the receivers that got
# another video layer than they asked for. The receivers' process cannot
# keep up with ~1,860 PeerConnections on this machine; the host's counters
# say whether the host does.
#
#   RUNS=3 SECS=30 WARM=30 MEETING=turns|tone bench/hosted.sh [N] [V]     (default 50 12)
#   KAIGI_CPUPROFILE=FILE profiles the host (from its start to the end of the
#   measurement); HOST_BIN=PATH runs that build of kaigi as the host.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=build/kaigi
host_bin=${HOST_BIN:-$bin} # another build of the host, to compare
n=${1:-50}; v=${2:-12}; secs=${SECS:-30}; runs=${RUNS:-3}; meeting=${MEETING:-turns}
warm=${WARM:-30} # seconds for everyone to join (~2,450 PeerConnections) before the measurement and the turns start
case $meeting in
  turns) cams=(--mute); ears=(--turns --turns-after "${warm}s") ;;
  tone) cams=(); ears=() ;;
  *) echo "hosted.sh: MEETING is turns or tone" >&2; exit 2 ;;
esac
profile=${KAIGI_CPUPROFILE:-}
unset KAIGI_CPUPROFILE
tmp=$(mktemp -d); trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT
ticks=$(getconf CLK_TCK)
cpu() { awk '{print $14+$15}' /proc/$1/stat 2>/dev/null || echo 0; }
echo "hosted.sh: $n participants ($v with video), $meeting, ${secs} s measured, load $(cut -d' ' -f1 /proc/loadavg)" >&2
printf '| run (load) | host CPU (%% of one core) | host peak RSS (MB) | receivers'"'"' process CPU (%% of one core) | sound per speaking stream, packets/s of 50 (median, lowest) | %% of all sound sent that arrived, per stream (median, lowest) | pictures/s per video (median, lowest) | host handed on, %% of what came: sound (median, lowest) | the same: video | another layer than asked |\n|---|---|---|---|---|---|---|---|---|---|\n'
for run in $(seq "$runs"); do
  load=$(cut -d' ' -f1 /proc/loadavg)
  rm -f "$tmp/stats.json"
  KAIGI_HOST_STATS=$tmp/stats.json KAIGI_CPUPROFILE=$profile KAIGI_CPUPROFILE_FOR=$((warm + secs))s \
    "$host_bin" host --listen 127.0.0.1:0 --group bench --insecure >"$tmp/link" 2>"$tmp/host.log" &
  hpid=$!
  for _ in $(seq 50); do [ -s "$tmp/link" ] && break; sleep 0.1; done
  link=$(head -1 "$tmp/link")
  stay=$((warm + secs + 5))
  "$bin" join "$link" --headless --fake-media --count "$v" --replay --send-only --name cam "${cams[@]}" \
    --duration "$((stay + 2))s" --stats-json "$tmp/cam.json" >"$tmp/cam.log" 2>&1 &
  "$bin" join "$link" --headless --fake-media --count "$((n - v))" --video off --receive count --name ear "${ears[@]}" \
    --duration "${stay}s" --stats-json "$tmp/ear.json" >"$tmp/ear.log" 2>&1 &
  epid=$!
  sleep "$warm" # everyone joined and streaming
  c0=$(cpu $hpid); e0=$(cpu $epid); t0=$(date +%s.%N); cp "$tmp/stats.json" "$tmp/s0" 2>/dev/null || echo '{}' >"$tmp/s0"
  sleep "$secs"
  c1=$(cpu $hpid); e1=$(cpu $epid); t1=$(date +%s.%N); cp "$tmp/stats.json" "$tmp/s1" 2>/dev/null || echo '{}' >"$tmp/s1"
  rss=$(awk '/VmHWM/ {print $2/1024}' /proc/$hpid/status)
  wait $epid || true
  sleep 3 # the cameras leave
  kill $hpid; wait $hpid 2>/dev/null || true
  got=$(python3 - "$tmp" "$n" "$stay" <<'PY'
import glob, json, statistics, sys
tmp, n, stay = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
sent, ears = {}, []
for f in glob.glob(f"{tmp}/*.json.*"):
    d = json.load(open(f))
    name = ("cam " if "/cam.json" in f else "ear ") + f.rsplit(".", 1)[1]
    sent[name] = d["sent"]["audio_packets"]
    if name.startswith("ear"):
        ears.append((name, d))
sound, share, video, missing = [], [], [], 0
for me, d in ears:
    stayed = stay - d["connected_ms"] / 1000
    peers = {p["name"]: p for p in d["peers"]}
    missing += (n - 1) - len(peers)
    for name, p in peers.items():
        # A speaker: sent more than silence does (DTX: a packet every
        # 400 ms) by at least 1.5 s of speech (a turn is 3 s).
        if sent.get(name, 0) > 2.5 * stayed + 75:
            sound.append(50 * p["audio_packets"] / sent[name])
        if sent.get(name, 0) > 0:  # of all that was sent, silence too
            share.append(100 * p["audio_packets"] / sent[name])
        if name.startswith("cam"):
            video.append(p["video_frames"] / stayed)
f = lambda xs: f"{statistics.median(xs):.1f}, {min(xs):.1f}" if xs else "none"
# The host's counters: per receiver and stream, what it handed on of what
# came in between the two readings (a packet or two may be in between).
s0, s1 = (json.load(open(f"{tmp}/{s}")) for s in ("s0", "s1"))
came = lambda s: {(u["stream"], u["kind"], u["layer"]): u["received"] for u in s.get("up") or []}
c0, c1 = came(s0), came(s1)
d0 = {(d["receiver"], d["stream"], d["kind"]): d for d in s0.get("down") or []}
handed, other = {"audio": [], "video": []}, 0
for d in s1.get("down") or []:
    b = d0.get((d["receiver"], d["stream"], d["kind"]))
    if not d["on"] or b is None:
        continue
    if d["kind"] == "video" and d["layer"] != d["want"]:
        other += 1
    if b["layer"] != d["layer"]:
        continue
    key = (d["stream"], d["kind"], d["layer"])
    n_came = c1.get(key, 0) - c0.get(key, 0)
    if n_came >= 10:
        handed[d["kind"]].append(min(100.0, 100 * (d["forwarded"] - b["forwarded"]) / n_came))
print(f"{f(sound)} | {f(share)} | {f(video)}" + (f" ({missing} streams missing)" if missing else "")
      + f" | {f(handed['audio'])} ({len(handed['audio'])}) | {f(handed['video'])} ({len(handed['video'])}) | {other}")
PY
)
  awk -v c0="$c0" -v c1="$c1" -v e0="$e0" -v e1="$e1" -v t0="$t0" -v t1="$t1" -v hz="$ticks" -v rss="$rss" -v run="$run" \
    -v load="$load" -v got="$got" \
    'BEGIN { d=t1-t0; printf "| %d (%s) | %.0f | %.0f | %.0f | %s |\n", run, load, 100*(c1-c0)/hz/d, rss, 100*(e1-e0)/hz/d, got }'
  rm -f "$tmp"/*.json.*
done
