# Sourced by scripts that need a display: starts Xvfb on a free display
# number unless DISPLAY already works, and stops it on exit.
# Usage: . scripts/xvfb.sh
if [ -z "${DISPLAY:-}" ] || ! xdpyinfo >/dev/null 2>&1; then
  for n in $(seq 99 140); do
    [ -e /tmp/.X$n-lock ] && continue
    Xvfb :$n -screen 0 1280x800x24 -nolisten tcp -noreset >/dev/null 2>&1 &
    xvfb_pid=$!
    export DISPLAY=:$n
    for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
    xdpyinfo >/dev/null 2>&1 && break
    kill $xvfb_pid 2>/dev/null
  done
  trap 'kill $xvfb_pid 2>/dev/null' EXIT
fi
