package room

import (
	"context"
	"time"
)

// Drain reads a remote track that will not be decoded (encrypted without
// our key, say) until it ends or ctx is done, so that its packets do not
// pile up behind it.
func Drain(ctx context.Context, track RemoteTrack) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// ReadRTP has no context: a deadline in the past stops it.
	go func() {
		<-ctx.Done()
		_ = track.SetReadDeadline(time.Now())
	}()
	for ctx.Err() == nil {
		if _, _, err := track.ReadRTP(); err != nil {
			return
		}
	}
}
