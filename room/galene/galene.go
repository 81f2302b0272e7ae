package galene

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
	"github.com/pion/rtcp"
	"github.com/pion/webrtc/v4"

	"kaigi/media"
	"kaigi/room"
	"kaigi/room/e2ee"
	"kaigi/room/link"
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
	api    *webrtc.API
	id     string
	group  string
	self   room.Participant
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	writeMu sync.Mutex

	mu    sync.Mutex
	up    *stream
	down  map[string]*stream
	users map[string]string // id -> username
	muted map[room.Kind]bool
	// others' mutes as their user data says, so a track that arrives
	// after the data (as it does for whoever joins late) starts muted.
	othersMuted map[string]map[room.Kind]bool
	left        bool
	stopOnce    sync.Once

	selection *room.Selection

	crypt *e2ee.Cryptor // end-to-end encryption; nil: none
}

// stream is one PeerConnection: our up stream (we offer) or a down stream
// the server offered.
type stream struct {
	id     string
	pc     *webrtc.PeerConnection
	source string
	ice    Candidates

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
	client := httpClient(l.Pin)
	status, err := fetchStatus(ctx, client, l.GroupURL)
	client.CloseIdleConnections()
	if err != nil {
		return nil, err
	}
	wsURL, err := endpoint(l.GroupURL, status.Endpoint)
	if err != nil {
		return nil, room.Fail(room.ErrProtocol, err, "bad endpoint")
	}
	dialer := websocket.Dialer{TLSClientConfig: client.Transport.(*http.Transport).TLSClientConfig, HandshakeTimeout: stepTimeout}
	crypt, err := newCryptor(l.Key)
	if err != nil {
		return nil, room.Fail(room.ErrMedia, err, "")
	}
	conn, resp, err := dialer.DialContext(ctx, wsURL, nil)
	if err != nil {
		if resp != nil {
			return nil, room.Fail(room.ErrNotARoom, err, "HTTP %d", resp.StatusCode)
		}
		return nil, netFailure(err)
	}
	conn.SetReadLimit(maxMessage)
	s := &session{opts: opts, o: o, events: room.NewEvents(), conn: conn, id: randomID(),
		down: map[string]*stream{}, users: map[string]string{}, muted: map[room.Kind]bool{}, othersMuted: map[string]map[room.Kind]bool{}, selection: room.NewSelection(), crypt: crypt}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	var bitrate func(int)
	if opts.Local != nil {
		bitrate = opts.Local.SetVideoBitrate
	}
	setting := o.Setting
	if setting == nil && loopbackHost(l.GroupURL) {
		// A meeting on this machine: its candidates are on 127.0.0.1.
		setting = &webrtc.SettingEngine{}
		setting.SetIncludeLoopbackCandidate(true)
		setting.SetInterfaceFilter(func(name string) bool { return name == "lo" })
	}
	s.api, err = media.NewAPI(media.APIOptions{Setting: setting, OnBitrate: bitrate})
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
	if err := s.publish(); err != nil {
		s.Leave()
		return nil, room.Fail(room.ErrMedia, err, "")
	}
	// Ask for everyone's media, unless nothing would receive it.
	request := json.RawMessage(`{"":["audio","video"]}`)
	if opts.Remote == nil {
		request = json.RawMessage(`{}`)
	}
	if err := s.write(Message{Type: "request", Request: request}); err != nil {
		s.Leave()
		return nil, room.Fail(room.ErrDisconnected, err, "")
	}
	if opts.StartAudioMuted || opts.StartVideoMuted {
		s.muted[room.Audio], s.muted[room.Video] = opts.StartAudioMuted, opts.StartVideoMuted
		s.applyMute()
	}
	return s, nil
}

// httpClient verifies the server's certificate against pin when the link
// carries one (a Kaigi-hosted meeting: the fingerprint replaces a
// certificate authority), and the usual way otherwise.
func httpClient(pin string) *http.Client {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if pin != "" {
		cfg.InsecureSkipVerify = true // replaced by the pin check below
		cfg.VerifyPeerCertificate = func(raw [][]byte, _ [][]*x509.Certificate) error {
			if len(raw) == 0 {
				return errPin
			}
			sum := sha256.Sum256(raw[0])
			if hex.EncodeToString(sum[:]) != pin {
				return errPin
			}
			return nil
		}
	}
	return &http.Client{Timeout: stepTimeout, Transport: &http.Transport{TLSClientConfig: cfg, Proxy: http.ProxyFromEnvironment}}
}

var errPin = errors.New("the server's certificate is not the one in the invitation")

func netFailure(err error) error {
	var cert *tls.CertificateVerificationError
	var unk x509.UnknownAuthorityError
	var host x509.HostnameError
	switch {
	case errors.Is(err, errPin) || strings.Contains(err.Error(), errPin.Error()):
		return room.Fail(room.ErrCertificate, err, "")
	case errors.As(err, &cert), errors.As(err, &unk), errors.As(err, &host):
		return room.Fail(room.ErrCertificate, err, "")
	case errors.Is(err, context.DeadlineExceeded):
		return room.Fail(room.ErrTimeout, err, "")
	}
	return room.Fail(room.ErrUnreachable, err, "")
}

func fetchStatus(ctx context.Context, client *http.Client, groupURL string) (Status, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, groupURL+".status", nil)
	if err != nil {
		return Status{}, room.Fail(room.ErrUnreachable, err, "")
	}
	resp, err := client.Do(req)
	if err != nil {
		return Status{}, netFailure(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return Status{}, room.Fail(room.ErrDisconnected, err, "")
	}
	switch {
	case resp.StatusCode == http.StatusNotFound:
		return Status{}, room.Fail(room.ErrNoRoom, nil, "HTTP 404")
	case resp.StatusCode != http.StatusOK:
		return Status{}, room.Fail(room.ErrNotARoom, nil, "HTTP %d", resp.StatusCode)
	}
	var st Status
	if err := json.Unmarshal(body, &st); err != nil || st.Endpoint == "" {
		return Status{}, room.Fail(room.ErrNotARoom, err, "no group status")
	}
	return st, nil
}

// endpoint resolves the status's WebSocket endpoint against the group.
func endpoint(groupURL, ep string) (string, error) {
	base, err := url.Parse(groupURL)
	if err != nil {
		return "", err
	}
	u, err := base.Parse(ep)
	if err != nil {
		return "", err
	}
	switch u.Scheme {
	case "https":
		u.Scheme = "wss"
	case "http":
		u.Scheme = "ws"
	case "ws", "wss":
	default:
		return "", fmt.Errorf("endpoint scheme %q", u.Scheme)
	}
	return u.String(), nil
}

func loopbackHost(groupURL string) bool {
	u, err := url.Parse(groupURL)
	if err != nil {
		return false
	}
	ip := net.ParseIP(u.Hostname())
	return u.Hostname() == "localhost" || (ip != nil && ip.IsLoopback())
}

func randomID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func (s *session) write(m Message) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	_ = s.conn.SetWriteDeadline(time.Now().Add(writeTimeout))
	return s.conn.WriteJSON(m)
}

func (s *session) read(deadline time.Time) (Message, error) {
	_ = s.conn.SetReadDeadline(deadline)
	_, data, err := s.conn.ReadMessage()
	if err != nil {
		return Message{}, err
	}
	var m Message
	if err := json.Unmarshal(data, &m); err != nil {
		return Message{}, errMalformed
	}
	return m, nil
}

var errMalformed = errors.New("malformed message")

// join does the handshake and the join, and waits for the verdict.
func (s *session) join(ctx context.Context, st Status) error {
	name := s.opts.Name
	if err := s.write(Message{Type: "handshake", Version: []string{"2"}, ID: s.id}); err != nil {
		return room.Fail(room.ErrDisconnected, err, "")
	}
	s.group = st.Name
	j := Message{Type: "join", Kind: "join", Group: st.Name, Username: &name}
	if s.opts.Link.Token != "" {
		j.Token = s.opts.Link.Token
	} else {
		j.Password = s.opts.Password
	}
	if err := s.write(j); err != nil {
		return room.Fail(room.ErrDisconnected, err, "")
	}
	deadline := time.Now().Add(stepTimeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	for {
		m, err := s.read(deadline)
		if errors.Is(err, errMalformed) {
			continue
		}
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				return room.Fail(room.ErrTimeout, err, "no answer to join")
			}
			return room.Fail(room.ErrDisconnected, err, "")
		}
		switch m.Type {
		case "ping":
			_ = s.write(Message{Type: "pong"})
		case "usermessage":
			if m.Kind == "error" {
				return room.Fail(room.ErrProtocol, nil, "%s", text(m.Value))
			}
		case "joined":
			switch m.Kind {
			case "join":
				uname := name
				if m.Username != nil && *m.Username != "" {
					uname = *m.Username
				}
				s.self = room.Participant{ID: s.id, Name: uname, Local: true}
				if s.crypt != nil {
					s.events.Emit(room.Encryption{Media: true})
				}
				s.events.Emit(room.StateEvent{State: room.Connected})
				return nil
			case "fail":
				return joinFailure(m, s.opts.Link.Token == "" && s.opts.Password == "")
			}
		}
	}
}

func joinFailure(m Message, noCredentials bool) error {
	detail := text(m.Value)
	switch {
	case m.Error == "not-authorised" || m.Error == "not-authorized" || strings.Contains(detail, "not authorised"):
		if noCredentials {
			return room.Fail(room.ErrPasswordNeeded, nil, "%s", detail)
		}
		if strings.Contains(detail, "no such group") {
			return room.Fail(room.ErrNoRoom, nil, "%s", detail)
		}
		return room.Fail(room.ErrUnauthorized, nil, "%s", detail)
	case strings.Contains(detail, "too many users"), strings.Contains(detail, "full"):
		return room.Fail(room.ErrRoomFull, nil, "%s", detail)
	case strings.Contains(detail, "group") && strings.Contains(detail, "not"):
		return room.Fail(room.ErrNoRoom, nil, "%s", detail)
	}
	return room.Fail(room.ErrUnauthorized, nil, "%s", detail)
}

// text is a message value as text (a JSON string, or the raw JSON).
func text(v json.RawMessage) string {
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s
	}
	return strings.TrimSpace(string(v))
}

// publish offers our camera and microphone as one up stream.
func (s *session) publish() error {
	l := s.opts.Local
	if l == nil || (l.AudioTrack() == nil && l.VideoTrack() == nil) {
		return nil
	}
	pc, err := s.api.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		return err
	}
	st := &stream{id: randomID(), pc: pc}
	for _, t := range []webrtc.TrackLocal{l.AudioTrack(), l.VideoTrack()} {
		if t == nil {
			continue
		}
		t, err := s.encrypted(t)
		if err != nil {
			pc.Close()
			return err
		}
		tr, err := pc.AddTransceiverFromTrack(t, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionSendonly})
		if err != nil {
			pc.Close()
			return err
		}
		sender := tr.Sender()
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			media.ReadKeyframeRequests(sender, l.RequestKeyframe)
		}()
	}
	s.watch(st)
	s.mu.Lock()
	s.up = st
	s.mu.Unlock()
	return s.offer(st, false)
}

func (s *session) offer(st *stream, restart bool) error {
	offer, err := st.pc.CreateOffer(&webrtc.OfferOptions{ICERestart: restart})
	if err != nil {
		return err
	}
	if err := st.pc.SetLocalDescription(offer); err != nil {
		return err
	}
	name := s.self.Name
	return s.write(Message{Type: "offer", ID: st.id, Label: "camera", Source: s.id, Username: &name, SDP: st.pc.LocalDescription().SDP})
}

// watch trickles a stream's candidates to the server.
func (s *session) watch(st *stream) {
	st.pc.OnICECandidate(func(c *webrtc.ICECandidate) {
		if c == nil {
			return
		}
		data, err := json.Marshal(c.ToJSON())
		if err == nil {
			_ = s.write(Message{Type: "ice", ID: st.id, Candidate: data})
		}
	})
}

func (s *session) readLoop() {
	go func() {
		<-s.ctx.Done()
		_ = s.conn.SetReadDeadline(time.Now())
	}()
	for {
		m, err := s.read(time.Now().Add(idleTimeout))
		if errors.Is(err, errMalformed) {
			continue
		}
		if err != nil {
			s.lost(err)
			return
		}
		s.handle(m)
	}
}

// lost ends the session when the connection fails under us.
func (s *session) lost(err error) {
	s.mu.Lock()
	left := s.left
	s.left = true
	s.mu.Unlock()
	if left {
		return
	}
	s.events.Emit(room.StateEvent{State: room.Failed, Err: room.Fail(room.ErrDisconnected, err, "")})
	go s.shutdown()
}

func (s *session) handle(m Message) {
	switch m.Type {
	case "ping":
		_ = s.write(Message{Type: "pong"})
	case "user":
		s.handleUser(m)
	case "chat", "chathistory":
		if m.Kind == "caption" {
			return
		}
		who := ""
		if m.Username != nil {
			who = *m.Username
		}
		at, err := time.Parse(time.RFC3339Nano, m.Time)
		if err != nil {
			at = time.Now()
		}
		body := text(m.Value)
		if body == "" {
			return
		}
		s.events.Emit(room.ChatMessage{FromID: m.Source, FromName: who, Text: body, Time: at, History: m.Type == "chathistory"})
	case "usermessage":
		switch m.Kind {
		case "error", "warning", "info":
			s.events.Emit(room.Notice{Level: m.Kind, Text: text(m.Value)})
		case "kicked":
			s.mu.Lock()
			left := s.left
			s.left = true
			s.mu.Unlock()
			if !left {
				reason := room.ErrKicked
				if strings.Contains(text(m.Value), "ended") || strings.Contains(text(m.Value), "stopped") {
					reason = room.ErrEnded
				}
				s.events.Emit(room.StateEvent{State: room.Failed, Err: room.Fail(reason, nil, "%s", text(m.Value))})
				go s.shutdown()
			}
		}
	case "offer":
		s.handleOffer(m)
	case "answer":
		s.mu.Lock()
		up := s.up
		s.mu.Unlock()
		if up != nil && up.id == m.ID {
			if err := up.pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: m.SDP}); err == nil {
				up.flush()
			}
		}
	case "ice":
		var c webrtc.ICECandidateInit
		if json.Unmarshal(m.Candidate, &c) != nil || c.Candidate == "" {
			return
		}
		if st := s.stream(m.ID); st != nil {
			st.add(c)
		}
	case "renegotiate":
		s.mu.Lock()
		up := s.up
		s.mu.Unlock()
		if up != nil && up.id == m.ID {
			_ = s.offer(up, true)
		}
	case "close":
		s.closeDown(m.ID)
	case "abort":
		s.mu.Lock()
		up := s.up
		if up != nil && up.id == m.ID {
			s.up = nil
		}
		s.mu.Unlock()
		if up != nil && up.id == m.ID {
			_ = s.write(Message{Type: "close", ID: m.ID})
			_ = up.pc.Close()
		}
	case "joined":
		if m.Kind == "leave" || m.Kind == "fail" {
			s.lost(errors.New(text(m.Value)))
		}
	}
}

func (s *session) stream(id string) *stream {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.up != nil && s.up.id == id {
		return s.up
	}
	return s.down[id]
}

func (st *stream) add(c webrtc.ICECandidateInit) { st.ice.Add(st.pc, c) }

func (st *stream) flush() { st.ice.Flush(st.pc) }

func (s *session) handleUser(m Message) {
	if m.ID == "" || m.ID == s.id {
		return
	}
	name := ""
	if m.Username != nil {
		name = *m.Username
	}
	switch m.Kind {
	case "add":
		s.mu.Lock()
		_, known := s.users[m.ID]
		s.users[m.ID] = name
		s.mu.Unlock()
		if !known {
			s.events.Emit(room.ParticipantJoined{Participant: room.Participant{ID: m.ID, Name: name}})
		}
		s.emitMutes(m)
	case "change":
		s.mu.Lock()
		old, known := s.users[m.ID]
		s.users[m.ID] = name
		s.mu.Unlock()
		if !known {
			s.events.Emit(room.ParticipantJoined{Participant: room.Participant{ID: m.ID, Name: name}})
		} else if old != name && name != "" {
			s.events.Emit(room.ParticipantRenamed{ID: m.ID, Name: name})
		}
		s.emitMutes(m)
	case "delete":
		s.mu.Lock()
		_, known := s.users[m.ID]
		delete(s.users, m.ID)
		delete(s.othersMuted, m.ID)
		s.mu.Unlock()
		if known {
			s.events.Emit(room.ParticipantLeft{ID: m.ID})
		}
	}
}

// Mute state travels in user data, as Galène clients share their status.
const (
	dataAudioMuted = "kaigi.audioMuted"
	dataVideoMuted = "kaigi.videoMuted"
)

func (s *session) emitMutes(m Message) {
	for key, kind := range map[string]room.Kind{dataAudioMuted: room.Audio, dataVideoMuted: room.Video} {
		if v, ok := m.Data[key].(bool); ok {
			s.mu.Lock()
			if s.othersMuted[m.ID] == nil {
				s.othersMuted[m.ID] = map[room.Kind]bool{}
			}
			s.othersMuted[m.ID][kind] = v
			s.mu.Unlock()
			s.events.Emit(room.TrackMuted{ParticipantID: m.ID, Kind: kind, Muted: v})
		}
	}
}

// handleOffer answers a down stream the server offers.
func (s *session) handleOffer(m Message) {
	if m.ID == "" {
		return
	}
	s.mu.Lock()
	st := s.down[m.ID]
	isUp := s.up != nil && s.up.id == m.ID
	s.mu.Unlock()
	if isUp {
		return
	}
	if st == nil {
		pc, err := s.api.NewPeerConnection(webrtc.Configuration{})
		if err != nil {
			_ = s.write(Message{Type: "abort", ID: m.ID})
			return
		}
		st = &stream{id: m.ID, pc: pc, source: m.Source, requested: room.QualityHigh}
		s.watch(st)
		source := m.Source
		pc.OnTrack(func(track *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
			kind := room.Audio
			if track.Kind() == webrtc.RTPCodecTypeVideo {
				kind = room.Video
			}
			s.mu.Lock()
			muted := s.othersMuted[source][kind]
			s.mu.Unlock()
			s.events.Emit(room.TrackAdded{ParticipantID: source, TrackID: m.ID + "/" + track.ID(), Kind: kind, Muted: muted})
			if s.opts.Remote == nil {
				return
			}
			rt := s.decrypted(track, source, kind)
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				if rt == nil {
					drain(s.ctx, track)
					return
				}
				s.opts.Remote.ReceiveTrack(s.ctx, source, rt, func() {
					_ = pc.WriteRTCP([]rtcp.Packet{&rtcp.PictureLossIndication{MediaSSRC: uint32(track.SSRC())}})
				})
				s.events.Emit(room.TrackRemoved{ParticipantID: source, TrackID: m.ID + "/" + track.ID(), Kind: kind})
			}()
		})
		s.mu.Lock()
		s.down[m.ID] = st
		s.mu.Unlock()
	}
	if err := st.pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: m.SDP}); err != nil {
		s.events.Emit(room.Notice{Level: "warning", Text: err.Error()})
		_ = s.write(Message{Type: "abort", ID: m.ID})
		return
	}
	answer, err := st.pc.CreateAnswer(nil)
	if err == nil {
		err = st.pc.SetLocalDescription(answer)
	}
	if err != nil {
		_ = s.write(Message{Type: "abort", ID: m.ID})
		return
	}
	st.flush()
	_ = s.write(Message{Type: "answer", ID: m.ID, SDP: st.pc.LocalDescription().SDP})
	s.selection.Wake() // ask for the new stream as its sender is shown
}

func (s *session) closeDown(id string) {
	s.mu.Lock()
	st := s.down[id]
	delete(s.down, id)
	s.mu.Unlock()
	if st != nil {
		_ = st.pc.Close()
	}
}

func (s *session) Events() <-chan room.Event { return s.events.C() }

func (s *session) Self() room.Participant { return s.self }

func (s *session) SetMuted(kind room.Kind, muted bool) error {
	if s.opts.Local == nil {
		return fmt.Errorf("no %s to mute", kind)
	}
	s.mu.Lock()
	s.muted[kind] = muted
	s.mu.Unlock()
	return s.applyMute()
}

// applyMute silences our media and tells the others through our user data.
func (s *session) applyMute() error {
	s.mu.Lock()
	a, v := s.muted[room.Audio], s.muted[room.Video]
	s.mu.Unlock()
	if l := s.opts.Local; l != nil {
		l.SetAudioMuted(a)
		l.SetVideoMuted(v)
	}
	data, _ := json.Marshal(map[string]bool{dataAudioMuted: a, dataVideoMuted: v})
	return s.write(Message{Type: "useraction", Kind: "setdata", Dest: s.id, Value: data})
}

func (s *session) SendChat(t string) error {
	t = strings.TrimSpace(t)
	if t == "" {
		return nil
	}
	name := s.self.Name
	v, _ := json.Marshal(t)
	if err := s.write(Message{Type: "chat", Source: s.id, Username: &name, Value: v}); err != nil {
		return room.Fail(room.ErrDisconnected, err, "chat not sent")
	}
	return nil
}

func (s *session) Leave() error {
	s.mu.Lock()
	left := s.left
	s.left = true
	s.mu.Unlock()
	if !left {
		name := s.self.Name
		_ = s.write(Message{Type: "join", Kind: "leave", Group: s.group, Username: &name})
		s.events.Emit(room.StateEvent{State: room.Left})
	}
	s.shutdown()
	return nil
}

// shutdown closes every PeerConnection and the socket, waits for every
// goroutine and closes the event stream, once.
func (s *session) shutdown() {
	s.stopOnce.Do(func() {
		s.cancel()
		s.mu.Lock()
		up, down := s.up, s.down
		s.up, s.down = nil, map[string]*stream{}
		s.mu.Unlock()
		if up != nil {
			_ = up.pc.Close()
		}
		for _, st := range down {
			_ = st.pc.Close()
		}
		s.writeMu.Lock()
		_ = s.conn.Close()
		s.writeMu.Unlock()
		s.wg.Wait()
		s.events.Close()
	})
}

// drain reads a track we cannot decode until it ends or ctx is done, so
// that its packets do not pile up.
func drain(ctx context.Context, track *webrtc.TrackRemote) {
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
