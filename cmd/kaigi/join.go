package main

import (
	"context"
	"errors"
	"fmt"
	"kaigi/internal/turns"
	"os"
	"os/signal"
	"syscall"
	"time"

	"kaigi/headless"
	"kaigi/room"
	"kaigi/room/link"
)

// processStart is when this process started, for connected_ms and
// first_frame_ms.
var processStart = time.Now()

// runJoin is `kaigi join LINK --headless ...`; without --headless it opens
// the app on the link.
func runJoin(args []string) int {
	a, err := headless.ParseArgs(args, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	if !a.Headless {
		gui := []string{a.LinkText}
		if a.FakeMedia {
			gui = []string{"--fake-media", a.LinkText}
		}
		return runGUI(gui)
	}
	l, err := link.Parse(a.LinkText)
	if err != nil {
		fmt.Fprintln(os.Stderr, "kaigi join:", err)
		return 2
	}
	dial, ok := dialers()[l.Kind]
	if !ok {
		fmt.Fprintf(os.Stderr, "kaigi join: Kaigi cannot join this kind of meeting (%s)\n", l.URL)
		return 2
	}
	o := a.Options
	o.Link, o.Dial, o.Start = l, dial, processStart
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if a.Count > 1 && l.Kind == link.LiveKit {
		fmt.Fprintln(os.Stderr, "kaigi join: --count needs a link several people can join with; a LiveKit token admits one identity")
		return 2
	}
	// One participant, or many from one process (load tests): "NAME 1"
	// to "NAME N", each with its own tone and stats file.
	failed := make(chan bool, a.Count)
	if a.Turns {
		o.Turns = turns.Schedule{N: a.Count, Start: processStart.Add(a.TurnsAfter)}
	}
	for i := range a.Count {
		p, prefix := o, "kaigi join:"
		p.Turn = i
		if a.Count > 1 {
			p.Name, p.ToneHz = fmt.Sprintf("%s %d", o.Name, i+1), o.ToneHz+30*float64(i)
			if o.StatsPath != "" {
				p.StatsPath = fmt.Sprintf("%s.%d", o.StatsPath, i+1)
			}
			prefix += " " + p.Name + ":"
		}
		go func() {
			_, err := headless.Run(ctx, p)
			bad := err != nil && !errors.Is(err, context.Canceled)
			if bad {
				fmt.Fprintln(os.Stderr, prefix, explain(err))
			}
			failed <- bad
		}()
	}
	code := 0
	for range a.Count {
		if <-failed {
			code = 1
		}
	}
	return code
}

// explain is the failure in one line for stderr.
func explain(err error) string {
	var re *room.Error
	if errors.As(err, &re) {
		return re.Error()
	}
	return err.Error()
}
