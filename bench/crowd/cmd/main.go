// Command crowd fills a LiveKit room for measurements (bench/large.sh):
//
//	go run ./bench/crowd/cmd --url ws://127.0.0.1:7880 --room large --silent 268 --audio 20 --video 12 --for 5m
//
// It prints "ready" when everyone is in, and leaves after --for or on
// SIGINT/SIGTERM.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/go-logr/logr"
	protoLogger "github.com/livekit/protocol/logger"
	lksdk "github.com/livekit/server-sdk-go/v2"

	"kaigi/bench/crowd"
)

func main() {
	var c crowd.Config
	flag.StringVar(&c.URL, "url", "ws://127.0.0.1:7880", "LiveKit server")
	flag.StringVar(&c.Key, "key", "devkey", "API key")
	flag.StringVar(&c.Secret, "secret", "secret", "API secret")
	flag.StringVar(&c.Room, "room", "large", "room")
	flag.IntVar(&c.Silent, "silent", 268, "participants without media")
	flag.IntVar(&c.Audio, "audio", 20, "participants sending a tone")
	flag.IntVar(&c.Video, "video", 12, "participants sending video and a tone")
	flag.BoolVar(&c.Turns, "turns", false, "the audio participants speak two at a time, 3 s each")
	stay := flag.Duration("for", 5*time.Minute, "how long to stay (bounded)")
	churn := flag.Int("churn", 0, "after everyone is in, this many more a second join and leave again")
	churnAfter := flag.Duration("churn-after", 0, "wait this long before the churn")
	churnFor := flag.Duration("churn-for", 30*time.Second, "how long the churn lasts")
	churnStay := flag.Duration("churn-stay", 5*time.Second, "how long each of the churn stays")
	flag.DurationVar(&c.Join, "join", 5*time.Minute, "how long joining everyone may take")
	flag.Parse()
	// The SDK logs every participant's every step: 300 of them bury the
	// figures.
	lksdk.SetLogger(protoLogger.LogRLogger(logr.Discard()))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	start := time.Now()
	cr, err := crowd.Start(ctx, c)
	if err != nil {
		fmt.Fprintln(os.Stderr, "crowd:", err)
		os.Exit(1)
	}
	fmt.Printf("ready %d participants in %.1f s\n", c.Silent+c.Audio+c.Video, time.Since(start).Seconds())
	deadline := time.After(*stay)
	if *churn > 0 {
		select {
		case <-ctx.Done():
		case <-time.After(*churnAfter):
			fmt.Printf("churn %d a second for %s\n", *churn, *churnFor)
			joined, failed := crowd.Churn(ctx, c, *churn, *churnStay, *churnFor)
			fmt.Printf("churn done: %d joined and left, %d failed to join\n", joined, failed)
		}
	}
	select {
	case <-ctx.Done():
	case <-deadline:
	}
	cr.Stop()
}
