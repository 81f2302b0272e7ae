# Kaigi: `make run` builds and starts the app; `make test` runs every test.
# Both install what is missing first (scripts/deps.sh).

GO       ?= go
TAGS     := nolibopusfile
VERSION  := $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -s -w -X main.version=$(VERSION)
BIN      := build/kaigi
FUZZTIME ?= 20s
export PATH := $(PATH):/usr/local/go/bin

.PHONY: all run build deps test-deps test vet fuzz screenshots bench clean

# Tests and screenshots run in a known locale (Fyne logs an error for LANG=C).
test fuzz screenshots bench: export LANG := en_US.UTF-8

all: build

deps:
	@scripts/deps.sh

test-deps:
	@scripts/deps.sh test

build: deps
	$(GO) build -tags $(TAGS) -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/kaigi
	@ls -l $(BIN) | awk '{printf "built %s (%.1f MB)\n", $$9, $$5/1048576}'

run: build
	./$(BIN) $(ARGS)

vet:
	$(GO) vet -tags $(TAGS) ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt needed"; exit 1; }

# Every test. Servers the tests need (livekit-server, redis-server,
# PulseAudio, Xvfb) are started by the tests themselves; livekit-server is
# built once per machine into ~/.cache/kaigi.
test: test-deps build vet
	scripts/livekit-server.sh >/dev/null
	$(GO) test -tags $(TAGS) -timeout 30m ./...
	$(MAKE) --no-print-directory fuzz

# Bounded runs of every fuzz target (the corpus grows in testdata/fuzz).
fuzz:
	@for pkg in $$($(GO) list -tags $(TAGS) ./...); do \
	  dir=$$($(GO) list -tags $(TAGS) -f '{{.Dir}}' $$pkg); \
	  for f in $$(grep -ho '^func Fuzz[A-Za-z0-9_]*' $$dir/*_test.go 2>/dev/null | sed 's/func //'); do \
	    echo "fuzz $$pkg $$f ($(FUZZTIME))"; \
	    $(GO) test -tags $(TAGS) -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

screenshots: test-deps build
	scripts/screenshots.sh

bench: test-deps build
	$(GO) test -tags $(TAGS) -run '^$$' -bench . -benchtime 3s ./media/... ./room/...

clean:
	rm -rf build
