package livekit

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/livekit/protocol/livekit"
	lksdk "github.com/livekit/server-sdk-go/v2"

	"kaigi/room"
)

// rawPacket lets us publish a protocol data packet as it is.
type rawPacket struct{ p *livekit.DataPacket }

func (r rawPacket) ToProto() *livekit.DataPacket { return r.p }

// sendTextStream sends text as a one-chunk text stream on topic: the
// stream header, the chunk, the trailer, as LiveKit's clients do. (The
// SDK's own SendText leaves a goroutine behind for every message.)
func sendTextStream(lp *lksdk.LocalParticipant, id, topic, text string, at time.Time) error {
	size := uint64(len(text))
	packets := []*livekit.DataPacket{
		{Value: &livekit.DataPacket_StreamHeader{StreamHeader: &livekit.DataStream_Header{
			StreamId: id, MimeType: "text/plain", Topic: topic, Timestamp: at.UnixMilli(), TotalLength: &size,
			ContentHeader: &livekit.DataStream_Header_TextHeader{TextHeader: &livekit.DataStream_TextHeader{
				OperationType: livekit.DataStream_CREATE,
			}},
		}}},
		{Value: &livekit.DataPacket_StreamChunk{StreamChunk: &livekit.DataStream_Chunk{StreamId: id, Content: []byte(text)}}},
		{Value: &livekit.DataPacket_StreamTrailer{StreamTrailer: &livekit.DataStream_Trailer{StreamId: id}}},
	}
	for _, p := range packets {
		if err := lp.PublishDataPacket(rawPacket{p}, lksdk.WithDataPublishReliable(true)); err != nil {
			return err
		}
	}
	return nil
}

// Chat topics of LiveKit's components: the legacy data topic and the
// text-stream topic; messages come on both with the same id.
const (
	chatTopic       = "lk-chat-topic"
	chatStreamTopic = "lk.chat"
)

// chatMessage is the JSON LiveKit's components put on lk-chat-topic.
type chatMessage struct {
	ID        string `json:"id"`
	Timestamp int64  `json:"timestamp"`
	Message   string `json:"message"`
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
	// both carry the same id, and receivers keep the first. While the
	// link is in trouble the outbox holds it (outbox.go).
	held, err := s.chatOut.send(id, text, func() error {
		if err := sendTextStream(lp, id, chatStreamTopic, text, now); err != nil {
			return err
		}
		return lp.PublishDataPacket(lksdk.UserData(data), lksdk.WithDataPublishTopic(chatTopic), lksdk.WithDataPublishReliable(true))
	})
	if err != nil {
		return room.Fail(room.ErrDisconnected, err, "chat not sent")
	}
	s.mu.Lock()
	s.seenChat[id] = true
	s.mu.Unlock()
	s.events.Emit(room.ChatMessage{ID: id, FromID: s.self.ID, FromName: s.self.Name, Text: text, Time: now, Sending: held})
	return nil
}
