package galene_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pion/rtp"
	"github.com/pion/rtp/codecs"
	"github.com/pion/webrtc/v4/pkg/media/samplebuilder"
	"gopkg.in/hraban/opus.v2"

	"kaigi/headless"
	"kaigi/internal/race"
	"kaigi/media/pattern"
	"kaigi/media/tone"
	"kaigi/media/vpx"
	"kaigi/room"
	"kaigi/room/e2ee"
	"kaigi/room/link"
)

// tap is a participant's TrackReceiver that keeps what the host forwards,
// as it arrives: it decrypts nothing.
type tap struct {
	mu   sync.Mutex
	pkts map[room.Kind][]*rtp.Packet
}

func (tp *tap) ReceiveTrack(ctx context.Context, _ string, track room.RemoteTrack, _ func()) {
	kind := room.Audio
	if strings.HasPrefix(strings.ToLower(track.Codec().MimeType), "video/") {
		kind = room.Video
	}
	go func() {
		<-ctx.Done()
		_ = track.SetReadDeadline(time.Now())
	}()
	for {
		p, _, err := track.ReadRTP()
		if err != nil {
			return
		}
		tp.mu.Lock()
		tp.pkts[kind] = append(tp.pkts[kind], p)
		tp.mu.Unlock()
	}
}

// vp8Pictures puts forwarded packets together into pictures.
func vp8Pictures(pkts []*rtp.Packet) [][]byte {
	sb := samplebuilder.New(256, &codecs.VP8Packet{}, 90000)
	var out [][]byte
	for _, p := range pkts {
		sb.Push(p)
		for s := sb.Pop(); s != nil; s = sb.Pop() {
			out = append(out, s.Data)
		}
	}
	return out
}

// keyframeStart says whether a VP8 RTP payload begins a keyframe.
func keyframeStart(payload []byte) bool {
	var vp8 codecs.VP8Packet
	frame, err := vp8.Unmarshal(payload)
	return err == nil && vp8.S == 1 && vp8.PID == 0 && len(frame) > 0 && frame[0]&0x01 == 0
}

// readable counts the pictures that decode with a readable test-pattern
// stamp, from the first keyframe on.
func readable(t *testing.T, pictures [][]byte) int {
	dec, err := vpx.NewDecoder(1)
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()
	n := 0
	var stamp []byte
	for _, f := range pictures {
		w, _, ok, err := dec.Decode(f, stamp)
		if err != nil || !ok {
			continue
		}
		if need := pattern.StampRows(w) * w; len(stamp) != need {
			stamp = make([]byte, need)
			continue
		}
		if _, err := pattern.Read(stamp, w); err == nil {
			n++
		}
	}
	return n
}

// dominant decodes Opus payloads and returns the strongest frequency.
func dominant(t *testing.T, payloads [][]byte) float64 {
	dec, err := opus.NewDecoder(tone.Rate, 1)
	if err != nil {
		t.Fatal(err)
	}
	var pcm []int16
	buf := make([]int16, 5760)
	for _, p := range payloads {
		if n, err := dec.Decode(p, buf); err == nil {
			pcm = append(pcm, buf[:n]...)
		}
	}
	hz, purity := tone.Dominant(pcm)
	if purity < 0.5 {
		return 0
	}
	return hz
}

// TestEncryptedMeeting: a meeting hosted with a key in its invite. Ann
// and Ben, who have the link, see and hear each other; what the host
// forwards, tapped by a participant without the key, decodes as neither
// VP8 pictures nor Ann's tone, but does once decrypted with the key (from
// the first picture on: the host starts a receiver on a keyframe); and
// Ann and Ben report the tap's media, sent in clear, as undecryptable.
func TestEncryptedMeeting(t *testing.T) {
	_, invite := startHost(t, "secret")
	key := e2ee.NewSecret()
	l, err := link.Parse(link.WithKey(invite, key))
	if err != nil || l.Key == "" || l.Pin == "" {
		t.Fatalf("invite: %+v %v", l, err)
	}
	plain, _ := link.Parse(invite)

	// The tap joins first and stays longest.
	tp := &tap{pkts: map[room.Kind][]*rtp.Packet{}}
	tapDone := make(chan error, 1)
	go func() {
		res, err := headless.Run(context.Background(), headless.Options{Link: plain, Name: "tap", Duration: 13 * time.Second,
			ToneHz: 880, Dial: dial(), Remote: tp})
		if err == nil && res.Encrypted {
			err = errors.New("the tap thinks it is encrypted")
		}
		tapDone <- err
	}()
	time.Sleep(time.Second)

	members := []struct {
		name string
		tone float64
	}{{"Ann", 440}, {"Ben", 660}}
	results := make([]headless.Result, len(members))
	var wg sync.WaitGroup
	for i, m := range members {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := headless.Run(context.Background(), headless.Options{Link: l, Name: m.name, ToneHz: m.tone,
				Duration: 10 * time.Second, Dial: dial()})
			if err != nil {
				t.Errorf("%s: %v", m.name, err)
			}
			results[i] = res
		}()
	}
	wg.Wait()
	if err := <-tapDone; err != nil {
		t.Fatalf("tap: %v", err)
	}

	for i, m := range members {
		r := results[i]
		if !r.Encrypted {
			t.Errorf("%s's session did not say it is encrypted", m.name)
		}
		o := members[1-i]
		var p, tapPeer *headless.Peer
		for k := range r.Peers {
			switch r.Peers[k].Name {
			case o.name:
				p = &r.Peers[k]
			case "tap":
				tapPeer = &r.Peers[k]
			}
		}
		// A third of 30 fps for 10 s: the point is that pictures decrypt,
		// on a machine that may be busy.
		if p == nil || p.VideoFrames < race.AtLeast(100) || (!race.Enabled && math.Abs(p.ToneHz-o.tone) > 3) || len(p.Undecryptable) > 0 {
			t.Errorf("%s got from %s: %+v", m.name, o.name, p)
		}
		if tapPeer == nil || tapPeer.VideoFrames > 0 || len(tapPeer.Undecryptable) != 2 {
			t.Errorf("%s, from the tap that sends in clear: %+v", m.name, tapPeer)
		}
	}

	tp.mu.Lock()
	video, audio := tp.pkts[room.Video], tp.pkts[room.Audio]
	tp.mu.Unlock()
	// Ann's and Ben's pictures arrive on separate streams: put each
	// together and decode each on its own.
	videoBySSRC := map[uint32][]*rtp.Packet{}
	for _, p := range video {
		videoBySSRC[p.SSRC] = append(videoBySSRC[p.SSRC], p)
	}
	c, err := e2ee.New(e2ee.Secret(key))
	if err != nil {
		t.Fatal(err)
	}
	var pictures, raw, clear int
	for ssrc, pkts := range videoBySSRC {
		ps := vp8Pictures(pkts)
		var clearPictures [][]byte
		for _, f := range ps {
			if p, err := c.Decrypt(nil, e2ee.VP8, f); err == nil {
				clearPictures = append(clearPictures, p)
			}
		}
		pictures += len(ps)
		raw += readable(t, ps)
		n := readable(t, clearPictures)
		clear += n
		// The tap asks for no keyframe: the host starts each receiver's
		// video on one (its first packet begins a keyframe, whose frame
		// tag end-to-end encryption leaves clear), so nearly every picture
		// decodes. The first packet, not the first whole picture: on a
		// busy machine a packet of that keyframe may be lost.
		if !keyframeStart(pkts[0].Payload) {
			t.Errorf("stream %d does not start on a keyframe", ssrc)
		}
		if n < len(ps)*9/10 {
			t.Errorf("stream %d: only %d of %d forwarded pictures decode with the key", ssrc, n, len(ps))
		}
	}
	if pictures < 100 || len(audio) < 300 {
		t.Fatalf("the tap got %d pictures and %d sounds", pictures, len(audio))
	}
	t.Logf("the tap got %d pictures on %d streams: %d readable as they are, %d once decrypted; %d sounds", pictures, len(videoBySSRC), raw, clear, len(audio))
	if raw > 0 {
		t.Errorf("%d of %d forwarded pictures decode as VP8 without the key", raw, pictures)
	}
	// Audio from Ann and Ben: one stream each; tell them apart by SSRC
	// and check each.
	bySSRC := map[uint32][][]byte{}
	for _, p := range audio {
		bySSRC[p.SSRC] = append(bySSRC[p.SSRC], p.Payload)
	}
	heard := map[int]bool{}
	for _, payloads := range bySSRC {
		var clear [][]byte
		for _, p := range payloads {
			if d, err := c.Decrypt(nil, e2ee.Opus, p); err == nil && len(d) > 0 {
				clear = append(clear, d)
			}
		}
		if hz := dominant(t, payloads); hz > 0 && (math.Abs(hz-440) < 5 || math.Abs(hz-660) < 5) {
			t.Errorf("a forwarded stream is heard as %.0f Hz without the key", hz)
		}
		t.Logf("a forwarded sound stream: %.0f Hz as it is, %.0f Hz decrypted", dominant(t, payloads), dominant(t, clear))
		heard[int(math.Round(dominant(t, clear)/10))*10] = true
	}
	if !heard[440] || !heard[660] {
		t.Errorf("decrypted, the forwarded sound is %v, want 440 and 660 Hz", heard)
	}
}
