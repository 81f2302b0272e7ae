package livekit

import (
	"fmt"

	lksdk "github.com/livekit/server-sdk-go/v2"

	"kaigi/room"
)

// Raised hands and reactions in LiveKit rooms: a raised hand is the
// participant attribute "raisehand" = "true" (Galène's name for it; an
// empty value removes the attribute), so that it is state that whoever
// joins later sees; a reaction is a data packet on topic kaigi.reaction
// whose payload is the emoji. Setting attributes needs the token's
// canUpdateOwnMetadata grant. The host's controls need the server's API
// key, which a participant does not have: LiveKit sessions do not offer
// them.

const (
	attrRaiseHand = "raisehand"
	reactionTopic = "kaigi.reaction"
)

func (s *session) RaiseHand(raised bool) error {
	lp := s.lk.LocalParticipant
	if p := lp.Permissions(); p == nil || !p.CanUpdateMetadata {
		return room.Fail(room.ErrUnsupported, nil, "this room does not let participants raise a hand")
	}
	v := ""
	if raised {
		v = "true"
	}
	lp.SetAttributes(map[string]string{attrRaiseHand: v})
	s.events.Emit(room.HandRaised{ParticipantID: s.self.ID, Raised: raised})
	return nil
}

func (s *session) React(emoji string) error {
	if !room.IsReaction(emoji) {
		return fmt.Errorf("not a reaction: %q", emoji)
	}
	err := s.lk.LocalParticipant.PublishDataPacket(lksdk.UserData([]byte(emoji)), lksdk.WithDataPublishTopic(reactionTopic),
		lksdk.WithDataPublishReliable(true))
	if err != nil {
		return room.Fail(room.ErrDisconnected, err, "")
	}
	s.events.Emit(room.Reaction{ParticipantID: s.self.ID, Emoji: emoji})
	return nil
}

// onAttributes passes on a remote participant's raised or lowered hand.
func (s *session) onAttributes(changed map[string]string, p lksdk.Participant) {
	if _, local := p.(*lksdk.LocalParticipant); local {
		return
	}
	if v, ok := changed[attrRaiseHand]; ok {
		s.events.Emit(room.HandRaised{ParticipantID: p.Identity(), Raised: v == "true"})
	}
}

// handOnJoin reports the hand of someone already in the room when we
// join, or who joins with it raised.
func (s *session) handOnJoin(rp *lksdk.RemoteParticipant) {
	if rp.Attributes()[attrRaiseHand] == "true" {
		s.events.Emit(room.HandRaised{ParticipantID: rp.Identity(), Raised: true})
	}
}

// onReaction passes on a reaction, if it is one we know.
func (s *session) onReaction(ud *lksdk.UserDataPacket, params lksdk.DataReceiveParams) {
	if e := string(ud.Payload); params.SenderIdentity != "" && room.IsReaction(e) {
		s.events.Emit(room.Reaction{ParticipantID: params.SenderIdentity, Emoji: e})
	}
}
