package pace

import (
	"context"
	"testing"
	"time"
)

func TestClock(t *testing.T) {
	var c Clock
	start := time.Now()
	for i := 0; i < 10; i++ {
		if err := c.Wait(context.Background(), 10*time.Millisecond); err != nil {
			t.Fatal(err)
		}
	}
	// Ten ticks are nine periods apart (the first is at once).
	if d := time.Since(start); d < 85*time.Millisecond {
		t.Errorf("ten ticks in %s", d)
	}
	// The next tick is an hour away: a cancelled wait must not sit there.
	_ = c.Wait(context.Background(), time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.Wait(ctx, time.Hour); err != context.Canceled {
		t.Errorf("a cancelled wait returned %v", err)
	}
}
