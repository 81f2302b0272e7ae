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

// Receive hands a remote track to what receives media, as id, until the
// track ends; decoded is the track as it can be read (decrypted), nil when
// it cannot be, and then the raw track is drained. It blocks: dialects run
// it in a goroutine of their own.
func Receive(ctx context.Context, to TrackReceiver, id string, raw, decoded RemoteTrack, requestKeyframe func()) {
	if decoded == nil {
		Drain(ctx, raw)
		return
	}
	to.ReceiveTrack(ctx, id, decoded, requestKeyframe)
}
