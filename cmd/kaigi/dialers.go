package main

import (
	"context"
	"fmt"

	"kaigi/app"
	"kaigi/room"
	"kaigi/room/link"
)

// dialers maps each joinable kind of link to the dialect that joins it.
func dialers() map[link.Kind]room.Dialer {
	return map[link.Kind]room.Dialer{}
}

// errNoDialect: this build cannot join that kind of room.
var errNoDialect = fmt.Errorf("this kind of meeting cannot be joined yet")

// joinFunc is what the app calls to join: the dialect of the link's kind.
// Local media is set up by the call screen (not yet).
func joinFunc(d map[link.Kind]room.Dialer) app.JoinFunc {
	if len(d) == 0 {
		return nil
	}
	return func(ctx context.Context, l link.Link, name, password string) (room.Session, error) {
		dial, ok := d[l.Kind]
		if !ok {
			return nil, errNoDialect
		}
		return dial(ctx, room.JoinOptions{Link: l, Name: name, Password: password})
	}
}
