package livekit

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"kaigi/headless"
	"kaigi/room/livekit/livekittest"
)

// TestEndToEndEncryption: Ann and Ben share a passphrase and see and hear
// each other through a real livekit-server; Ken has another passphrase:
// he decodes nothing of theirs (no garbage), and knows why; they cannot
// decrypt him either.
func TestEndToEndEncryption(t *testing.T) {
	srv := livekittest.Start(t, livekittest.Options{})
	ps := []struct {
		name, passphrase string
		tone             float64
	}{
		{"Ann", "open sesame", 440},
		{"Ben", "open sesame", 660},
		{"Ken", "close sesame", 880},
	}
	results := make([]headless.Result, len(ps))
	var wg sync.WaitGroup
	for i, p := range ps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l := lkLink(srv.URL, livekittest.Token(t, "secret-room", p.name, p.name, time.Hour))
			l.Passphrase = p.passphrase
			res, err := headless.Run(context.Background(), headless.Options{Link: l, Name: p.name,
				Duration: 12 * time.Second, ToneHz: p.tone, Dial: Dial})
			if err != nil {
				t.Errorf("%s: %v", p.name, err)
			}
			results[i] = res
		}()
	}
	wg.Wait()
	ann, ben, ken := results[0], results[1], results[2]
	for _, r := range results {
		if !r.Encrypted {
			t.Errorf("%s's session did not say it is encrypted", r.Link)
		}
	}
	checkPair(t, ann, ben, "Ann", "Ben", 660, 5)
	checkPair(t, ben, ann, "Ben", "Ann", 440, 5)
	for _, who := range []string{"Ann", "Ben"} {
		p := peerNamed(ken, who)
		if p == nil {
			t.Fatalf("Ken never saw %s", who)
		}
		if p.VideoFrames > 0 || p.AudioPackets > 0 {
			t.Errorf("Ken decoded %d pictures and %d sounds of %s's without the key", p.VideoFrames, p.AudioPackets, who)
		}
		if !slices.Contains(p.Undecryptable, "video") || !slices.Contains(p.Undecryptable, "audio") {
			t.Errorf("Ken was not told that %s's media does not decrypt: %+v", who, p)
		}
	}
	for _, r := range []headless.Result{ann, ben} {
		p := peerNamed(r, "Ken")
		if p == nil || p.VideoFrames > 0 || len(p.Undecryptable) != 2 {
			t.Errorf("Ken's media with another passphrase: %+v", p)
		}
	}
}
