#!/usr/bin/env bash
# Builds livekit-server (the version the tests use) once per machine into
# ${KAIGI_CACHE:-~/.cache/kaigi} and prints its path. livekit-server is a
# Go program served by the Go module proxy; `go install` refuses it (its
# go.mod has replace directives), so it is built inside a scratch module.
set -euo pipefail
version=v1.13.5
cache=${KAIGI_CACHE:-$HOME/.cache/kaigi}
bin=$cache/livekit-server-$version
if [ -x "$bin" ]; then echo "$bin"; exit 0; fi
export PATH="$PATH:/usr/local/go/bin"
mkdir -p "$cache"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"
cat > go.mod <<MOD
module livekit-build

go 1.26
MOD
cat > tools.go <<'SRC'
//go:build tools

package tools

import _ "github.com/livekit/livekit-server/cmd/server"
SRC
echo "livekit-server.sh: building livekit-server $version (once per machine, a few minutes)" >&2
GOFLAGS=-mod=mod go get "github.com/livekit/livekit-server@$version" >&2
GOFLAGS=-mod=mod go build -o "$bin.tmp" github.com/livekit/livekit-server/cmd/server >&2
mv "$bin.tmp" "$bin"
echo "$bin"
