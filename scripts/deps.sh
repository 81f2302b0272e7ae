#!/usr/bin/env bash
# Installs the system packages Kaigi needs to build, run and test, idempotently.
#   scripts/deps.sh          build and run (make run)
#   scripts/deps.sh test     also what the tests start (make test)
#   scripts/deps.sh windows  the Windows cross-build (make windows, make windows-installer):
#                            MinGW-w64, assemblers, NSIS, and dpkg-dev for apt-get source
#   scripts/deps.sh windows-test  also Wine and what the Wine proof starts (make windows-proof)
# On Debian/Ubuntu it uses apt-get, as root or through sudo. Elsewhere it
# prints what to install.
set -euo pipefail

run_pkgs=(gcc g++ pkg-config patch libgl1-mesa-dev xorg-dev libvpx-dev libopus-dev libopusfile-dev libyuv-dev
  libwebrtc-audio-processing-dev)
test_pkgs=(iproute2 nftables xvfb xauth x11-utils imagemagick openbox xdotool pulseaudio pulseaudio-utils redis-server
  desktop-file-utils xdg-utils chromium nodejs npm tesseract-ocr tesseract-ocr-jpn tesseract-ocr-chi-tra
  dbus ibus ibus-mozc ibus-chewing xclip)

windows_pkgs=(gcc-mingw-w64-x86-64 g++-mingw-w64-x86-64 binutils-mingw-w64-x86-64 nasm nsis
  dpkg-dev xz-utils make pkg-config patch)
windows_test_pkgs=(wine64 libgl1-mesa-dri xvfb xauth x11-utils imagemagick locales)

case "${1:-}" in
  "") want=("${run_pkgs[@]}") ;;
  test) want=("${run_pkgs[@]}" "${test_pkgs[@]}") ;;
  # The proof also builds and runs the Linux Kaigi next to the Windows one.
  windows) want=("${windows_pkgs[@]}") ;;
  windows-test) want=("${run_pkgs[@]}" "${windows_pkgs[@]}" "${windows_test_pkgs[@]}") ;;
  *) echo "deps: unknown mode $1 (test, windows, windows-test)" >&2; exit 2 ;;
esac

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
