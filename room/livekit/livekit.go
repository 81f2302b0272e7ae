// Package livekit is the LiveKit dialect: it joins LiveKit rooms (a LiveKit
// server URL with a token, or a LiveKit Meet room link) through LiveKit's
// Go SDK, publishes our tracks, receives everyone's, and chats the way
// LiveKit's own web components do.
package livekit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/livekit/protocol/livekit"
	lksdk "github.com/livekit/server-sdk-go/v2"
	"github.com/pion/webrtc/v4"

	"kaigi/room"
	"kaigi/room/e2ee"
	"kaigi/room/link"
)

// Chat topics of LiveKit's components: the legacy data topic and the
// text-stream topic; messages come on both with the same id.
const (
	chatTopic       = "lk-chat-topic"
	chatStreamTopic = "lk.chat"
)

// connectTimeout bounds the SDK's connection attempt.
const connectTimeout = 10 * time.Second

// chatMessage is the JSON LiveKit's components put on lk-chat-topic.
type chatMessage struct {
	ID        string `json:"id"`
	Timestamp int64  `json:"timestamp"`
	Message   string `json:"message"`
}

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

	selection *room.Selection
	applied   map[string]room.Quality // track SID -> quality sent; selection goroutine only

	crypt *e2ee.Cryptor // end-to-end encryption; nil: none

	share sharing // our screen share
}

// reconnectWindow is how long the SDK may try to resume or rejoin before
// the session gives up and says the connection is lost (the user sees
// "reconnecting" meanwhile, and a Retry after).
const reconnectWindow = 8 * time.Second

func (s *session) onReconnecting() {
	s.mu.Lock()
	if s.watchdog == nil {
		s.watchdog = time.AfterFunc(reconnectWindow, func() { s.onDisconnected("could not reconnect") })
	}
	s.mu.Unlock()
	s.events.Emit(room.StateEvent{State: room.Reconnecting})
}

func (s *session) onReconnected() {
	s.mu.Lock()
	if s.watchdog != nil {
		s.watchdog.Stop()
		s.watchdog = nil
	}
	s.mu.Unlock()
	s.events.Emit(room.StateEvent{State: room.Connected})
}

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

	fs, err := interceptors(opts.Local, &s.share)
	if err != nil {
		s.events.Drop()
		s.cancel()
		return nil, room.Fail(room.ErrMedia, err, "")
	}
	connect := []lksdk.ConnectOption{lksdk.WithAutoSubscribe(true), lksdk.WithInterceptors(fs)}
	// Redundant audio, but not end to end encrypted: LiveKit's
	// encryption works on whole Opus frames (livekit-client turns RED
	// off with it too). Offered only if what we send can be sent so:
	// with RED negotiated, plain Opus from us reached nobody.
	if s.crypt == nil && (opts.Local == nil || canRED(opts.Local)) {
		red, err := withRED()
		if err != nil {
			s.events.Drop()
			s.cancel()
			return nil, room.Fail(room.ErrMedia, err, "")
		}
		connect = append(connect, red)
	}
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

func participant(rp *lksdk.RemoteParticipant) room.Participant {
	name := rp.Name()
	if name == "" {
		name = rp.Identity()
	}
	return room.Participant{ID: rp.Identity(), Name: name}
}

func kindOf(k lksdk.TrackKind) room.Kind {
	if k == lksdk.TrackKindVideo {
		return room.Video
	}
	return room.Audio
}

func (s *session) publish() error {
	l := s.opts.Local
	if l == nil {
		return nil
	}
	if t := l.VideoTrack(); t != nil {
		t, enc, err := s.encrypted(t)
		if err != nil {
			return fmt.Errorf("publish video: %w", err)
		}
		pub, err := s.lk.LocalParticipant.PublishTrack(t, &lksdk.TrackPublicationOptions{Name: "camera", Source: livekit.TrackSource_CAMERA, Encryption: enc})
		if err != nil {
			return fmt.Errorf("publish video: %w", err)
		}
		s.pubs[room.Video] = pub
		if s.opts.StartVideoMuted {
			s.setMuted(room.Video, true)
		}
	}
	if t := l.AudioTrack(); t != nil {
		if s.crypt == nil && canRED(l) {
			t = l.(redAudio).AudioTrackRED()
		}
		t, enc, err := s.encrypted(t)
		if err != nil {
			return fmt.Errorf("publish audio: %w", err)
		}
		pub, err := s.lk.LocalParticipant.PublishTrack(t, &lksdk.TrackPublicationOptions{Name: "microphone", Source: livekit.TrackSource_MICROPHONE, Encryption: enc})
		if err != nil {
			return fmt.Errorf("publish audio: %w", err)
		}
		s.pubs[room.Audio] = pub
		if s.opts.StartAudioMuted {
			s.setMuted(room.Audio, true)
		}
	}
	return nil
}

// redAudio media can send their sound as RED (media.Local can).
type redAudio interface {
	AudioTrackRED() webrtc.TrackLocal
}

func canRED(l room.LocalMedia) bool {
	r, ok := l.(redAudio)
	return ok && r.AudioTrackRED() != nil
}

func (s *session) onTrack(track *webrtc.TrackRemote, pub *lksdk.RemoteTrackPublication, rp *lksdk.RemoteParticipant) {
	if isShare(pub) {
		s.onShareTrack(track, pub, rp)
		return
	}
	id := rp.Identity()
	s.events.Emit(room.TrackAdded{ParticipantID: id, TrackID: pub.SID(), Kind: kindOf(pub.Kind()), Muted: pub.IsMuted()})
	if pub.Kind() == lksdk.TrackKindVideo {
		s.selection.Wake() // apply the selection to the new track
	}
	if s.opts.Remote == nil {
		return
	}
	rt := s.decrypted(track, pub, id)
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		room.Receive(s.ctx, s.opts.Remote, id, track, rt, func() { rp.WritePLI(track.SSRC()) })
	}()
}

func (s *session) onMuted(pub lksdk.TrackPublication, p lksdk.Participant, muted bool) {
	if _, local := p.(*lksdk.LocalParticipant); local || isShare(pub) {
		return
	}
	s.events.Emit(room.TrackMuted{ParticipantID: p.Identity(), Kind: kindOf(pub.Kind()), Muted: muted})
}

func (s *session) onData(p lksdk.DataPacket, params lksdk.DataReceiveParams) {
	ud, ok := p.(*lksdk.UserDataPacket)
	if ok && ud.Topic == reactionTopic {
		s.onReaction(ud, params)
		return
	}
	if !ok || ud.Topic != chatTopic || len(ud.Payload) > 64<<10 {
		return
	}
	var m chatMessage
	if json.Unmarshal(ud.Payload, &m) != nil || m.Message == "" {
		return
	}
	s.chat(m.ID, params.SenderIdentity, params.Sender, m.Message, time.UnixMilli(m.Timestamp))
}

func (s *session) onTextStream(reader *lksdk.TextStreamReader, identity string) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		text := reader.ReadAll()
		id, at := "", time.Now()
		if info := reader.Info; info != (lksdk.TextStreamInfo{}) {
			id = info.Id
			if info.Timestamp > 0 {
				at = time.UnixMilli(info.Timestamp)
			}
		}
		s.chat(id, identity, s.lk.GetParticipantByIdentity(identity), text, at)
	}()
}

// chat emits a chat line once, whichever way it came.
func (s *session) chat(id, identity string, rp *lksdk.RemoteParticipant, text string, at time.Time) {
	if text == "" {
		return
	}
	s.mu.Lock()
	if id != "" {
		if s.seenChat[id] {
			s.mu.Unlock()
			return
		}
		s.seenChat[id] = true
	}
	s.mu.Unlock()
	name := identity
	if rp != nil && rp.Name() != "" {
		name = rp.Name()
	}
	if at.IsZero() || at.Unix() <= 0 {
		at = time.Now()
	}
	s.events.Emit(room.ChatMessage{FromID: identity, FromName: name, Text: text, Time: at})
}

func (s *session) onDisconnected(reason lksdk.DisconnectionReason) {
	s.mu.Lock()
	left := s.left
	s.left = true
	if s.watchdog != nil {
		s.watchdog.Stop()
	}
	s.mu.Unlock()
	if left {
		return
	}
	r := room.ErrDisconnected
	switch {
	case strings.Contains(string(reason), "duplicate"):
		r = room.ErrKicked
	case strings.Contains(strings.ToLower(string(reason)), "removed"):
		r = room.ErrKicked
	case strings.Contains(strings.ToLower(string(reason)), "room deleted"), strings.Contains(strings.ToLower(string(reason)), "room closed"):
		r = room.ErrEnded
	}
	s.events.Emit(room.StateEvent{State: room.Failed, Err: room.Fail(r, nil, "%s", reason)})
	go s.shutdown()
}

func (s *session) Events() <-chan room.Event { return s.events.C() }

func (s *session) Self() room.Participant { return s.self }

func (s *session) SetMuted(kind room.Kind, muted bool) error {
	if !s.setMuted(kind, muted) {
		return fmt.Errorf("no %s track to mute", kind)
	}
	return nil
}

func (s *session) setMuted(kind room.Kind, muted bool) bool {
	pub := s.pubs[kind]
	if pub == nil {
		return false
	}
	if l := s.opts.Local; l != nil {
		if kind == room.Audio {
			l.SetAudioMuted(muted)
		} else {
			l.SetVideoMuted(muted)
		}
	}
	pub.SetMuted(muted)
	return true
}

func (s *session) SendChat(text string) error {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil
	}
	id := uuid.NewString()
	now := time.Now()
	data, err := json.Marshal(chatMessage{ID: id, Timestamp: now.UnixMilli(), Message: text})
	if err != nil {
		return err
	}
	lp := s.lk.LocalParticipant
	// New components read the text stream, older ones the data topic;
	// both carry the same id, and receivers keep the first.
	if err := sendTextStream(lp, id, chatStreamTopic, text, now); err != nil {
		return room.Fail(room.ErrDisconnected, err, "chat not sent")
	}
	if err := lp.PublishDataPacket(lksdk.UserData(data), lksdk.WithDataPublishTopic(chatTopic), lksdk.WithDataPublishReliable(true)); err != nil {
		return room.Fail(room.ErrDisconnected, err, "chat not sent")
	}
	s.mu.Lock()
	s.seenChat[id] = true
	s.mu.Unlock()
	s.events.Emit(room.ChatMessage{FromID: s.self.ID, FromName: s.self.Name, Text: text, Time: now})
	return nil
}

func (s *session) Leave() error {
	s.mu.Lock()
	if s.left {
		s.mu.Unlock()
		return nil
	}
	s.left = true
	s.mu.Unlock()
	s.events.Emit(room.StateEvent{State: room.Left})
	s.shutdown()
	return nil
}

// shutdown disconnects, waits for every receiving goroutine and closes the
// event stream, once.
func (s *session) shutdown() {
	s.stopOnce.Do(func() {
		if s.lk != nil {
			s.lk.Disconnect()
		}
		s.cancel()
		s.wg.Wait()
		s.events.Close()
	})
}

// classify turns the SDK's connection errors into room reasons.
func classify(err error) error {
	msg := strings.ToLower(err.Error())
	switch {
	case strings.Contains(msg, "401"), strings.Contains(msg, "unauthorized"), strings.Contains(msg, "invalid token"),
		strings.Contains(msg, "token is expired"), strings.Contains(msg, "signature"):
		return room.Fail(room.ErrUnauthorized, err, "")
	case strings.Contains(msg, "connection refused"), strings.Contains(msg, "no such host"), strings.Contains(msg, "network is unreachable"),
		strings.Contains(msg, "i/o timeout"), strings.Contains(msg, "connect: "):
		return room.Fail(room.ErrUnreachable, err, "")
	case strings.Contains(msg, "404"), strings.Contains(msg, "bad handshake"), strings.Contains(msg, "malformed http"),
		strings.Contains(msg, "unexpected eof"), strings.Contains(msg, "400"), strings.Contains(msg, "405"):
		return room.Fail(room.ErrNotARoom, err, "")
	case strings.Contains(msg, "certificate"), strings.Contains(msg, "x509"), strings.Contains(msg, "tls"):
		return room.Fail(room.ErrCertificate, err, "")
	case errors.Is(err, lksdk.ErrConnectionTimeout):
		return room.Fail(room.ErrMedia, err, "")
	}
	return room.Fail(room.ErrUnreachable, err, "")
}
