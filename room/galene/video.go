package galene

import (
	"encoding/json"

	"kaigi/room"
	"kaigi/room/wire"
)

// SelectVideo implements room.VideoSelector with the protocol's
// requestStream: a down stream whose sender is off screen carries audio
// only, a small tile asks for the low simulcast layer ("video-low").
func (s *session) SelectVideo(shown map[string]room.Quality) { s.selection.Set(shown) }

// requests are the media lists requestStream sends for each quality.
var requests = map[room.Quality]json.RawMessage{
	room.QualityOff:  json.RawMessage(`["audio"]`),
	room.QualityLow:  json.RawMessage(`["audio","video-low"]`),
	room.QualityHigh: json.RawMessage(`["audio","video"]`),
}

// applyVideo asks for each down stream as its sender is shown, when that
// changed. It runs on the selection's goroutine only.
func (s *session) applyVideo(quality func(string) room.Quality) {
	s.mu.Lock()
	streams := make([]*stream, 0, len(s.down))
	for _, st := range s.down {
		streams = append(streams, st)
	}
	s.mu.Unlock()
	for _, st := range streams {
		q := quality(st.source)
		if st.isShare() {
			q = quality(room.ShareID(st.source))
		}
		if st.requested == q {
			continue
		}
		if s.write(wire.Message{Type: "requestStream", ID: st.id, Request: requests[q]}) == nil {
			st.requested = q
		}
	}
}
