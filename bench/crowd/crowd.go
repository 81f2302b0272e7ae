// Package crowd fills a LiveKit room with many participants from one
// process, as a large meeting looks to whoever joins it: most present
// without media, some sending a tone, a few sending video (a pre-encoded
// loop, so they cost little). Tests and make bench start it; it is bounded
// in time and leaves the room when stopped.
package crowd

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/livekit/protocol/auth"
	lksdk "github.com/livekit/server-sdk-go/v2"

	"kaigi/internal/turns"
	"kaigi/media"
	"kaigi/media/tone"
	"kaigi/room"
	"kaigi/room/link"
	"kaigi/room/livekit"
)

// Config says who to bring into which room.
type Config struct {
	URL         string // ws://host:port of the LiveKit server
	Key, Secret string // API key and secret that mint the tokens
	Room        string
	Silent      int // present without media
	Audio       int // sending a tone (one or two of them at a time)
	Video       int // sending 640x480 video from a pre-encoded loop, and a tone
	// Turns: the Audio participants speak two at a time, 3 s each, as
	// people do in a meeting (otherwise all at once).
	Turns bool
	// Join bounds how long joining everyone may take (0: 2 minutes).
	Join time.Duration
}

// Crowd is the participants in the room.
type Crowd struct {
	mu       sync.Mutex
	silent   []*lksdk.Room
	sessions []room.Session
	media    []*media.Local
}

// Names are the crowd's names: Japanese, Chinese and Latin ones, as in
// our users' meetings.
var names = []string{"佐藤", "林美玲", "Ken", "鈴木ゆき", "陳志明", "Anna", "高橋", "王小明", "Tom", "山本"}

// Name is the display name of participant i.
func Name(i int) string { return fmt.Sprintf("%s %d", names[i%len(names)], i) }

// Start brings everyone in; on error, whoever joined leaves again.
func Start(ctx context.Context, c Config) (*Crowd, error) {
	if c.Join == 0 {
		c.Join = 2 * time.Minute
	}
	ctx, cancel := context.WithTimeout(ctx, c.Join)
	defer cancel()
	cr := &Crowd{}
	total := c.Silent + c.Audio + c.Video
	// A few joins at a time: the server and this process take a crowd at
	// a steady pace, as people arrive.
	sem := make(chan struct{}, 8)
	errs := make(chan error, total)
	var wg sync.WaitGroup
	for i := 0; i < total; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				errs <- ctx.Err()
				return
			}
			defer func() { <-sem }()
			var err error
			switch {
			case i < c.Video:
				err = cr.publisher(ctx, c, i, true)
			case i < c.Video+c.Audio:
				err = cr.publisher(ctx, c, i, false)
			default:
				err = cr.present(c, i)
			}
			if err != nil {
				errs <- fmt.Errorf("%s: %w", Name(i), err)
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	var all []error
	for err := range errs {
		all = append(all, err)
	}
	if len(all) > 0 {
		cr.Stop()
		return nil, errors.Join(all...)
	}
	return cr, nil
}

func (c Config) token(i int) (string, error) {
	at := auth.NewAccessToken(c.Key, c.Secret)
	at.SetVideoGrant(&auth.VideoGrant{RoomJoin: true, Room: c.Room}).
		SetIdentity(fmt.Sprintf("crowd-%d", i)).SetName(Name(i)).SetValidFor(time.Hour)
	return at.ToJWT()
}

// present joins without media and subscribes to nothing: a listener whose
// screen shows no one (the cheapest participant there is).
func (cr *Crowd) present(c Config, i int) error {
	tok, err := c.token(i)
	if err != nil {
		return err
	}
	r, err := lksdk.ConnectToRoomWithToken(c.URL, tok, lksdk.NewRoomCallback(), lksdk.WithAutoSubscribe(false))
	if err != nil {
		return err
	}
	cr.mu.Lock()
	cr.silent = append(cr.silent, r)
	cr.mu.Unlock()
	return nil
}

// publisher joins through Kaigi's own LiveKit dialect, sending a tone and,
// with video, a pre-encoded loop; it receives nothing.
func (cr *Crowd) publisher(ctx context.Context, c Config, i int, video bool) error {
	tok, err := c.token(i)
	if err != nil {
		return err
	}
	hz := 300 + 20*float64(i%30)
	var l *media.Local
	if video {
		l, err = media.NewReplayLocal(640, 480, 30, hz)
	} else {
		var src media.AudioSource = tone.NewSource(hz)
		if c.Turns {
			src = &turns.Source{AudioSource: src, Schedule: turns.Schedule{N: c.Audio, Start: time.Now()}, I: i - c.Video}
		}
		l, err = media.NewLocal(media.LocalConfig{Audio: src})
	}
	if err != nil {
		return err
	}
	s, err := livekit.Dial(ctx, room.JoinOptions{Link: link.Link{Kind: link.LiveKit, ServerURL: c.URL, Token: tok}, Name: Name(i), Local: l})
	if err != nil {
		l.Close()
		return err
	}
	cr.mu.Lock()
	cr.sessions = append(cr.sessions, s)
	cr.media = append(cr.media, l)
	cr.mu.Unlock()
	return nil
}

// Churn makes rate people a second join and, after stay, leave again,
// for d (people arriving and leaving a large meeting); it returns when
// the last has left. Joins that fail are counted, not fatal.
func Churn(ctx context.Context, c Config, rate int, stay, d time.Duration) (joined, failed int) {
	var mu sync.Mutex
	var wg sync.WaitGroup
	tick := time.NewTicker(time.Second / time.Duration(rate))
	defer tick.Stop()
	end := time.After(d)
	for i := 0; ; i++ {
		select {
		case <-ctx.Done():
		case <-end:
		case <-tick.C:
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				tok, err := c.token(100000 + i)
				var r *lksdk.Room
				if err == nil {
					r, err = lksdk.ConnectToRoomWithToken(c.URL, tok, lksdk.NewRoomCallback(), lksdk.WithAutoSubscribe(false))
				}
				mu.Lock()
				if err != nil {
					failed++
				} else {
					joined++
				}
				mu.Unlock()
				if err != nil {
					return
				}
				select {
				case <-ctx.Done():
				case <-time.After(stay):
				}
				r.Disconnect()
			}(i)
			continue
		}
		break
	}
	wg.Wait()
	return joined, failed
}

// Stop makes everyone leave.
func (cr *Crowd) Stop() {
	cr.mu.Lock()
	defer cr.mu.Unlock()
	var wg sync.WaitGroup
	for _, r := range cr.silent {
		wg.Add(1)
		go func() { defer wg.Done(); r.Disconnect() }()
	}
	for _, s := range cr.sessions {
		wg.Add(1)
		go func() { defer wg.Done(); s.Leave() }()
	}
	wg.Wait()
	for _, l := range cr.media {
		l.Close()
	}
	cr.silent, cr.sessions, cr.media = nil, nil, nil
}
