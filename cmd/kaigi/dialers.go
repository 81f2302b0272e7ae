package main

import (
	"context"

	"kaigi/app"
	"kaigi/room"
	"kaigi/room/galene"
	"kaigi/room/link"
	"kaigi/room/livekit"
)

// dialers maps each joinable kind of link to the dialect that joins it.
func dialers() map[link.Kind]room.Dialer {
	return map[link.Kind]room.Dialer{
		link.LiveKit:     livekit.Dial,
		link.LiveKitMeet: livekit.Dial,
		link.Galene:      galene.Dial,
	}
}

// joinFunc is what the app calls to join: the dialect of the link's kind.
func joinFunc(d map[link.Kind]room.Dialer) app.JoinFunc {
	return func(ctx context.Context, o room.JoinOptions) (room.Session, error) {
		dial, ok := d[o.Link.Kind]
		if !ok {
			return nil, room.ErrUnsupported
		}
		return dial(ctx, o)
	}
}
