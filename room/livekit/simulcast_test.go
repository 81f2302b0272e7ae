package livekit

import (
	"os"
	"testing"
	"time"

	"kaigi/room/link"
	"kaigi/room/livekit/livekittest"
	"kaigi/room/roomtest"
)

// TestSimulcast: a receiver of a small tile decodes the low layer, of a
// large tile the top one, and the encoder of the layer nobody receives
// rests (livekit-server's dynacast says so after its 5 s debounce).
// KAIGI_SIMULCAST=off publishes one layer, and the test fails.
func TestSimulcast(t *testing.T) {
	srv := livekittest.Start(t, livekittest.Options{})
	roomtest.Simulcast(t, Dial, func(name string) link.Link {
		return lkLink(srv.URL, livekittest.Token(t, "layers", name, name, time.Hour))
	}, 6*time.Second, os.Getenv("KAIGI_SIMULCAST") == "off")
}
