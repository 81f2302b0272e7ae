#!/usr/bin/env bash
# Writes a `go build -overlay` file for a kaigi.exe that can use UDP under
# Wine 8.0 (Debian 12), for the Wine proof only; the shipped kaigi.exe is
# built without it. Go 1.24 and newer turn off two UDP error reports on
# Windows (WSAIoctl SIO_UDP_CONNRESET and SIO_UDP_NETRESET) and fail when
# that is refused; Wine 8.0 refuses with WSAEOPNOTSUPP. The overlay copy of
# the installed Go's net/fd_windows.go accepts that refusal, nothing else.
# Usage: scripts/wine-net-overlay.sh DIR   (prints DIR/overlay.json)
set -euo pipefail
dir=$(mkdir -p "$1" && cd "$1" && pwd)
goroot=$(go env GOROOT)
src=$goroot/src/net/fd_windows.go
perl -0pe 's/if err != nil \{\n(\t+return wrapSyscallError\("wsaioctl", err\))/if err != nil && err != syscall.Errno(10045) { \/\/ WSAEOPNOTSUPP from Wine 8\n$1/g' \
  "$src" >"$dir/fd_windows.go"
n=$(grep -c 'Errno(10045)' "$dir/fd_windows.go" || true)
[ "$n" = 2 ] || { echo "wine-net-overlay: $src changed ($n of 2 places found); update this script" >&2; exit 1; }
printf '{"Replace":{"%s":"%s"}}\n' "$src" "$dir/fd_windows.go" >"$dir/overlay.json"
echo "$dir/overlay.json"
