package roomtest

import (
	"context"
	"time"

	"kaigi/media"
	"kaigi/room"
)

// Publish joins as a participant that sends the synthetic camera (the
// stamped test pattern, 640x480 at 30 frames per second) and a tone of
// toneHz, and receives nothing, until ctx ends or 40 s have passed. The
// error is the join's or the session's failure.
func Publish(ctx context.Context, dial room.Dialer, opts room.JoinOptions, toneHz float64) error {
	local, err := media.NewFakeLocal(640, 480, 30, toneHz)
	if err != nil {
		return err
	}
	defer local.Close()
	opts.Local, opts.Remote = local, nil
	sess, err := dial(ctx, opts)
	if err != nil {
		return err
	}
	var failure error
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ev := range sess.Events() {
			if e, ok := ev.(room.StateEvent); ok && e.State == room.Failed {
				failure = e.Err
			}
		}
	}()
	select {
	case <-ctx.Done():
	case <-done:
	case <-time.After(40 * time.Second):
	}
	_ = sess.Leave()
	<-done
	return failure
}
