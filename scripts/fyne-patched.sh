#!/usr/bin/env bash
# Makes the Fyne that every Go build and test of the Makefile uses: the
# released module with our patches (third_party/fyne/VERSION-*.patch; why
# in the README there), copied into DIR/fyne, and DIR/go.mod, our go.mod
# with a replace to that copy, given to the go command as -modfile
# (GOFLAGS). Go's -overlay cannot do it: it refuses to replace files in
# the module cache. The copy is made again only when the patches or
# Fyne's version change. Fails if go.mod names a Fyne the patches were not
# made for.
# Usage: scripts/fyne-patched.sh DIR   (prints DIR/go.mod)
set -euo pipefail
cd "$(dirname "$0")/.."
export GOFLAGS= # our own go.mod, not the one being written
mkdir -p "$1"
out=$(cd "$1" && pwd)
version=$(go list -m -f '{{.Version}}' fyne.io/fyne/v2)
patches=(third_party/fyne/"$version"-*.patch)
if [ ! -e "${patches[0]}" ]; then
  echo "fyne-patched: no patch for Fyne $version in third_party/fyne: bring ours to it (see the README there)" >&2
  exit 1
fi
stamp="$version $(cat "${patches[@]}" | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$out/fyne.stamp" 2>/dev/null)" != "$stamp" ]; then
  go mod download fyne.io/fyne/v2
  rm -rf "$out/fyne" "$out/fyne.stamp"
  cp -r "$(go list -m -f '{{.Dir}}' fyne.io/fyne/v2)" "$out/fyne"
  chmod -R u+w "$out/fyne"
  for p in "${patches[@]}"; do
    patch --quiet --forward --batch -p1 -d "$out/fyne" <"$p" >&2 ||
      { echo "fyne-patched: $p does not apply to Fyne $version" >&2; exit 1; }
  done
  echo "$stamp" >"$out/fyne.stamp"
fi
{ cat go.mod; printf '\nreplace fyne.io/fyne/v2 %s => %s\n' "$version" "$out/fyne"; } >"$out/go.mod.tmp"
cp go.sum "$out/go.sum"
mv "$out/go.mod.tmp" "$out/go.mod"
echo "$out/go.mod"
