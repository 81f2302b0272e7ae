# Kaigi: `make run` builds and starts the app; `make test` runs every test.
# Both install what is missing first (scripts/deps.sh).

GO       ?= go
TAGS     := nolibopusfile
VERSION  := $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -s -w -X main.version=$(VERSION)
BIN      := build/kaigi
FUZZTIME ?= 20s
export PATH := $(PATH):/usr/local/go/bin

# Every Go build and test here builds Fyne with our patches to its drawing
# (third_party/fyne): a patched copy of the module and a go.mod that
# points to it, which scripts/fyne-patched.sh makes (the target `fyne`).
# A plain `go build` gets Fyne as released: the same app, drawn at a
# higher CPU cost under software rendering.
export GOFLAGS := -modfile=$(CURDIR)/build/fyne/go.mod

.PHONY: all run build deps test-deps fyne test vet race fuzz screenshots bench clean install uninstall package package-deb \
  windows-deps windows windows-installer windows-proof

PREFIX     ?= /usr/local
DESTDIR    ?=
APPID      := io.kaigi.Kaigi
ICON_SIZES := 16 24 32 48 64 128 256 512
NFPM       := github.com/goreleaser/nfpm/v2/cmd/nfpm@v2.45.2

# Tests and screenshots run in a known locale (Fyne logs an error for LANG=C).
test race fuzz screenshots bench: export LANG := en_US.UTF-8

all: build

deps:
	@scripts/deps.sh

test-deps:
	@scripts/deps.sh test

fyne:
	@scripts/fyne-patched.sh build/fyne >/dev/null

build: deps fyne
	$(GO) build -tags $(TAGS) -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/kaigi
	@ls -l $(BIN) | awk '{printf "built %s (%.1f MB)\n", $$9, $$5/1048576}'

run: build
	./$(BIN) $(ARGS)

vet: fyne
	$(GO) vet -tags $(TAGS) ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt needed"; exit 1; }

# Every test. Servers the tests need (livekit-server, redis-server,
# PulseAudio, Xvfb) are started by the tests themselves; livekit-server is
# built once per machine into ~/.cache/kaigi.
test: test-deps build vet
	scripts/livekit-server.sh >/dev/null
	$(GO) test -tags $(TAGS) -timeout 30m $(filter-out $(HEAVY),$(shell $(GO) list -tags $(TAGS) ./...))
	$(GO) test -tags $(TAGS) -timeout 30m -p 1 $(HEAVY)
	$(MAKE) --no-print-directory race
	scripts/test-desktop.sh
	$(MAKE) --no-print-directory fuzz

# The race detector over every package. Under it tests walk every path
# but check only that media flows, not its rates (internal/race); the
# impaired-network tests, which measure rates and gaps, skip under -short.
# Races found in code that is not ours (each fixed upstream, in versions
# newer than ours) are listed in internal/race/suppressions.txt.
#
# HEAVY are the packages whose tests run several real participants,
# servers or browsers: they go one at a time (-p 1), in the ordinary run
# as under the detector. On two cores, run two at a time, one's media
# starved the other's, and a different call test missed its counts in
# each CI run.
HEAVY = kaigi/app kaigi/bench kaigi/cmd/kaigi kaigi/headless kaigi/room/e2ee kaigi/room/galene kaigi/room/livekit
race: export GORACE := suppressions=$(CURDIR)/internal/race/suppressions.txt
race: fyne
	$(GO) test -race -short -tags $(TAGS) -timeout 30m $(filter-out $(HEAVY),$(shell $(GO) list -tags $(TAGS) ./...))
	$(GO) test -race -short -tags $(TAGS) -timeout 30m -p 1 $(HEAVY)

# Bounded runs of every fuzz target (the corpus grows in testdata/fuzz).
fuzz: fyne
	@for pkg in $$($(GO) list -tags $(TAGS) ./...); do \
	  dir=$$($(GO) list -tags $(TAGS) -f '{{.Dir}}' $$pkg); \
	  for f in $$(grep -ho '^func Fuzz[A-Za-z0-9_]*' $$dir/*_test.go 2>/dev/null | sed 's/func //'); do \
	    echo "fuzz $$pkg $$f ($(FUZZTIME))"; \
	    scripts/fuzz-one.sh $$pkg $$f $(FUZZTIME) -tags $(TAGS) || exit 1; \
	  done; \
	done

screenshots: test-deps build
	scripts/screenshots.sh

# Benchmarks (not part of make test): codecs and latency, the host's
# forwarding cost, how fast call tiles draw under Xvfb, Kaigi next to
# Chromium on one LiveKit room, headless, as windows and behind the same
# impaired uplink (bench/network_test.go: 3 runs a cell, about 10 min, as
# root), and a long call (writes docs/benchmarks.md). SOAK_MIN=30 by
# default; SOAK_MIN=0 skips it.
SOAK_MIN ?= 30
bench: test-deps build
	$(GO) test -tags $(TAGS) -run '^$$' -bench . -benchtime 3s ./media/... ./room/e2ee
	$(GO) test -tags $(TAGS) -run '^$$' -bench 'PageTurn|ScreenBuild' -benchtime 50x ./app
	bench/host.sh 2 4 8
	bench/hosted.sh 50 12
	python3 bench/large.py --report docs/benchmarks.md
	bench/tiles.sh 9
	bench/compare.sh
	KAIGI_BENCH_NETWORK=1 $(GO) test -count=1 -tags $(TAGS) -run '^TestNetworkBench$$' -timeout 20m ./bench
	@sed -n '/bench\/network writes from here/,/to here (network)/p' docs/benchmarks.md
	SOAK_MIN=$(SOAK_MIN) bench/window.sh

# Installs the binary, the icons and our desktop entry (which registers the
# kaigi: scheme); without DESTDIR it also updates the desktop's caches and
# makes Kaigi the handler of kaigi: links.
install: build
	install -Dm755 $(BIN) $(DESTDIR)$(PREFIX)/bin/kaigi
	for s in $(ICON_SIZES); do install -Dm644 assets/icons/$${s}x$${s}.png $(DESTDIR)$(PREFIX)/share/icons/hicolor/$${s}x$${s}/apps/kaigi.png; done
	install -Dm644 assets/$(APPID).desktop $(DESTDIR)$(PREFIX)/share/applications/$(APPID).desktop
	install -Dm644 assets/fonts/OFL.txt $(DESTDIR)$(PREFIX)/share/doc/kaigi/fonts-OFL.txt
	@if [ -z "$(DESTDIR)" ]; then \
	  update-desktop-database -q $(PREFIX)/share/applications 2>/dev/null || true; \
	  gtk-update-icon-cache -q $(PREFIX)/share/icons/hicolor 2>/dev/null || true; \
	  xdg-mime default $(APPID).desktop x-scheme-handler/kaigi 2>/dev/null || true; \
	fi

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/kaigi $(DESTDIR)$(PREFIX)/share/applications/$(APPID).desktop
	for s in $(ICON_SIZES); do rm -f $(DESTDIR)$(PREFIX)/share/icons/hicolor/$${s}x$${s}/apps/kaigi.png; done
	rm -rf $(DESTDIR)$(PREFIX)/share/doc/kaigi
	@if [ -z "$(DESTDIR)" ]; then update-desktop-database -q $(PREFIX)/share/applications 2>/dev/null || true; fi

FYNE := fyne.io/tools/cmd/fyne@v1.7.4

# build/Kaigi.tar.xz (fyne package: binary, icon, its own desktop entry)
# and build/kaigi_VERSION_amd64.deb (nfpm, with our entry and the scheme).
package: package-deb
	$(GO) run $(FYNE) package --os linux --src cmd/kaigi --icon $(CURDIR)/assets/icon.png --app-id $(APPID) \
	  --name Kaigi --app-version $$(sed -n 's/^ *Version = "\(.*\)"/\1/p' FyneApp.toml) --tags $(TAGS) --release
	mv Kaigi.tar.xz build/

package-deb: build
	VERSION=$$(sed -n 's/^ *Version = "\(.*\)"/\1/p' FyneApp.toml)+git$$(git rev-parse --short HEAD 2>/dev/null || echo 0) \
	  $(GO) run $(NFPM) pkg --packager deb --config packaging/nfpm.yaml --target build/

# Windows, cross-built here with MinGW-w64 (docs/install.md). libvpx and
# Opus are built once per machine from Debian's source packages as static
# MinGW libraries (scripts/windows-libs.sh, cached in ~/.cache/kaigi/windows).
APPVERSION := $(shell sed -n 's/^ *Version = "\(.*\)"/\1/p' FyneApp.toml)
APPBUILD   := $(shell sed -n 's/^ *Build = \([0-9]*\)/\1/p' FyneApp.toml)
WIN        := build/windows
WIN_SYSO   := cmd/kaigi/rsrc_windows_amd64.syso
WIN_CC     := x86_64-w64-mingw32
WIN_VER    := $(subst ., ,$(APPVERSION))
WIN_ICONS  := $(foreach s,16 24 32 48 64 128 256,assets/icons/$(s)x$(s).png)
INSTALLER  := build/KaigiSetup-$(APPVERSION).exe
# MinGW's own libraries that the static libvpx (winpthreads), Opus (built
# with _FORTIFY_SOURCE: libssp) and the C++ camera driver (libstdc++) need,
# all linked statically so that kaigi.exe needs no MinGW DLL. Given to the
# final link rather than written into the .pc files: Go's build cache does
# not notice a changed .pc file.
WIN_OUT     ?= $(WIN)/kaigi.exe
WIN_GOFLAGS ?=
WIN_EXTLIBS := -static -l:libwinpthread.a -l:libssp.a

windows-deps:
	@scripts/deps.sh windows

# build/windows/kaigi.exe: a GUI program (no console window) with Kaigi's
# icon and version information; CLI subcommands attach to the console.
windows: windows-deps fyne
	@mkdir -p $(WIN)
	$(GO) run ./scripts/ico $(WIN)/kaigi.ico $(WIN_ICONS)
	$(WIN_CC)-windres -O coff -I $(WIN) -I packaging/windows \
	  -DVER_MAJOR=$(word 1,$(WIN_VER)) -DVER_MINOR=$(word 2,$(WIN_VER)) -DVER_PATCH=$(word 3,$(WIN_VER)) \
	  -DVER_BUILD=$(APPBUILD) '-DVERSION_STR=\"$(VERSION)\"' -i packaging/windows/kaigi.rc -o $(WIN_SYSO)
	prefix=$$(scripts/windows-libs.sh) && \
	  CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=$(WIN_CC)-gcc CXX=$(WIN_CC)-g++ \
	  PKG_CONFIG_LIBDIR=$$prefix/lib/pkgconfig PKG_CONFIG_PATH= \
	  $(GO) build $(WIN_GOFLAGS) -tags $(TAGS) -ldflags "$(LDFLAGS) -H=windowsgui -extldflags '$(WIN_EXTLIBS)'" -o $(WIN_OUT) ./cmd/kaigi
	@ls -l $(WIN_OUT) | awk '{printf "built %s (%.1f MB)\n", $$9, $$5/1048576}'

# build/KaigiSetup-VERSION.exe (NSIS): per user or for everyone, Start menu,
# kaigi: links, uninstaller.
windows-installer: windows
	cp assets/fonts/OFL.txt $(WIN)/OFL.txt
	makensis -V2 -DVERSION=$(APPVERSION) -DSRC=$(CURDIR)/$(WIN) -DOUTFILE=$(CURDIR)/$(INSTALLER) packaging/windows/kaigi.nsi
	@ls -l $(INSTALLER) | awk '{printf "built %s (%.1f MB)\n", $$9, $$5/1048576}'

# The installer, kaigi.exe and a call between it and the Linux Kaigi, under
# Wine in a fresh prefix (scripts/windows-proof.sh; screenshots and logs in
# build/windows/proof). The call uses kaigi-wine.exe: the same program with
# one change to Go's net package that Wine 8 needs for UDP
# (scripts/wine-net-overlay.sh).
windows-proof: export LANG := en_US.UTF-8
windows-proof: windows-installer build
	@scripts/deps.sh windows-test
	scripts/livekit-server.sh >/dev/null
	$(MAKE) --no-print-directory windows WIN_OUT=$(WIN)/kaigi-wine.exe \
	  WIN_GOFLAGS=-overlay=$$(scripts/wine-net-overlay.sh $(WIN)/wine-net)
	scripts/windows-proof.sh $(INSTALLER) $(WIN)/kaigi-wine.exe

clean:
	rm -rf build $(WIN_SYSO)
