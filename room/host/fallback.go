package host

import (
	"sync/atomic"

	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"

	"kaigi/rtc"
)

// localTrack is what a downTrack writes to.
type localTrack interface {
	webrtc.TrackLocal
	WriteRTP(*rtp.Packet) error
}

// redFallback is a RED up track as one receiver gets it: as RED where the
// receiver's answer took RED (our client does), and as the plain Opus of
// each packet's primary block where it took Opus alone (a client without
// RED, or a Kaigi from before RED): forwarded as RED to such a receiver,
// the track could not bind and its whole down stream failed.
type redFallback struct {
	red, opus *webrtc.TrackLocalStaticRTP
	plain     atomic.Bool
}

func newREDFallback(id, streamID string) (*redFallback, error) {
	red, err := webrtc.NewTrackLocalStaticRTP(rtc.RED, id, streamID)
	if err != nil {
		return nil, err
	}
	opus, err := webrtc.NewTrackLocalStaticRTP(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeOpus, ClockRate: 48000, Channels: 2}, id, streamID)
	if err != nil {
		return nil, err
	}
	return &redFallback{red: red, opus: opus}, nil
}

func (f *redFallback) Bind(ctx webrtc.TrackLocalContext) (webrtc.RTPCodecParameters, error) {
	c, err := f.red.Bind(ctx)
	if err == nil {
		return c, nil
	}
	c, plainErr := f.opus.Bind(ctx)
	if plainErr != nil {
		return c, err
	}
	f.plain.Store(true)
	return c, nil
}

func (f *redFallback) Unbind(ctx webrtc.TrackLocalContext) error {
	if f.plain.Load() {
		return f.opus.Unbind(ctx)
	}
	return f.red.Unbind(ctx)
}

func (f *redFallback) ID() string                { return f.red.ID() }
func (f *redFallback) RID() string               { return f.red.RID() }
func (f *redFallback) StreamID() string          { return f.red.StreamID() }
func (f *redFallback) Kind() webrtc.RTPCodecType { return f.red.Kind() }

func (f *redFallback) WriteRTP(p *rtp.Packet) error {
	if !f.plain.Load() {
		return f.red.WriteRTP(p)
	}
	primary, err := rtc.REDPrimary(p.Payload)
	if err != nil {
		return nil // not RED after all: nothing a plain receiver can use
	}
	out := *p
	out.Payload = primary
	return f.opus.WriteRTP(&out)
}
