#!/usr/bin/env bash
# The Windows build, proven under Wine (make windows-proof):
#   1. in a fresh Wine prefix the installer runs silently (/S) and installs
#      kaigi.exe, a Start-menu entry and the kaigi: protocol (wine reg query);
#   2. `kaigi.exe version` prints the version;
#   3. kaigi.exe and the Linux Kaigi join one room of a real livekit-server
#      on loopback, each decoding the other's video and hearing its tone;
#   4. the window opens (Xvfb): the home screen in Japanese and Traditional
#      Chinese, picked by the Windows locale on first start (screenshots);
#      a second kaigi.exe with a link hands it to the running one and exits;
#   5. the uninstaller removes every file and registry key the installer added.
# Usage: scripts/windows-proof.sh build/KaigiSetup-VERSION.exe build/windows/kaigi-wine.exe
# kaigi-wine.exe is kaigi.exe built with scripts/wine-net-overlay.sh: Go 1.24+
# cannot open UDP sockets under Wine 8.0 otherwise (the call, step 3, needs
# them; everything else uses the installed kaigi.exe).
# Needs build/kaigi (Linux) and livekit-server (scripts/livekit-server.sh).
# Writes build/windows/proof/: screenshots, stats files, logs.
set -euo pipefail
installer=$(realpath "$1")
wine_kaigi=$(realpath "$2")
root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/build/windows/proof
rm -rf "$out" && mkdir -p "$out"
linux_kaigi=$root/build/kaigi
livekit=$("$root/scripts/livekit-server.sh")
wine=$(command -v wine64 || echo /usr/lib/wine/wine64)
wineserver=$(command -v wineserver || echo /usr/lib/wine/wineserver)
start=$(date +%s)

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  WINEPREFIX=$work/prefix "$wineserver" -k 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
export WINEPREFIX=$work/prefix WINEDEBUG=-all WINEARCH=win64
# No Mono or Gecko installer prompts in a fresh prefix.
export WINEDLLOVERRIDES="mscoree,mshtml="
# shellcheck source=scripts/xvfb.sh
. "$root/scripts/xvfb.sh"
trap 'kill ${xvfb_pid:-} 2>/dev/null; cleanup' EXIT

step() { printf '\n== %s (%ss)\n' "$*" $(($(date +%s) - start)); }
fail() { echo "windows-proof: FAIL: $*" >&2; exit 1; }
w() { "$wine" "$@"; }
settle() { "$wineserver" -w; }

step "fresh Wine prefix"
w wineboot -i >"$out/wineboot.log" 2>&1
settle
# Go 1.24+ programs need ProcessPrng from bcryptprimitives.dll, which Wine
# 8.0 lacks (Windows 10+ has it): the prefix gets a small one of ours.
x86_64-w64-mingw32-gcc -O2 -shared -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
  "$root/packaging/windows/wine-bcryptprimitives.c" -ladvapi32
user_dir=$WINEPREFIX/drive_c/users/$(id -un)
snapshot() {
  (cd "$WINEPREFIX/drive_c" && find . -path ./windows -prune -o -path "./users/*/Temp" -prune -o -print | sort) >"$1.files"
  w reg export 'HKCU\Software' "Z:$1.hkcu" /y >/dev/null 2>&1
  w reg export 'HKLM\Software' "Z:$1.hklm" /y >/dev/null 2>&1
  settle
}
snapshot "$work/before"
# Wine takes the Windows locale from the Unix one; these locales are
# compiled into a folder of ours (LOCPATH), the machine's are not changed.
locales=${KAIGI_CACHE:-$HOME/.cache/kaigi}/windows/locale
for l in ja_JP zh_TW; do
  [ -d "$locales/$l.UTF-8" ] || { mkdir -p "$locales" && localedef -i $l -f UTF-8 "$locales/$l.UTF-8"; }
done

step "installer /S ($(basename "$installer"), $(du -m "$installer" | cut -f1) MB)"
w "$installer" /S
settle
exe_dir=$user_dir/AppData/Local/Programs/Kaigi
exe=$exe_dir/kaigi.exe
[ -f "$exe" ] || fail "kaigi.exe not installed in $exe_dir"
[ -f "$exe_dir/uninstall.exe" ] || fail "no uninstaller"
[ -f "$user_dir/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/Kaigi.lnk" ] || fail "no Start-menu entry"
w reg query 'HKCU\Software\Classes\kaigi' /v 'URL Protocol' | tee "$out/reg-protocol.txt"
w reg query 'HKCU\Software\Classes\kaigi\shell\open\command' /ve | tee "$out/reg-command.txt"
grep -q 'URL Protocol' "$out/reg-protocol.txt" || fail "kaigi: has no URL Protocol value"
grep -q 'kaigi.exe" "%1"' "$out/reg-command.txt" || fail "kaigi: open command does not pass the link"

step "kaigi.exe version"
# kaigi.exe is a GUI program: stdout here is a pipe it inherits.
w "$exe" version | tr -d '\r' | tee "$out/version.txt"
grep -q '^kaigi ' "$out/version.txt" || fail "kaigi.exe version printed nothing"

step "Windows tests of instance/ and i18n/ under Wine"
# The hand-over (loopback port and secret) and the Windows locale lookup.
for pkg in instance i18n; do
  (cd "$root" && GOOS=windows GOARCH=amd64 CGO_ENABLED=0 go test -c -o "$work/$pkg.test.exe" "./$pkg/")
done
w "$work/instance.test.exe" -test.v 2>&1 | tr -d '\r' | grep -E '^(---|ok|PASS|FAIL)' | tee "$out/test-instance.txt"
grep -q '^PASS' "$out/test-instance.txt" || fail "instance tests under Wine"
LOCPATH=$locales LANG=zh_TW.UTF-8 LC_ALL=zh_TW.UTF-8 "$wine" "$work/i18n.test.exe" -test.v -test.run 'SystemLang|FromLocale' 2>&1 |
  tr -d '\r' | grep -E '^(---|ok|PASS|FAIL)|locale' | tee "$out/test-i18n.txt"
grep -q 'user locale "zh-TW" → zh_TW' "$out/test-i18n.txt" || fail "the zh-TW Windows locale did not give Traditional Chinese"

step "a call: kaigi.exe (kaigi-wine.exe) and the Linux Kaigi in one livekit-server room"
read -r p1 p2 p3 < <(python3 -c 'import socket
s=[socket.socket() for _ in range(3)]
[x.bind(("127.0.0.1",0)) for x in s]
print(*[x.getsockname()[1] for x in s])')
secret=kaigi-windows-proof-secret-long-enough-0123456789
cat >"$work/livekit.yaml" <<CFG
port: $p1
bind_addresses: ["127.0.0.1"]
rtc:
  tcp_port: $p2
  udp_port: $p3
  use_external_ip: false
  node_ip: 127.0.0.1
  enable_loopback_candidate: true
keys:
  devkey: $secret
logging:
  level: warn
CFG
"$livekit" --config "$work/livekit.yaml" >"$out/livekit.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do (echo >/dev/tcp/127.0.0.1/$p1) 2>/dev/null && break; sleep 0.2; done
token() { "$livekit" --keys "devkey: $secret" create-join-token --room proof --identity "$1" 2>/dev/null | sed -n 's/^Token: //p'; }
win_link="ws://127.0.0.1:$p1?token=$(token windows)"
linux_link="ws://127.0.0.1:$p1?token=$(token linux)"
w "$wine_kaigi" join "$win_link" --headless --fake-media --name Windows --tone 440 --duration 30s \
  --stats-json "Z:$out/stats-windows.json" >"$out/join-windows.log" 2>&1 &
win_pid=$!
pids+=($win_pid)
sleep 3
"$linux_kaigi" join "$linux_link" --headless --fake-media --name Linux --tone 660 --duration 22s \
  --stats-json "$out/stats-linux.json" >"$out/join-linux.log" 2>&1 || true
wait $win_pid || true
settle
python3 - "$out/stats-windows.json" "$out/stats-linux.json" <<'PY' || fail "the call between Windows and Linux (logs in $out)"
import json, sys
ok = True
for path, other, hz in [(sys.argv[1], "Linux", 660), (sys.argv[2], "Windows", 440)]:
    try:
        s = json.load(open(path))
    except Exception as e:
        print(f"{path}: {e}"); ok = False; continue
    me = "Windows" if other == "Linux" else "Linux"
    peers = [p for p in s.get("peers") or [] if p.get("name", "").lower() == other.lower()]
    print(f"{me}: state={s.get('state')} sent={s.get('sent')} peers={[(p['name'], p['video_frames'], round(p['tone_hz'])) for p in s.get('peers') or []]}")
    if not peers:
        print(f"  {me} did not see {other}"); ok = False; continue
    p = peers[0]
    if p["video_frames"] < 150:
        print(f"  {me} decoded only {p['video_frames']} frames of {other}"); ok = False
    if abs(p["tone_hz"] - hz) > 5:
        print(f"  {me} heard {p['tone_hz']} Hz from {other}, want {hz}"); ok = False
sys.exit(0 if ok else 1)
PY

step "the window under Wine: home screen on first start in each Windows locale"
for l in ja_JP zh_TW; do
  rm -rf "$user_dir/AppData/Roaming/fyne" # first start: no remembered language
  LOCPATH=$locales LANG=$l.UTF-8 LC_ALL=$l.UTF-8 "$wine" "$exe" >"$out/gui-$l.log" 2>&1 &
  gui=$!
  pids+=($gui)
  for _ in $(seq 60); do LC_ALL=C xwininfo -root -tree 2>/dev/null | grep -q '"Kaigi"' && break; sleep 0.5; done
  LC_ALL=C xwininfo -root -tree | grep -q '"Kaigi"' || fail "no Kaigi window in $l (log: $out/gui-$l.log)"
  sleep 4 # the first frames
  LC_ALL=C import -display "$DISPLAY" -window root "$out/home-$l.png"
  if [ $l = ja_JP ]; then
    # One Kaigi per user: a second kaigi.exe with a link (as a clicked kaigi:
    # link starts it) hands the link to this one and exits at once.
    [ -s "$user_dir/AppData/Local/Kaigi/instance.addr" ] || fail "no hand-over file"
    timeout 20 "$wine" "$exe" 'kaigi://join?link=https%3A%2F%2F127.0.0.1%3A9%2Fgroup%2Fproof%2F' \
      >"$out/handover.log" 2>&1 || fail "the second kaigi.exe did not hand over and exit"
    [ "$(LC_ALL=C xwininfo -root -tree 2>/dev/null | grep -c '"Kaigi"')" = 1 ] || fail "a second Kaigi window opened"
    echo "a second kaigi.exe handed its link over and exited"
  fi
  kill $gui 2>/dev/null || true
  "$wineserver" -k 2>/dev/null || true
  wait $gui 2>/dev/null || true
done
ls -l "$out"/home-*.png

step "uninstaller /S"
w "$exe_dir/uninstall.exe" /S
settle
sleep 1
settle
rm -rf "$user_dir/AppData/Roaming/fyne" "$user_dir/AppData/Local/Kaigi" # what Kaigi wrote while running
snapshot "$work/after"
diff "$work/before.files" "$work/after.files" >"$out/files.diff" || true
[ ! -s "$out/files.diff" ] || { cat "$out/files.diff"; fail "files left after uninstall"; }
for hive in hkcu hklm; do
  # Wine updates a few keys of its own by itself: compare only what names Kaigi.
  grep -i 'kaigi' "$work/after.$hive" >"$out/reg-left-$hive.txt" || true
  [ ! -s "$out/reg-left-$hive.txt" ] || { cat "$out/reg-left-$hive.txt"; fail "registry keys left after uninstall"; }
done
w reg query 'HKCU\Software\Classes\kaigi' >/dev/null 2>&1 && fail "kaigi: still registered"

step "windows-proof: all passed"
