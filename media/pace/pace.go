// Package pace is the clock of synthetic sources: it releases a reader at
// a steady rate without drifting, and restarts after a long stall instead
// of rushing to catch up.
package pace

import (
	"context"
	"time"
)

// Clock releases one tick per Wait.
type Clock struct{ next time.Time }

// Wait blocks until the next tick, then schedules the one after period.
func (c *Clock) Wait(ctx context.Context, period time.Duration) error {
	now := time.Now()
	if c.next.IsZero() || now.Sub(c.next) > time.Second {
		c.next = now
	}
	if d := c.next.Sub(now); d > 0 {
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
	c.next = c.next.Add(period)
	return nil
}
