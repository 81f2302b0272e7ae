// Package livekit is the LiveKit dialect: it joins LiveKit rooms (a LiveKit
// server URL with a token, or a LiveKit Meet room link) through LiveKit's
// Go SDK, publishes our tracks, receives everyone's, and chats the way
// LiveKit's own web components do. Its files: livekit.go the session and
// the join, publish.go our tracks, receive.go everyone's, state.go the
// connection's life (reconnecting, disconnected, leaving), chat.go the
// chat, share.go screen sharing, gestures.go hands and reactions, e2ee.go
// end-to-end encryption, video.go which videos are received.
package livekit

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	lksdk "github.com/livekit/server-sdk-go/v2"
	"github.com/pion/webrtc/v4"

	"kaigi/media"
	"kaigi/room"
	"kaigi/room/e2ee"
	"kaigi/room/link"
)

// connectTimeout bounds the SDK's connection attempt.
const connectTimeout = 10 * time.Second

type session struct {
	opts     room.JoinOptions
	events   *room.Events
	lk       *lksdk.Room
	ctx      context.Context
	cancel   context.CancelFunc
	wg       sync.WaitGroup
	stopOnce sync.Once

	mu       sync.Mutex
	pubs     map[room.Kind]*lksdk.LocalTrackPublication
	seenChat map[string]bool
	left     bool
	self     room.Participant
	watchdog *time.Timer // runs while reconnecting
	chatOut  outbox      // chat typed while the link is in trouble

	selection *room.Selection
	applied   map[string]room.Quality // track SID -> quality sent; selection goroutine only

	crypt *e2ee.Cryptor // end-to-end encryption; nil: none

	share sharing // our screen share

	layers atomic.Pointer[media.Layers] // our camera's simulcast layers (layers.go); nil: one layer
}

// reconnectWindow is how long the SDK may try to resume or rejoin before
// the session gives up and says the connection is lost (the user sees
// "reconnecting" meanwhile, and a Retry after).
const reconnectWindow = 8 * time.Second

// Dial joins the LiveKit room a link leads to.
func Dial(ctx context.Context, opts room.JoinOptions) (room.Session, error) {
	url, token := opts.Link.ServerURL, opts.Link.Token
	if opts.Link.Kind == link.LiveKitMeet {
		d, err := link.FetchLiveKitMeet(ctx, http.DefaultClient, opts.Link, opts.Name)
		if err != nil {
			return nil, room.Fail(room.ErrUnreachable, err, "")
		}
		url, token = d.ServerURL, d.Token
	}
	if url == "" || token == "" {
		return nil, room.Fail(room.ErrUnauthorized, nil, "no server address or token")
	}
	s := &session{opts: opts, events: room.NewEvents(), pubs: map[room.Kind]*lksdk.LocalTrackPublication{}, seenChat: map[string]bool{},
		selection: room.NewSelection(), applied: map[string]room.Quality{}}
	passphrase := opts.Passphrase
	if passphrase == "" {
		passphrase = opts.Link.Passphrase
	}
	crypt, err := newCryptor(passphrase)
	if err != nil {
		return nil, room.Fail(room.ErrMedia, err, "")
	}
	s.crypt = crypt
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.events.Emit(room.StateEvent{State: room.Connecting})

	cb := lksdk.NewRoomCallback()
	cb.OnParticipantConnected = func(rp *lksdk.RemoteParticipant) {
		s.events.Emit(room.ParticipantJoined{Participant: participant(rp)})
		s.handOnJoin(rp)
	}
	cb.OnAttributesChanged = s.onAttributes
	cb.OnParticipantDisconnected = func(rp *lksdk.RemoteParticipant) {
		s.events.Emit(room.ParticipantLeft{ID: rp.Identity()})
	}
	cb.OnTrackSubscribed = s.onTrack
	cb.OnTrackUnsubscribed = func(track *webrtc.TrackRemote, pub *lksdk.RemoteTrackPublication, rp *lksdk.RemoteParticipant) {
		if isShare(pub) {
			s.events.Emit(room.ShareEnded{ParticipantID: rp.Identity(), TrackID: pub.SID()})
			return
		}
		s.events.Emit(room.TrackRemoved{ParticipantID: rp.Identity(), TrackID: pub.SID(), Kind: kindOf(pub.Kind())})
	}
	cb.OnTrackMuted = func(pub lksdk.TrackPublication, p lksdk.Participant) { s.onMuted(pub, p, true) }
	cb.OnTrackUnmuted = func(pub lksdk.TrackPublication, p lksdk.Participant) { s.onMuted(pub, p, false) }
	cb.OnActiveSpeakersChanged = func(ps []lksdk.Participant) {
		ids := make([]string, 0, len(ps))
		for _, p := range ps {
			ids = append(ids, p.Identity())
		}
		s.events.Emit(room.ActiveSpeakers{IDs: ids})
	}
	cb.OnDataPacket = s.onData
	cb.OnReconnecting = s.onReconnecting
	cb.OnReconnected = s.onReconnected
	cb.OnDisconnectedWithReason = s.onDisconnected
	cb.OnMetadataChanged = func(_ string, p lksdk.Participant) {}

	s.chatOut.sent = func(id string, err error) {
		if err != nil {
			err = room.Fail(room.ErrDisconnected, err, "chat not sent")
		}
		s.events.Emit(room.ChatSent{ID: id, Err: err})
	}
	fs, err := interceptors(opts.Local, &s.share, &s.layers, s.chatOut.setSilent)
	if err != nil {
		s.events.Drop()
		s.cancel()
		return nil, room.Fail(room.ErrMedia, err, "")
	}
	// Subscribe to everyone's media, unless nothing would receive it (a
	// publisher only, like the crowd's in a large-meeting benchmark: 32
	// of them subscribing to each other made the server forward a
	// thousand streams no one played).
	connect := []lksdk.ConnectOption{lksdk.WithAutoSubscribe(opts.Remote != nil), lksdk.WithInterceptors(fs)}
	// Redundant audio, but not end to end encrypted: LiveKit's
	// encryption works on whole Opus frames (livekit-client turns RED
	// off with it too). Offered only if what we send can be sent so:
	// with RED negotiated, plain Opus from us reached nobody. A camera
	// sent as layers goes without RTX (codecs.go says why).
	// Lost packets of plain Opus are asked for again (NACK), unless our
	// media are sent as if the network were perfect.
	red := s.crypt == nil && (opts.Local == nil || canRED(opts.Local))
	nackAudio := opts.Local == nil || repairsLoss(opts.Local)
	lm, layered := opts.Local.(media.Layered)
	noRTX := s.crypt == nil && layered && len(lm.SimulcastLayers()) > 1
	codecs, err := withCodecs(red, nackAudio, noRTX)
	if err != nil {
		s.events.Drop()
		s.cancel()
		return nil, room.Fail(room.ErrMedia, err, "")
	}
	connect = append(connect, codecs)
	type result struct {
		r   *lksdk.Room
		err error
	}
	done := make(chan result, 1)
	go func() {
		r, err := lksdk.ConnectToRoomWithToken(url, token, cb, connect...)
		done <- result{r, err}
	}()
	var res result
	select {
	case res = <-done:
	case <-ctx.Done():
		go func() {
			if r := <-done; r.r != nil {
				r.r.Disconnect()
			}
		}()
		s.events.Drop()
		s.cancel()
		return nil, room.Fail(room.ErrTimeout, ctx.Err(), "")
	case <-time.After(connectTimeout):
		go func() {
			if r := <-done; r.r != nil {
				r.r.Disconnect()
			}
		}()
		s.events.Drop()
		s.cancel()
		return nil, room.Fail(room.ErrTimeout, nil, "LiveKit did not answer in %s", connectTimeout)
	}
	if res.err != nil {
		s.events.Drop()
		s.cancel()
		return nil, diagnose(ctx, url, token, res.err)
	}
	s.lk = res.r
	if s.crypt != nil {
		s.crypt.SetSIFTrailer(s.lk.SifTrailer())
	}
	lp := s.lk.LocalParticipant
	s.self = room.Participant{ID: lp.Identity(), Name: lp.Name(), Local: true}
	if s.self.Name == "" && opts.Name != "" {
		lp.SetName(opts.Name)
		s.self.Name = opts.Name
	}
	if err := s.lk.RegisterTextStreamHandler(chatStreamTopic, s.onTextStream); err != nil {
		s.Leave()
		return nil, room.Fail(room.ErrProtocol, err, "")
	}
	if err := s.publish(); err != nil {
		s.Leave()
		return nil, room.Fail(room.ErrMedia, err, "")
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.selection.Run(s.ctx, s.applyVideo)
	}()
	if s.crypt != nil {
		s.events.Emit(room.Encryption{Media: true})
	}
	s.events.Emit(room.StateEvent{State: room.Connected})
	for _, rp := range s.lk.GetRemoteParticipants() {
		s.events.Emit(room.ParticipantJoined{Participant: participant(rp)})
		s.handOnJoin(rp)
	}
	return s, nil
}
