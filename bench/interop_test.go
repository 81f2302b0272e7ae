// Package bench holds measurements of Kaigi against a browser, and the
// browser interop test: a Chromium participant (bench/web, on
// livekit-client) and a headless Kaigi meet in one LiveKit room.
package bench

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"kaigi/headless"
	"kaigi/internal/race"
	"kaigi/room/link"
	"kaigi/room/livekit"
	"kaigi/room/livekit/livekittest"
)

type browserStats struct {
	ConnectedMs  float64            `json:"connected_ms"`
	FirstFrameMs float64            `json:"first_frame_ms"`
	Frames       map[string]int     `json:"frames"`
	Audio        map[string]float64 `json:"audio"`
	Chat         []struct {
		From string `json:"from"`
		Text string `json:"text"`
	} `json:"chat"`
	Error      string `json:"error"`
	E2EE       bool   `json:"e2ee"`
	E2EEErrors int    `json:"e2ee_errors"`
}

// preparePage installs the page's npm packages (pinned in
// package-lock.json) and bundles it, when that was not done yet.
func preparePage(t *testing.T) string {
	t.Helper()
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (make test installs it)", tool)
		}
	}
	chromium := os.Getenv("CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	if _, err := os.Stat(chromium); err != nil {
		t.Skipf("Chromium is not installed at %s (make test installs it)", chromium)
	}
	dir, _ := filepath.Abs("web")
	run := func(name string, args ...string) {
		cmd := exec.Command(name, args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s %v: %v\n%s", name, args, err, out)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "livekit-client")); err != nil {
		run("npm", "ci", "--no-audit", "--no-fund")
	}
	// Bundle again when page.js changed since.
	src, _ := os.Stat(filepath.Join(dir, "page.js"))
	if dist, err := os.Stat(filepath.Join(dir, "dist", "page.js")); err != nil || src == nil || src.ModTime().After(dist.ModTime()) {
		run("npx", "esbuild", "page.js", "--bundle", "--format=esm", "--outfile=dist/page.js")
	}
	return dir
}

// TestBrowserInterop: Chromium (our livekit-client page) and a headless
// Kaigi in one room for 10 s: each decodes the other's video, hears the
// other's audio, and chat crosses both ways.
func TestBrowserInterop(t *testing.T) {
	browserAndKaigi(t, "", "")
}

// TestBrowserInteropE2EE: the same with end-to-end encryption, Chromium
// with livekit-client's E2EE (a passphrase, as in a LiveKit Meet link's
// fragment) and Kaigi with the same passphrase.
func TestBrowserInteropE2EE(t *testing.T) {
	browserAndKaigi(t, "correct horse battery staple", "correct horse battery staple")
}

// TestBrowserInteropWrongPassphrase: Kaigi with another passphrase than
// Chromium's shows none of its video and hears none of its sound, and
// says why; Chromium cannot decrypt Kaigi either.
func TestBrowserInteropWrongPassphrase(t *testing.T) {
	browserAndKaigi(t, "correct horse battery staple", "incorrect horse")
}

// browserAndKaigi puts Chromium (with browserPass, if any) and a headless
// Kaigi (with kaigiPass) in one room for 10 s and checks what each got.
func browserAndKaigi(t *testing.T, browserPass, kaigiPass string) {
	dir := preparePage(t)
	srv := livekittest.Start(t, livekittest.Options{})
	web := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer web.Close()

	q := url.Values{"url": {srv.URL}, "token": {livekittest.Token(t, "interop", "chromium", "Chromium", time.Hour)}}
	if browserPass != "" {
		q.Set("passphrase", browserPass)
	}
	page := web.URL + "/index.html?" + q.Encode()
	// Kaigi joins once the browser is in, however long Chromium took to
	// start on a busy machine.
	browser := startBrowser(t, dir, page, "11", "hello from Chromium")

	tok := livekittest.Token(t, "interop", "kaigi", "Kaigi", time.Hour)
	l := link.Link{Kind: link.LiveKit, ServerURL: srv.URL, Token: tok, URL: srv.URL, Passphrase: kaigiPass}
	res, err := headless.Run(context.Background(), headless.Options{Link: l, Name: "Kaigi", Duration: 14 * time.Second,
		// The browser is in (LiveKit keeps no chat history).
		ToneHz: 440, Chat: "こんにちは from Kaigi", ChatAfter: 6 * time.Second, Dial: livekit.Dial})
	if err != nil {
		t.Fatalf("Kaigi: %v", err)
	}
	st := <-browser
	t.Logf("Kaigi saw %+v, chat %+v", res.Peers, res.Chat)
	t.Logf("Chromium saw frames %v, audio %v, chat %+v, connected %.0f ms, first frame %.0f ms", st.Frames, st.Audio, st.Chat, st.ConnectedMs, st.FirstFrameMs)
	if st.Error != "" {
		t.Fatalf("Chromium: %s", st.Error)
	}
	var peer *headless.Peer
	for i := range res.Peers {
		if res.Peers[i].ID == "chromium" {
			peer = &res.Peers[i]
		}
	}
	if res.Encrypted != (kaigiPass != "") || st.E2EE != (browserPass != "") {
		t.Errorf("encrypted: Kaigi %v, Chromium %v", res.Encrypted, st.E2EE)
	}
	if browserPass != kaigiPass {
		wrongPassphrase(t, res, st, peer)
		return
	}
	if peer == nil || peer.VideoFrames < race.AtLeast(100) {
		t.Errorf("Kaigi decoded too little of Chromium's video: %+v", peer)
	}
	if peer == nil || peer.AudioLevel < 0.001 {
		t.Errorf("Kaigi did not hear Chromium: %+v", peer)
	}
	gotChat := false
	for _, c := range res.Chat {
		gotChat = gotChat || c.Text == "hello from Chromium"
	}
	if !gotChat {
		t.Errorf("Chromium's chat did not reach Kaigi: %+v", res.Chat)
	}
	if st.Frames["kaigi"] < race.AtLeast(100) {
		t.Errorf("Chromium showed %d of Kaigi's frames", st.Frames["kaigi"])
	}
	if st.Audio["kaigi"] < 0.01 {
		t.Errorf("Chromium did not hear Kaigi (level %.3f)", st.Audio["kaigi"])
	}
	gotChat = false
	for _, c := range st.Chat {
		gotChat = gotChat || (c.Text == "こんにちは from Kaigi" && c.From == "kaigi")
	}
	if !gotChat {
		t.Errorf("Kaigi's chat did not reach Chromium: %+v", st.Chat)
	}
}

// wrongPassphrase checks that neither side showed the other's media, and
// that both said so.
func wrongPassphrase(t *testing.T, res headless.Result, st browserStats, peer *headless.Peer) {
	t.Helper()
	if peer == nil {
		t.Fatal("Kaigi never saw Chromium")
	}
	if peer.VideoFrames > 0 || peer.AudioPackets > 0 {
		t.Errorf("Kaigi decoded %d pictures and %d sounds with the wrong passphrase", peer.VideoFrames, peer.AudioPackets)
	}
	if !slices.Contains(peer.Undecryptable, "video") || !slices.Contains(peer.Undecryptable, "audio") {
		t.Errorf("Kaigi did not report Chromium's media as undecryptable: %+v", peer)
	}
	if st.Frames["kaigi"] > 0 {
		t.Errorf("Chromium showed %d of Kaigi's frames with the wrong passphrase", st.Frames["kaigi"])
	}
	if st.E2EEErrors == 0 {
		t.Error("Chromium reported no decryption error")
	}
}

// startBrowser runs bench/web's run.mjs (Chromium on our livekit-client
// page) with args, waits until it says it is in the room (or fails the
// test), and gives its stats when it ends.
func startBrowser(t *testing.T, dir, page string, args ...string) <-chan browserStats {
	t.Helper()
	browser := make(chan browserStats, 1)
	inRoom := make(chan struct{})
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, "node", append([]string{"run.mjs", page}, args...)...)
		cmd.Dir = dir
		// run.mjs says "connected" on stderr once the browser is in.
		var stderr strings.Builder
		pr, pw := io.Pipe()
		cmd.Stderr = pw
		scanned := make(chan struct{})
		go func() {
			defer close(scanned)
			sc := bufio.NewScanner(pr)
			told := false
			for sc.Scan() {
				if sc.Text() == "connected" && !told {
					close(inRoom)
					told = true
					continue
				}
				stderr.WriteString(sc.Text() + "\n")
			}
		}()
		out, err := cmd.Output()
		pw.Close()
		<-scanned
		var st browserStats
		if err != nil {
			st.Error = err.Error() + ": " + stderr.String()
		} else if jerr := json.Unmarshal(out, &st); jerr != nil {
			st.Error = jerr.Error() + ": " + string(out)
		}
		browser <- st
	}()
	select {
	case <-inRoom:
	case st := <-browser:
		t.Fatalf("Chromium did not join: %+v", st)
	case <-time.After(45 * time.Second):
		t.Fatal("Chromium did not join in 45 s")
	}
	return browser
}
