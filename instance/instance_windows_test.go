package instance

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A program that reaches the port without the secret hands nothing over.
func TestWrongSecret(t *testing.T) {
	dir := filepath.Join(tempDir(t), "kaigi")
	l, err := Listen(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	b, err := os.ReadFile(addrPath(dir))
	if err != nil {
		t.Fatal(err)
	}
	addr, _, _ := strings.Cut(strings.TrimSpace(string(b)), " ")
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	c.Write([]byte("guess kaigi://join?link=evil\n"))
	c.Close()
	select {
	case got := <-l.Links():
		t.Fatalf("a link without the secret arrived: %q", got)
	case <-time.After(300 * time.Millisecond):
	}
}

// A file left by a crashed instance is replaced.
func TestStaleFile(t *testing.T) {
	dir := filepath.Join(tempDir(t), "kaigi")
	os.MkdirAll(dir, 0o700)
	os.WriteFile(addrPath(dir), []byte("127.0.0.1:1 deadbeef\n"), 0o600)
	l, err := Listen(dir)
	if err != nil {
		t.Fatalf("stale file not replaced: %v", err)
	}
	l.Close()
}
