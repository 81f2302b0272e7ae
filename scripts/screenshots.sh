#!/usr/bin/env bash
# Renders every screen of the real app in every language under Xvfb:
# build/screenshots/<lang>/<screen>.png. Needs build/kaigi (make build).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/xvfb.sh
export LANG=C.UTF-8
bin=build/kaigi
out=build/screenshots
screens=${SCREENS:-home settings home-error joining join-error join-locked lobby lobby-nocam call call-speaker call-chat call-people call-devices call-leave call-reconnecting call-alone call-ended call-lost call-hands call-host call-host-person call-muted call-share-picker call-sharing call-share-received}
# A window manager, as people have (decorations, focus).
if command -v openbox >/dev/null 2>&1 && ! pgrep -x openbox >/dev/null; then
  openbox >/dev/null 2>&1 &
  wm_pid=$!
  trap 'kill $wm_pid 2>/dev/null; kill ${xvfb_pid:-} 2>/dev/null' EXIT
  sleep 0.5
fi
# Screen sharing: a page of text (Latin, Japanese, Chinese) in a window on
# this display, for the picker and for sharing; and a second display with
# the same page, which a participant shares into the call (sharing a
# window of this one would show Kaigi's own window over it).
page=$(mktemp -d)
go run ./media/screen/screentest/page "$page/page.png" 1280x720
display -title "Quarterly review" -geometry +60+60 -resize 900x "$page/page.png" &
page_pid=$!
for n in $(seq 150 190); do
  [ -e /tmp/.X$n-lock ] && continue
  Xvfb :$n -screen 0 1280x720x24 -nolisten tcp -noreset >/dev/null 2>&1 &
  share_xvfb=$!
  for _ in $(seq 50); do DISPLAY=:$n xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
  DISPLAY=:$n xdpyinfo >/dev/null 2>&1 && { share_display=:$n; break; }
  kill $share_xvfb 2>/dev/null
done
DISPLAY=$share_display display -title "Quarterly review" -geometry +0+0 "$page/page.png" &
share_page_pid=$!
trap 'kill ${wm_pid:-} ${xvfb_pid:-} $page_pid $share_page_pid ${share_xvfb:-} 2>/dev/null; rm -rf "$page"' EXIT
for lang in ${LANGS:-en ja zh_TW}; do
  mkdir -p "$out/$lang"
  for screen in $screens; do
    home=$(mktemp -d)   # no remembered state between shots
    HOME=$home XDG_CONFIG_HOME=$home/.config XDG_RUNTIME_DIR=$home "$bin" --lang "$lang" --screen "$screen" --fake-media \
      --host-address 127.0.0.1 --host-port 0 >"$home/out" 2>"$home/log" &
    pid=$!
    bots=()
    id=""
    for _ in $(seq 100); do
      id=$(xwininfo -root -tree 2>/dev/null | awk '/"Kaigi"/ && !id {id = $1} END {print id}')
      [ -n "$id" ] && break
      sleep 0.1
    done
    if [ -z "$id" ]; then
      echo "screenshots: $lang/$screen: no window" >&2; cat "$home/log" >&2; kill $pid 2>/dev/null; exit 1
    fi
    case "$screen" in
    call-alone) sleep 4 ;;
    call-ended|call-lost) ;;
    call*)
      # Participants with Latin, Chinese and Japanese names join the
      # meeting the app hosts, and chat.
      for _ in $(seq 100); do [ -s "$home/out" ] && break; sleep 0.1; done
      invite=$(head -1 "$home/out")
      # In call-hands two raise a hand and one keeps clapping; in
      # call-share-received 林美玲 shares the page on the other display.
      for who in "Ken Sato:523:Hello from Ken:--raise-hand" "林美玲:659:大家好！今天的議程在這裡。:--raise-hand" \
        "佐藤ゆき:784:よろしくお願いします。資料は共有済みです。:--react=👏"; do
        IFS=: read -r name tone chat gesture <<<"$who"
        extra=() disp=$DISPLAY
        [ "$screen" = call-hands ] && extra=("$gesture")
        if [ "$screen" = call-share-received ] && [ "$tone" = 659 ]; then extra=(--share "Quarterly review") disp=$share_display; fi
        DISPLAY=$disp "$bin" join "$invite" --headless --fake-media --name "$name" --tone "$tone" --duration 30s \
          --chat "$chat" "${extra[@]}" 2>>"$home/log" &
        bots+=($!)
      done
      sleep "${CALL_WAIT:-7}" # longer on a loaded machine
      case "$screen" in call-host | call-host-person | call-muted) sleep 3 ;; esac # the menu or notice comes at 8 s
      # The picker, the share: the app says when they are on screen.
      case "$screen" in call-share-*|call-sharing)
        for _ in $(seq 600); do grep -q "kaigi: sample ready" "$home/log" && break; sleep 0.1; done
        sleep 1 ;;
      esac
      ;;
    esac
    sleep 1.5   # let it draw (fonts load, layout settles)
    import -display "$DISPLAY" -window "$id" -frame "$out/$lang/$screen.png" 2>/dev/null ||
      import -display "$DISPLAY" -window "$id" "$out/$lang/$screen.png"
    kill $pid "${bots[@]}" 2>/dev/null; wait $pid "${bots[@]}" 2>/dev/null || true
    rm -rf "$home"
    echo "$out/$lang/$screen.png"
  done
done
