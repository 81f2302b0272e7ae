package main

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestWindowHandsBackDriverCode: the window under Xvfb (Mesa's software
// rasteriser, whose shader compiler is libLLVM) does not keep the
// compiler's code resident once its first screen is drawn. Kept, it was
// ~45 MB of the window's RSS for the whole run. The trim may come before
// much of it is resident (it looks every 100 ms): at most 8 to 35 MB was
// seen, sampling every 50 ms. So the test asks that most of what was seen
// (more than 2 MB) is handed back; kept, it stays.
func TestWindowHandsBackDriverCode(t *testing.T) {
	app, _ := startWindowApp(t)
	var peak, now int64
	for end := time.Now().Add(45 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		n, mapped := residentOf(t, app.Process.Pid, "libLLVM")
		if !mapped {
			continue // not yet loaded (or a GL driver without LLVM)
		}
		now, peak = n, max(peak, n)
		if peak > 2<<20 && now < peak/4 {
			t.Logf("libLLVM's code: %d MB resident at most, %d MB now", peak>>20, now>>20)
			return
		}
	}
	if peak == 0 {
		t.Skip("the window's GL driver does not use libLLVM")
	}
	t.Fatalf("libLLVM's code: %d MB resident at most, still %d MB after 45 s", peak>>20, now>>20)
}

// residentOf sums the resident pages of process pid's code mappings of
// files whose name contains lib, and says whether any is mapped.
func residentOf(t *testing.T, pid int, lib string) (int64, bool) {
	t.Helper()
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/smaps")
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	mapped, in := false, false
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) == 0:
		case !strings.HasSuffix(f[0], ":"):
			in = len(f) >= 6 && strings.Contains(f[5], lib) && strings.HasPrefix(f[1], "r-x")
			mapped = mapped || in
		case in && f[0] == "Rss:":
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			n += kb << 10
		}
	}
	return n, mapped
}
