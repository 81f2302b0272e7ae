package main

import (
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"kaigi/headless"
	"kaigi/internal/race"
)

// TestHostRestartReconnects: the host of a meeting is killed outright (a
// crash, a power cut) and started again on the same port, as `kaigi host`
// is by a service manager. Both participants show Reconnecting, rejoin by
// themselves under the same identity, media flows again, and a chat line
// typed while the host was gone arrives once. Without reconnection (the
// first release) both calls ended as "Couldn't join".
func TestHostRestartReconnects(t *testing.T) {
	dir := t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	addr := "127.0.0.1:" + strconv.Itoa(port)
	startHost := func() (*exec.Cmd, string) {
		cmd := exec.Command(bin, "host", "--listen", addr, "--group", "crash", "--insecure", "--cert-dir", dir)
		out, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 4096)
		n, _ := out.Read(buf)
		return cmd, strings.TrimSpace(strings.SplitN(string(buf[:n]), "\n", 2)[0])
	}
	first, invite := startHost()
	t.Cleanup(func() { first.Process.Kill(); first.Wait() })

	type member struct{ name, chat string }
	members := []member{{"ann", ""}, {"ben", "typed while the host was gone"}}
	stats := make([]string, len(members))
	runs := make([]*exec.Cmd, len(members))
	for i, m := range members {
		stats[i] = filepath.Join(dir, m.name+".json")
		args := []string{"join", invite, "--headless", "--fake-media", "--name", m.name, "--duration", "16s", "--stats-json", stats[i]}
		if m.chat != "" {
			args = append(args, "--chat", m.chat, "--chat-after", "3500ms")
		}
		runs[i] = exec.Command(bin, args...)
		runs[i].Stderr = os.Stderr
		if err := runs[i].Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { runs[i].Process.Kill(); runs[i].Wait() })
	}
	if !waitForClients(invite, 2) {
		t.Fatal("the participants did not join")
	}
	time.Sleep(1500 * time.Millisecond)
	first.Process.Kill() // no goodbye: the host just vanishes
	first.Wait()
	time.Sleep(3 * time.Second)
	second, again := startHost()
	t.Cleanup(func() { second.Process.Kill(); second.Wait() })
	if again != invite {
		t.Fatalf("the restarted host gives another link: %q, was %q", again, invite)
	}
	for i, r := range runs {
		if err := r.Wait(); err != nil {
			t.Errorf("%s: %v", members[i].name, err)
		}
	}
	for i, m := range members {
		data, err := os.ReadFile(stats[i])
		if err != nil {
			t.Fatal(err)
		}
		var res headless.Result
		if err := json.Unmarshal(data, &res); err != nil {
			t.Fatal(err)
		}
		if res.State != "left" || res.Reconnects < 1 {
			t.Errorf("%s: state %q (%s), %d reconnections; want left after reconnecting", m.name, res.State, res.Error, res.Reconnects)
		}
		if len(res.Peers) != 1 {
			t.Errorf("%s sees %d others, want 1 (no one duplicated): %+v", m.name, len(res.Peers), res.Peers)
			continue
		}
		p := res.Peers[0]
		// At most ~3 s of video came before the crash; 6 s more proves it
		// came back.
		if p.VideoFrames < race.AtLeast(9*30*6/10) || p.AudioPackets < race.AtLeast(9*50*6/10) {
			t.Errorf("%s received %d frames, %d audio packets from %s: media did not come back", m.name, p.VideoFrames, p.AudioPackets, p.Name)
		}
		if m.chat != "" {
			// One's own line is not in the chat reported; it went out
			// once the server echoed it after the rejoin.
			if len(res.Unsent) != 0 {
				t.Errorf("%s: chat not sent: %q", m.name, res.Unsent)
			}
			continue
		}
		hellos := 0
		for _, c := range res.Chat {
			if c.Text == members[1].chat {
				hellos++
			}
		}
		if hellos != 1 {
			t.Errorf("%s got the chat typed during the outage %d times, want once: %+v", m.name, hellos, res.Chat)
		}
	}
}
