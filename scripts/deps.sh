#!/usr/bin/env bash
# Installs the system packages Kaigi needs to build, run and test, idempotently.
#   scripts/deps.sh          build and run (make run)
#   scripts/deps.sh test     also what the tests start (make test)
# On Debian/Ubuntu it uses apt-get, as root or through sudo. Elsewhere it
# prints what to install.
set -euo pipefail

run_pkgs=(gcc pkg-config libgl1-mesa-dev xorg-dev libvpx-dev libopus-dev libopusfile-dev)
test_pkgs=(xvfb xauth x11-utils imagemagick openbox xdotool pulseaudio pulseaudio-utils redis-server
  desktop-file-utils xdg-utils chromium nodejs npm)

want=("${run_pkgs[@]}")
if [ "${1:-}" = test ]; then want+=("${test_pkgs[@]}"); fi

if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-query >/dev/null 2>&1; then
  cat <<MSG
This script installs packages on Debian and Ubuntu only. On other systems install:
  macOS (Homebrew):   brew install pkg-config libvpx opus
                      (Xcode command line tools give the C compiler and OpenGL)
  Windows (MSYS2):    pacman -S mingw-w64-x86_64-gcc mingw-w64-x86_64-pkgconf
                      mingw-w64-x86_64-libvpx mingw-w64-x86_64-opus
  and Go 1.26 or newer from the Go website.
MSG
  exit 0
fi

missing=()
for p in "${want[@]}"; do
  # nodejs may come from elsewhere than Debian (the node binary is enough).
  case "$p" in
    nodejs|npm) command -v "$p" >/dev/null 2>&1 && continue ;;
  esac
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo=sudo
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
