#!/usr/bin/env bash
# Builds libvpx and Opus as static MinGW-w64 libraries for the Windows
# cross-build, from Debian's source packages (with Debian's patches), once
# per machine: the result is cached under ${KAIGI_CACHE:-~/.cache/kaigi}/windows
# and a second run only prints the prefix. Prints the install prefix (its
# lib/pkgconfig is what PKG_CONFIG_PATH needs).
#
# The source packages come through apt with a deb-src list of our own in the
# cache folder: the machine's own apt lists are never touched.
set -euo pipefail
cache=${KAIGI_CACHE:-$HOME/.cache/kaigi}/windows
host=x86_64-w64-mingw32
# Bump when the build steps below change: a new stamp rebuilds.
stamp_id="libvpx-1.12.0+opus-1.3.1 r1"
prefix=$cache/prefix
if [ -f "$prefix/.built" ] && [ "$(cat "$prefix/.built")" = "$stamp_id" ]; then
  echo "$prefix"; exit 0
fi
jobs=$(nproc 2>/dev/null || echo 2)

# Our own apt configuration: the Debian suites the machine uses, as deb-src.
apt_dir=$cache/apt
mkdir -p "$apt_dir/sources.list.d" "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
cat > "$apt_dir/sources.list.d/kaigi-src.sources" <<SRC
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
apt_opts=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$apt_dir/sources.list.d"
  -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache" -o Debug::NoLocking=1)

src=$cache/src
mkdir -p "$src"
cd "$src"
if ! ls -d libvpx-1.12.0 opus-1.3.1 >/dev/null 2>&1; then
  echo "windows-libs: fetching the Debian source packages of libvpx and opus" >&2
  apt-get "${apt_opts[@]}" -qq update >&2
  rm -rf libvpx-* opus-* libvpx_* opus_*
  apt-get "${apt_opts[@]}" -qq source libvpx opus >&2
fi

rm -rf "$prefix" "$cache/build"
mkdir -p "$prefix" "$cache/build"

echo "windows-libs: building libvpx 1.12.0 for $host (a few minutes, once)" >&2
mkdir -p "$cache/build/libvpx" && cd "$cache/build/libvpx"
CROSS=$host- "$src"/libvpx-1.12.0/configure --target=x86_64-win64-gcc --prefix="$prefix" \
  --enable-static --disable-shared --disable-examples --disable-tools --disable-docs \
  --disable-unit-tests --enable-vp8 --enable-vp9 --as=nasm >&2
make -j"$jobs" >&2
make install >&2

echo "windows-libs: building opus 1.3.1 for $host" >&2
mkdir -p "$cache/build/opus" && cd "$cache/build/opus"
"$src"/opus-1.3.1/configure --host=$host --prefix="$prefix" --enable-static --disable-shared \
  --disable-doc --disable-extra-programs --disable-stack-protector >&2
make -j"$jobs" >&2
make install >&2

rm -rf "$cache/build"
echo "$stamp_id" > "$prefix/.built"
echo "$prefix"
