package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"kaigi/headless"
	"kaigi/media"
	"kaigi/room"
	"kaigi/room/link"
	"kaigi/room/livekit"
	"kaigi/room/livekit/livekittest"
	"kaigi/room/roomtest"
	"kaigi/rtc/netsim"
)

// The impaired-network benchmark (make bench): each publisher under test
// (a headless Kaigi, then Chromium on livekit-client) in turn behind the
// same impaired uplink (rtc/netsim), livekit-server on the machine's end
// of the link and the same receiver there (a Kaigi media.Remote in this
// process), KAIGI_BENCH_RUNS times a cell. It writes its table into
// docs/benchmarks.md. It is a Go test rather than a script because the
// namespace, the server, the receiver and the timeline it samples are Go
// test helpers already (netsim, livekittest, media.Remote,
// roomtest.Timeline), and the test's cleanups remove them when it ends,
// interrupted too (SIGINT, SIGTERM, SIGHUP end the runs first); what a
// killed run leaves, the next run's netsim.New removes.

// benchEnv runs the benchmark; go test ./... skips it.
const benchEnv = "KAIGI_BENCH_NETWORK"

// kaigiEnv carries the Kaigi publisher's orders into the namespace.
const kaigiEnv = "KAIGI_BENCH_PUBLISHER"

type kaigiOrders struct {
	URL, Token, Stats string
	Duration          time.Duration
}

func TestMain(m *testing.M) {
	var o kaigiOrders
	netsim.Main(m, kaigiEnv, &o, func() int { return publishKaigi(o) })
}

// publishKaigi is the Kaigi publisher inside the namespace: it sends
// 640x480@30 and a tone, receives nothing, and leaves (writing its stats)
// after Duration or on SIGTERM.
func publishKaigi(o kaigiOrders) int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	_, err := headless.Run(ctx, headless.Options{Link: lkLink(o.URL, o.Token), Name: "kaigi", Duration: o.Duration,
		SendOnly: true, StatsPath: o.Stats, Dial: livekit.Dial})
	if err != nil {
		fmt.Fprintln(os.Stderr, "publisher:", err)
		return 1
	}
	return 0
}

func lkLink(serverURL, token string) link.Link {
	return link.Link{Kind: link.LiveKit, ServerURL: serverURL, Token: token, URL: serverURL}
}

// cell is one impairment: the link is changed by impair (called every
// 50 ms with the time since the receiver's first picture) for d; video
// and audio are judged in [from, to], the publisher's sending rate in
// [rateFrom, rateTo], and with an outage, recovery after up.
type cell struct {
	name, title      string
	d, from, to      time.Duration
	rateFrom, rateTo time.Duration
	up               time.Duration
	fec              bool // the report says how much audio FEC rebuilt
	impair           func(l *netsim.Link, since time.Duration) error
}

// cells are issue 14's impairments, timed as room/livekit's network tests
// time them; each call gives fresh ones (their impair keeps state).
func cells() []cell {
	const down, up = 5 * time.Second, 10 * time.Second
	return []cell{
		{name: "narrow", title: "uplink capped at 400 kbit/s (tbf)", d: 27 * time.Second, from: 10 * time.Second, to: 25 * time.Second,
			rateFrom: 10 * time.Second, rateTo: 25 * time.Second,
			impair: netsim.At(0, func(l *netsim.Link) error { return l.SetRate(400) })},
		{name: "lossy", title: "10 % random UDP loss on the uplink", d: 22 * time.Second, from: 5 * time.Second, to: 20 * time.Second,
			rateFrom: 5 * time.Second, rateTo: 20 * time.Second, fec: true,
			impair: netsim.At(0, func(l *netsim.Link) error { return l.SetLoss(10) })},
		{name: "outage", title: "a 5 s outage, 5 s after the first picture", d: 20 * time.Second, from: up + 3*time.Second, to: 20 * time.Second,
			rateFrom: down + time.Second, rateTo: up, up: up,
			impair: func() func(*netsim.Link, time.Duration) error {
				cut := false
				return func(l *netsim.Link, since time.Duration) error {
					if on := since >= down && since < up; on != cut {
						cut = on
						return l.SetOutage(on)
					}
					return nil
				}
			}()},
	}
}

// publisher is one program under test: start puts it in the room behind
// the link; what it returns stops it and says what it sent at the end.
type publisher struct {
	name, id string
	start    func(ctx context.Context, t *testing.T, l *netsim.Link, serverURL, token string) (stop func() string, exited <-chan error, err error)
}

func kaigiPublisher() publisher {
	return publisher{name: "Kaigi", id: "kaigi", start: func(ctx context.Context, t *testing.T, l *netsim.Link, serverURL, token string) (func() string, <-chan error, error) {
		stats := filepath.Join(t.TempDir(), "kaigi.json")
		cmd, err := l.Child(ctx, kaigiEnv, kaigiOrders{URL: serverURL, Token: token, Stats: stats, Duration: 10 * time.Minute})
		if err != nil {
			return nil, nil, err
		}
		exited, err := startIn(cmd)
		if err != nil {
			return nil, nil, err
		}
		return func() string {
			terminate(cmd, exited)
			var res headless.Result
			data, err := os.ReadFile(stats)
			if err == nil {
				err = json.Unmarshal(data, &res)
			}
			if err != nil {
				return fmt.Sprintf("(no stats: %v)", err)
			}
			s := res.Sent
			return fmt.Sprintf("%dx%d@%d at %.0f kbit/s", s.VideoWidth, s.VideoHeight, s.VideoFPS, s.VideoTargetKbps)
		}, exited, nil
	}}
}

// sentLayer is one RTP stream of Chromium's camera (page.js sentVideo).
type sentLayer struct {
	Rid        string  `json:"rid"`
	Width      int     `json:"width"`
	Height     int     `json:"height"`
	FPS        float64 `json:"fps"`
	Limitation string  `json:"limitation"`
}

func chromiumPublisher(dir, pageURL string) publisher {
	return publisher{name: "Chromium", id: "chromium", start: func(ctx context.Context, t *testing.T, l *netsim.Link, serverURL, token string) (func() string, <-chan error, error) {
		// 640x480@30 as Kaigi sends, sound without DTX as Kaigi sends it.
		q := url.Values{"url": {serverURL}, "token": {token}, "capture": {"640x480@30"}, "dtx": {"0"}}
		cmd := l.Command(ctx, "node", "run.mjs", pageURL+"?"+q.Encode(), "600")
		cmd.Dir = dir
		// The browser's profile goes where the test's files go; its fake
		// camera runs at 30 fps, as Kaigi's pattern.
		cmd.Env = append(os.Environ(), "TMPDIR="+t.TempDir(), "CAMERA_FPS=30")
		var out, errs bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errs
		exited, err := startIn(cmd)
		if err != nil {
			return nil, nil, err
		}
		return func() string {
			terminate(cmd, exited)
			var st struct {
				SentVideo []sentLayer `json:"sent_video"`
				Error     string      `json:"error"`
			}
			if err := json.Unmarshal(out.Bytes(), &st); err != nil || st.Error != "" {
				return fmt.Sprintf("(no stats: %v %s %s)", err, st.Error, strings.TrimSpace(errs.String()))
			}
			var layers []string
			for _, s := range st.SentVideo {
				l := fmt.Sprintf("%dx%d@%.0f", s.Width, s.Height, s.FPS)
				if s.Width == 0 {
					l = "off"
				}
				if s.Limitation != "" && s.Limitation != "none" {
					l += " (" + s.Limitation + ")"
				}
				layers = append(layers, s.Rid+" "+l)
			}
			return strings.Join(layers, ", ")
		}, exited, nil
	}}
}

// startIn starts cmd in a process group of its own (terminate ends the
// whole group: Chromium's processes too); the channel gives its end.
func startIn(cmd *exec.Cmd) (<-chan error, error) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	// What it left running may hold its output open: Wait does not wait
	// for that.
	cmd.WaitDelay = 2 * time.Second
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	// Closed after the error: whoever reads again learns it ended.
	exited := make(chan error, 1)
	go func() {
		exited <- cmd.Wait()
		close(exited)
	}()
	return exited, nil
}

// terminate asks cmd to leave (SIGTERM: both publishers leave the room
// and write their stats), waits up to 15 s, and kills what is left of
// its process group.
func terminate(cmd *exec.Cmd, exited <-chan error) {
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-exited:
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	case <-time.After(15 * time.Second):
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-exited
	}
}

// result is one run of one publisher in one cell.
type result struct {
	fps           float64
	freeze        time.Duration
	audio         float64
	fec           float64 // share of the audio packets rebuilt from Opus in-band FEC
	kbps          float64
	video, sound  time.Duration // back after the outage (-1: never)
	width, height int           // the last picture received
	sent          string        // what the publisher sent at the end
}

// measure runs pub once in c and samples what the receiver gets.
func measure(ctx context.Context, t *testing.T, l *netsim.Link, srv *livekittest.Server, pub publisher, c cell, run int) (result, error) {
	roomName := fmt.Sprintf("%s-%s-%d", c.name, pub.id, run)
	if err := errors.Join(l.SetRate(0), l.SetLoss(0), l.SetOutage(false)); err != nil {
		return result{}, err
	}
	remote, err := media.NewRemote(media.RemoteConfig{})
	if err != nil {
		return result{}, err
	}
	defer remote.Close()
	recv, err := livekit.Dial(ctx, room.JoinOptions{Link: lkLink(srv.URL, livekittest.Token(t, roomName, "recv", "recv", time.Hour)),
		Name: "recv", Remote: remote})
	if err != nil {
		return result{}, fmt.Errorf("receiver: %w", err)
	}
	events := make(chan struct{})
	go func() {
		defer close(events)
		for range recv.Events() {
		}
	}()
	defer func() {
		recv.Leave()
		<-events
	}()

	stop, exited, err := pub.start(ctx, t, l, srv.URL, livekittest.Token(t, roomName, pub.id, pub.name, time.Hour))
	if err != nil {
		return result{}, fmt.Errorf("%s: %w", pub.name, err)
	}
	// A failed run says what the publisher said.
	fail := func(err error) (result, error) {
		return result{}, fmt.Errorf("%w; %s: %s", err, pub.name, stop())
	}

	var tl roomtest.Timeline
	var first time.Time
	var bytesFrom, bytesTo int64
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	begun := time.Now()
	for {
		var now time.Time
		select {
		case <-ctx.Done():
			return fail(ctx.Err())
		case err := <-exited:
			return fail(fmt.Errorf("it ended early: %v", err))
		case now = <-tick.C:
		}
		p, ok := statsOf(remote, pub.id)
		if !ok || p.VideoFrames == 0 {
			if now.Sub(begun) > time.Minute {
				return fail(errors.New("no picture in a minute"))
			}
			continue
		}
		if first.IsZero() {
			first = now
		}
		s := roomtest.SampleOf(p, now.Sub(first))
		tl = append(tl, s)
		if err := c.impair(l, s.At); err != nil {
			return fail(fmt.Errorf("impairing the link: %w", err))
		}
		if bytesFrom == 0 && s.At >= c.rateFrom {
			if bytesFrom, err = l.Sent(); err != nil {
				return fail(err)
			}
		}
		if bytesTo == 0 && s.At >= c.rateTo {
			if bytesTo, err = l.Sent(); err != nil {
				return fail(err)
			}
		}
		if s.At >= c.d {
			break
		}
	}
	r := result{sent: stop(), video: -1, sound: -1}
	r.fps, r.freeze, r.audio, _ = tl.Window(c.from, c.to)
	if a, b, _ := tl.Between(c.from, c.to); b.Span > a.Span {
		r.fec = float64(b.Recovered-a.Recovered) / float64(b.Span-a.Span)
	}
	r.kbps = float64(bytesTo-bytesFrom) * 8 / (c.rateTo - c.rateFrom).Seconds() / 1000
	if c.up > 0 {
		r.video, r.sound = tl.FirstAfter(c.up)
	}
	_, last, _ := tl.Between(c.from, c.to)
	r.width, r.height = last.Width, last.Height
	return r, nil
}

func statsOf(remote *media.Remote, id string) (media.PeerStats, bool) {
	for _, p := range remote.Stats() {
		if p.ParticipantID == id {
			return p, true
		}
	}
	return media.PeerStats{}, false
}

// TestNetworkBench is the benchmark; it runs when KAIGI_BENCH_NETWORK is
// set (make bench), KAIGI_BENCH_RUNS times a cell (3 by default).
func TestNetworkBench(t *testing.T) {
	if os.Getenv(benchEnv) == "" {
		t.Skipf("the impaired-network benchmark runs with %s=1 (make bench)", benchEnv)
	}
	runs := 3
	if n, err := strconv.Atoi(os.Getenv("KAIGI_BENCH_RUNS")); err == nil && n > 0 {
		runs = n
	}
	// An interrupt ends the runs; the test's cleanups then remove the
	// namespace (and what runs in it), the server and the files.
	ctx, stopSignals := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stopSignals()

	dir := preparePage(t)
	l := netsim.New(t, "bench")
	srv := livekittest.Start(t, livekittest.Options{Address: l.Host})
	// The page is served on the machine's end of the link, where the
	// browser in the namespace reaches it.
	ln, err := net.Listen("tcp", l.Host+":0")
	if err != nil {
		t.Fatal(err)
	}
	web := httptest.NewUnstartedServer(http.FileServer(http.Dir(dir)))
	web.Listener.Close()
	web.Listener = ln
	web.Start()
	defer web.Close()

	pubs := []publisher{kaigiPublisher(), chromiumPublisher(dir, web.URL+"/index.html")}
	// KAIGI_BENCH_CELLS and KAIGI_BENCH_PUBLISHERS (names, comma-separated)
	// run part of the benchmark, to look into one cell; such a run does not
	// write docs/benchmarks.md.
	only := func(env, name string) bool {
		v := os.Getenv(env)
		return v == "" || slices.Contains(strings.Split(v, ","), name)
	}
	partial := os.Getenv("KAIGI_BENCH_CELLS") != "" || os.Getenv("KAIGI_BENCH_PUBLISHERS") != ""
	pubs = slices.DeleteFunc(pubs, func(p publisher) bool { return !only("KAIGI_BENCH_PUBLISHERS", p.id) })
	loadBefore := loadAverage()
	began := time.Now()
	all := map[string]map[string][]result{}
	for i, c := range cells() {
		if !only("KAIGI_BENCH_CELLS", c.name) {
			continue
		}
		all[c.name] = map[string][]result{}
		// The publishers take turns, so that the machine's load falls on
		// both alike.
		for run := 1; run <= runs; run++ {
			for _, pub := range pubs {
				c := cells()[i]
				sentBefore, err := l.Sent()
				if err != nil {
					t.Fatal(err)
				}
				r, err := measure(ctx, t, l, srv, pub, c, run)
				if err != nil {
					t.Fatalf("%s, %s, run %d: %v", c.name, pub.name, run, err)
				}
				// Its media went through the link: the counter saw it.
				if sentAfter, err := l.Sent(); err != nil || sentAfter-sentBefore < 100_000 {
					t.Fatalf("%s, %s, run %d: only %d bytes left through the namespace's link (%v)", c.name, pub.name, run, sentAfter-sentBefore, err)
				}
				t.Logf("%s, %s, run %d: %.1f fps, longest freeze %s, %.1f %% of the audio (%.1f %% from FEC), %.0f kbit/s sent, back after %s / %s, received %dx%d, sent %s",
					c.name, pub.name, run, r.fps, r.freeze.Round(time.Millisecond), 100*r.audio, 100*r.fec, r.kbps, r.video, r.sound, r.width, r.height, r.sent)
				all[c.name][pub.name] = append(all[c.name][pub.name], r)
			}
		}
	}
	if partial {
		return
	}
	report := networkReport(all, pubs, runs, loadBefore, loadAverage(), time.Since(began))
	fmt.Print(report)
	if err := writeSection("../docs/benchmarks.md", "<!-- bench/network writes from here -->\n", "<!-- to here (network) -->\n", report); err != nil {
		t.Fatal(err)
	}
}

func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(data))
	return strings.Join(f[:3], " ")
}

// column is one figure of the report's tables.
type column struct {
	head   string
	value  func(r result) float64
	format string
}

// networkReport is the benchmark's section of docs/benchmarks.md.
func networkReport(all map[string]map[string][]result, pubs []publisher, runs int, loadBefore, loadAfter string, took time.Duration) string {
	var b strings.Builder
	fmt.Fprintf(&b, "## Kaigi next to Chromium behind the same uplink (bench/network_test.go, make bench)\n\n")
	fmt.Fprintf(&b, "%d runs a cell, the publishers taking turns; load average %s before and %s after (1, 5, 15 min); %.1f min in all.\n",
		runs, loadBefore, loadAfter, took.Minutes())
	fmt.Fprintf(&b, "Each figure is the median of the runs with their range after it.\n")
	secs := func(d time.Duration) float64 { return d.Seconds() }
	video := column{"frames/s received", func(r result) float64 { return r.fps }, "%.1f"}
	freeze := column{"longest freeze (s)", func(r result) float64 { return secs(r.freeze) }, "%.2f"}
	audio := column{"audio received (%)", func(r result) float64 { return 100 * r.audio }, "%.1f"}
	sent := column{"sent (kbit/s)", func(r result) float64 { return r.kbps }, "%.0f"}
	for _, c := range cells() {
		cols := []column{video, freeze, audio, sent}
		if c.fec {
			cols = []column{video, freeze, audio, {"of it rebuilt from FEC (%)", func(r result) float64 { return 100 * r.fec }, "%.1f"}, sent}
		}
		fmt.Fprintf(&b, "\n### %s\n\n", c.title)
		if c.up > 0 {
			cols = []column{{"pictures back (s)", func(r result) float64 { return secs(r.video) }, "%.2f"},
				{"sound back (s)", func(r result) float64 { return secs(r.sound) }, "%.2f"},
				video, freeze, audio, {"sent into the dead link (kbit/s)", func(r result) float64 { return r.kbps }, "%.0f"}}
			fmt.Fprintf(&b, "Back: the first picture and sound after the network returns. Frames, freeze and audio from %s to %s after the first picture; sent from %s to %s (the outage from its first second).\n\n",
				c.from, c.to, c.rateFrom, c.rateTo)
		} else {
			fmt.Fprintf(&b, "From %s to %s after the first picture (after adaptation).\n\n", c.from, c.to)
		}
		b.WriteString("| publisher |")
		for _, col := range cols {
			b.WriteString(" " + col.head + " |")
		}
		b.WriteString(" picture received | sending at the end (last run) |\n|---|")
		for range cols {
			b.WriteString("---|")
		}
		b.WriteString("---|---|\n")
		for _, pub := range pubs {
			rs := all[c.name][pub.name]
			if len(rs) == 0 {
				continue
			}
			fmt.Fprintf(&b, "| %s |", pub.name)
			for _, col := range cols {
				fmt.Fprintf(&b, " %s |", spread(rs, col))
			}
			var sizes []string
			for _, r := range rs {
				sizes = append(sizes, fmt.Sprintf("%dx%d", r.width, r.height))
			}
			fmt.Fprintf(&b, " %s | %s |\n", strings.Join(sizes, ", "), rs[len(rs)-1].sent)
		}
	}
	return b.String()
}

// spread is the median of the runs' values and their range.
func spread(rs []result, col column) string {
	vs := make([]float64, len(rs))
	for i, r := range rs {
		vs[i] = col.value(r)
	}
	slices.Sort(vs)
	f := func(v float64) string { return fmt.Sprintf(col.format, v) }
	if len(vs) == 1 {
		return f(vs[0])
	}
	return fmt.Sprintf("%s (%s–%s)", f(vs[len(vs)/2]), f(vs[0]), f(vs[len(vs)-1]))
}

// writeSection replaces what lies between start and end in the file at
// path with text (the other sections stay).
func writeSection(path, start, end, text string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	head, rest, ok := strings.Cut(string(data), start)
	if !ok {
		return fmt.Errorf("%s has no %q", path, strings.TrimSpace(start))
	}
	_, tail, ok := strings.Cut(rest, end)
	if !ok {
		return fmt.Errorf("%s has no %q", path, strings.TrimSpace(end))
	}
	return os.WriteFile(path, []byte(head+start+strings.TrimRight(text, "\n")+"\n"+end+tail), 0o644)
}
