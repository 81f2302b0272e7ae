package main

import (
	"kaigi/room"
	"kaigi/room/link"
)

// dialers maps each joinable kind of link to the dialect that joins it.
func dialers() map[link.Kind]room.Dialer {
	return map[link.Kind]room.Dialer{}
}
