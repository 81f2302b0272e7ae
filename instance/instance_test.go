package instance

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// TestHandOverAnyOS runs on every OS (the Windows cross-build runs it under
// Wine): one listener per folder, links handed over, closed means gone.
func TestHandOverAnyOS(t *testing.T) {
	defer goleak.VerifyNone(t)
	dir := filepath.Join(tempDir(t), "kaigi")
	l, err := Listen(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Listen(dir); err != ErrRunning {
		t.Errorf("second Listen: %v", err)
	}
	for _, link := range []string{"kaigi://join?link=x", "a second link"} {
		if err := Send(dir, link); err != nil {
			t.Fatal(err)
		}
		select {
		case got := <-l.Links():
			if got != link {
				t.Errorf("got %q, want %q", got, link)
			}
		case <-time.After(2 * time.Second):
			t.Fatal("no link arrived")
		}
	}
	if err := Send(dir, strings.Repeat("x", maxLink)); err == nil {
		t.Error("an enormous link was sent")
	}
	l.Close()
	if err := Send(dir, "late"); err == nil {
		t.Error("sent to a closed instance")
	}
	// The folder can be claimed again after a Close.
	l2, err := Listen(dir)
	if err != nil {
		t.Fatalf("Listen after Close: %v", err)
	}
	l2.Close()
}

// tempDir is t.TempDir without failing on a removal error: under Wine 8,
// Go 1.26's RemoveAll cannot delete folders ("Invalid function").
func tempDir(t *testing.T) string {
	d, err := os.MkdirTemp("", "kaigi-instance-test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(d) })
	return d
}
