package livekit

import (
	"time"

	"github.com/livekit/protocol/livekit"
	lksdk "github.com/livekit/server-sdk-go/v2"
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
