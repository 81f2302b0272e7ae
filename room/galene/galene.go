// Package galene is the client side of the Galène protocol, version 2
// (docs/galene-protocol.md): the dialect that joins Galène servers and
// meetings hosted by Kaigi (room/host). Its files follow the protocol:
// http.go fetches the group status (TLS, the invitation's certificate
// pin), join.go is the handshake and the join, up.go our up stream,
// dispatch.go the messages that arrive, roster.go who is there, down.go
// the streams the server sends us, session.go what the UI calls.
package galene

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
	"github.com/pion/webrtc/v4"

	"kaigi/media"
	"kaigi/room"
	"kaigi/room/e2ee"
	"kaigi/room/link"
	"kaigi/room/wire"
	"kaigi/rtc"
)

// Bounds on every step that waits for the server.
const (
	stepTimeout  = 10 * time.Second
	maxMessage   = 1 << 20
	writeTimeout = 10 * time.Second
	idleTimeout  = 90 * time.Second
)

// Options tune the dialect (tests use loopback-only networking).
type Options struct {
	Setting *webrtc.SettingEngine
	// ReconnectFor bounds how long a lost connection is retried before
	// the call fails (0: defaultReconnectFor; negative: never retried).
	ReconnectFor time.Duration
}

// Dial joins a Galène group with default options.
func Dial(ctx context.Context, opts room.JoinOptions) (room.Session, error) {
	return Options{}.Dial(ctx, opts)
}

type session struct {
	opts   room.JoinOptions
	o      Options
	events *room.Events
	conn   *websocket.Conn
	api    *webrtc.API // what we send (up streams)
	// recvAPI's PeerConnections take others' media (down streams, one
	// per sender): no congestion control of their own.
	recvAPI *webrtc.API
	id      string
	group   string
	self    room.Participant
	ctx     context.Context
	cancel  context.CancelFunc
	wg      sync.WaitGroup

	writeMu sync.Mutex

	mu    sync.Mutex
	up    *stream
	share *shareUp // our screen share (share.go)
	down  map[string]*stream
	users map[string]string // id -> username
	muted map[room.Kind]bool
	// others' mutes as their user data says, so a track that arrives
	// after the data (as it does for whoever joins late) starts muted.
	othersMuted map[string]map[room.Kind]bool
	status      userStatus
	left        bool
	stopOnce    sync.Once

	// Reconnection (reconnect.go): while the socket is down, chat waits
	// in pending, then in echoes until the server echoes it back;
	// seenChat keeps the history a rejoin replays from showing twice;
	// mediaDown is the up stream's ICE being lost.
	reconnecting bool
	mediaDown    bool
	pending      []heldChat
	echoes       []heldChat
	seenChat     map[string]bool
	absent       map[string]bool // users not yet seen again after a rejoin

	selection *room.Selection

	crypt *e2ee.Cryptor // end-to-end encryption; nil: none

	layers atomic.Pointer[media.Layers] // our camera's simulcast layers (up.go); nil: one layer
}

// stream is one PeerConnection: our up stream (we offer) or a down stream
// the server offered.
type stream struct {
	id     string
	pc     *webrtc.PeerConnection
	source string
	label  string            // "camera" or "screenshare"
	audio  *webrtc.RTPSender // an up stream's sound (red.go)
	red    bool              // it is sent as RED
	ended  sync.Once         // a received share's end is told once (share.go)
	ice    rtc.Candidates

	requested room.Quality // what was asked of a down stream; selection goroutine only
}

// Dial joins the group opts.Link leads to.
func (o Options) Dial(ctx context.Context, opts room.JoinOptions) (room.Session, error) {
	l := opts.Link
	if l.Kind != link.Galene || l.GroupURL == "" {
		return nil, room.Fail(room.ErrUnsupported, nil, "not a Galène link")
	}
	ctx, cancel := context.WithTimeout(ctx, 2*stepTimeout)
	defer cancel()
	crypt, err := newCryptor(l.Key)
	if err != nil {
		return nil, room.Fail(room.ErrMedia, err, "")
	}
	s := &session{opts: opts, o: o, events: room.NewEvents(), id: randomID(),
		down: map[string]*stream{}, users: map[string]string{}, muted: map[room.Kind]bool{}, othersMuted: map[string]map[room.Kind]bool{},
		seenChat: map[string]bool{}, status: userStatus{hands: map[string]bool{}, ops: map[string]bool{}},
		selection: room.NewSelection(), crypt: crypt}
	conn, status, err := s.connect(ctx)
	if err != nil {
		return nil, err
	}
	s.conn = conn
	s.ctx, s.cancel = context.WithCancel(context.Background())
	var bitrate func(int)
	var audioLoss func(float64)
	if opts.Local != nil {
		bitrate = opts.Local.SetVideoBitrate
		// The server's receiver reports on our sound set how much the
		// Opus encoder's in-band FEC expects to be lost.
		if l, ok := opts.Local.(interface{ SetAudioLoss(float64) }); ok {
			audioLoss = l.SetAudioLoss
		}
	}
	setting := o.Setting
	if setting == nil && loopbackHost(l.GroupURL) {
		// A meeting on this machine: its candidates are on 127.0.0.1.
		setting = rtc.Loopback()
	}
	s.api, err = rtc.NewAPI(rtc.Config{Setting: setting, OnBitrate: bitrate, OnAudioLoss: audioLoss})
	if err == nil {
		s.recvAPI, err = rtc.NewAPI(rtc.Config{Role: rtc.Receiver, Setting: setting})
	}
	if err != nil {
		conn.Close()
		return nil, room.Fail(room.ErrMedia, err, "")
	}
	s.events.Emit(room.StateEvent{State: room.Connecting})
	if err := s.join(ctx, status); err != nil {
		s.events.Drop()
		s.cancel()
		conn.Close()
		return nil, err
	}
	s.wg.Add(2)
	go func() { defer s.wg.Done(); s.readLoop() }()
	go func() { defer s.wg.Done(); s.selection.Run(s.ctx, s.applyVideo) }()
	if err := s.start(); err != nil {
		s.Leave()
		return nil, err
	}
	if opts.StartAudioMuted || opts.StartVideoMuted {
		s.muted[room.Audio], s.muted[room.Video] = opts.StartAudioMuted, opts.StartVideoMuted
		s.applyMute()
	}
	return s, nil
}

// connect fetches the group's status and opens its WebSocket.
func (s *session) connect(ctx context.Context) (*websocket.Conn, wire.Status, error) {
	l := s.opts.Link
	client := httpClient(l.Pin)
	status, err := fetchStatus(ctx, client, l.GroupURL)
	client.CloseIdleConnections()
	if err != nil {
		return nil, status, err
	}
	wsURL, err := endpoint(l.GroupURL, status.Endpoint)
	if err != nil {
		return nil, status, room.Fail(room.ErrProtocol, err, "bad endpoint")
	}
	dialer := websocket.Dialer{TLSClientConfig: client.Transport.(*http.Transport).TLSClientConfig, HandshakeTimeout: stepTimeout}
	conn, resp, err := dialer.DialContext(ctx, wsURL, nil)
	if err != nil {
		if resp != nil {
			return nil, status, room.Fail(room.ErrNotARoom, err, "HTTP %d", resp.StatusCode)
		}
		return nil, status, netFailure(err)
	}
	conn.SetReadLimit(maxMessage)
	return conn, status, nil
}

// start publishes our media and asks for everyone's, after a join.
func (s *session) start() error {
	if err := s.publish(); err != nil {
		return room.Fail(room.ErrMedia, err, "")
	}
	// Ask for everyone's media, unless nothing would receive it.
	request := json.RawMessage(`{"":["audio","video"]}`)
	if s.opts.Remote == nil {
		request = json.RawMessage(`{}`)
	}
	if err := s.write(wire.Message{Type: "request", Request: request}); err != nil {
		return room.Fail(room.ErrDisconnected, err, "")
	}
	return nil
}
