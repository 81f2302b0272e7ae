package rtc

import (
	"sync"

	"github.com/pion/webrtc/v4"
)

// maxPending bounds the candidates kept for one PeerConnection.
const maxPending = 64

// Candidates holds the remote ICE candidates of one PeerConnection that
// arrive before its remote description (trickle ICE can outrun the SDP).
// The zero value is ready to use.
type Candidates struct {
	mu      sync.Mutex
	pending []webrtc.ICECandidateInit
}

// Add applies c at once, or keeps it until Flush when pc has no remote
// description yet.
func (k *Candidates) Add(pc *webrtc.PeerConnection, c webrtc.ICECandidateInit) {
	k.mu.Lock()
	if pc.RemoteDescription() == nil {
		if len(k.pending) < maxPending {
			k.pending = append(k.pending, c)
		}
		k.mu.Unlock()
		return
	}
	k.mu.Unlock()
	_ = pc.AddICECandidate(c)
}

// Flush applies what was kept; call it after setting the remote
// description.
func (k *Candidates) Flush(pc *webrtc.PeerConnection) {
	k.mu.Lock()
	p := k.pending
	k.pending = nil
	k.mu.Unlock()
	for _, c := range p {
		_ = pc.AddICECandidate(c)
	}
}
