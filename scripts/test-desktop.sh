#!/usr/bin/env bash
# Tests installing Kaigi as a desktop app: make install into a DESTDIR,
# the desktop entry validated, kaigi: registered with a real xdg-mime
# database in a throwaway HOME, make uninstall leaving nothing, and the
# .deb's metadata and contents. Needs build/kaigi.
set -uo pipefail
cd "$(dirname "$0")/.."
pass=0; fail=0
ok()  { echo "ok   $*"; pass=$((pass+1)); }
bad() { echo "FAIL $*"; fail=$((fail+1)); }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export PATH="$PATH:/usr/local/go/bin"
# The throwaway HOME below must not take Go's caches with it.
export GOCACHE=$(go env GOCACHE) GOMODCACHE=$(go env GOMODCACHE) GOPATH=$(go env GOPATH) LANG=en_US.UTF-8

# 1. Into a DESTDIR.
make --no-print-directory -s install DESTDIR="$tmp/root" PREFIX=/usr >/dev/null
for f in bin/kaigi share/applications/io.kaigi.Kaigi.desktop share/icons/hicolor/48x48/apps/kaigi.png \
         share/icons/hicolor/512x512/apps/kaigi.png share/doc/kaigi/fonts-OFL.txt; do
  [ -e "$tmp/root/usr/$f" ] && ok "installed $f" || bad "missing $f"
done
desktop-file-validate "$tmp/root/usr/share/applications/io.kaigi.Kaigi.desktop" && ok "desktop-file-validate" || bad "desktop-file-validate"
grep -q '^MimeType=x-scheme-handler/kaigi;$' "$tmp/root/usr/share/applications/io.kaigi.Kaigi.desktop" && ok "entry declares kaigi:" || bad "entry lacks kaigi:"
grep -q '^Exec=kaigi %u$' "$tmp/root/usr/share/applications/io.kaigi.Kaigi.desktop" && ok "Exec passes the URL" || bad "Exec"
make --no-print-directory -s uninstall DESTDIR="$tmp/root" PREFIX=/usr >/dev/null
left=$(find "$tmp/root" -type f | wc -l)
[ "$left" -eq 0 ] && ok "uninstall leaves no files" || bad "uninstall left $left files"

# 2. A user install registers the scheme with xdg-mime.
export HOME="$tmp/home" XDG_DATA_HOME="$tmp/home/.local/share" XDG_CONFIG_HOME="$tmp/home/.config" XDG_DATA_DIRS=/usr/share
mkdir -p "$XDG_CONFIG_HOME"
make --no-print-directory -s install PREFIX="$HOME/.local" >/dev/null 2>&1
handler=$(xdg-mime query default x-scheme-handler/kaigi 2>/dev/null)
[ "$handler" = "io.kaigi.Kaigi.desktop" ] && ok "xdg-mime: kaigi: opens $handler" || bad "xdg-mime handler is '$handler'"
make --no-print-directory -s uninstall PREFIX="$HOME/.local" >/dev/null 2>&1
[ ! -e "$HOME/.local/bin/kaigi" ] && ok "user uninstall" || bad "user uninstall left the binary"

# 3. The .deb.
if [ "${SKIP_DEB:-}" = "" ]; then
  make --no-print-directory -s package-deb >"$tmp/pkg.log" 2>&1 || { cat "$tmp/pkg.log"; bad "make package"; }
  deb=$(ls -t build/kaigi_*_amd64.deb 2>/dev/null | head -1)
  if [ -n "$deb" ]; then
    info=$(dpkg-deb -I "$deb")
    for d in libvpx7 libopus0 libgl1 libx11-6; do
      grep -q "Depends:.*$d" <<<"$info" && ok "deb depends on $d" || bad "deb lacks dependency $d"
    done
    contents=$(dpkg-deb -c "$deb")
    grep -q './usr/share/applications/io.kaigi.Kaigi.desktop' <<<"$contents" && ok "deb carries the desktop entry" || bad "deb lacks the entry"
    mkdir -p "$tmp/deb" && dpkg-deb -x "$deb" "$tmp/deb" && "$tmp/deb/usr/bin/kaigi" version >/dev/null && ok "deb's kaigi runs" || bad "deb's kaigi"
  fi
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
