package workingset

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// mapFile maps a file of n pages filled with fill.
func mapFile(t *testing.T, n int, fill byte, prot int) []byte {
	t.Helper()
	p := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(p, bytes.Repeat([]byte{fill}, n*os.Getpagesize()), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := unix.Mmap(int(f.Fd()), 0, n*os.Getpagesize(), prot, unix.MAP_PRIVATE)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Munmap(b) })
	return b
}

// resident is what smaps says of the mapping that holds b.
func resident(t *testing.T, b []byte) mapping {
	t.Helper()
	smaps, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		t.Fatal(err)
	}
	at := uintptr(unsafe.Pointer(&b[0]))
	for _, m := range parseSmaps(smaps) {
		if m.start == at {
			return m
		}
	}
	t.Fatalf("no mapping at %#x", at)
	return mapping{}
}

func touch(b []byte) (sum int) {
	for i := 0; i < len(b); i += os.Getpagesize() {
		sum += int(b[i])
	}
	return sum
}

// testLibrary builds and loads a shared object holding n pages of
// read-only data, every byte fill, and gives that data.
func testLibrary(t *testing.T, n int, fill byte) []byte {
	t.Helper()
	if _, err := exec.LookPath("cc"); err != nil {
		t.Skip("no C compiler (make test installs one)")
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "data.s")
	size := n * os.Getpagesize()
	code := ".section .rodata\n.globl kaigi_data\n.balign 4096\nkaigi_data:\n.fill " +
		strconv.Itoa(size) + ", 1, " + strconv.Itoa(int(fill)) + "\n.section .note.GNU-stack,\"\",@progbits\n"
	if err := os.WriteFile(src, []byte(code), 0o600); err != nil {
		t.Fatal(err)
	}
	lib := filepath.Join(dir, "libkaigidata.so")
	if out, err := exec.Command("cc", "-shared", "-fPIC", "-o", lib, src).CombinedOutput(); err != nil {
		t.Fatalf("cc: %v\n%s", err, out)
	}
	p := loadObject(lib, "kaigi_data")
	if p == nil {
		t.Fatal("the test library did not load")
	}
	return unsafe.Slice((*byte)(p), size)
}

// TestTrimDropsLibraryPages: the pages of a loaded library's read-only
// data leave the process and come back, unchanged, when touched again.
func TestTrimDropsLibraryPages(t *testing.T) {
	const pages = 256
	b := testLibrary(t, pages, 7)
	if touch(b) != 7*pages {
		t.Fatal("the library's data reads wrong")
	}
	if m := resident(t, b); m.rss < pages*int64(os.Getpagesize()) || !m.droppable() {
		t.Fatalf("before the trim: %+v, want all %d pages resident and droppable", m, pages)
	}
	dropped, err := Trim()
	if err != nil {
		t.Fatal(err)
	}
	if m := resident(t, b); m.rss != 0 {
		t.Errorf("after the trim %d bytes of the library's data are resident", m.rss)
	}
	if dropped < pages*int64(os.Getpagesize()) {
		t.Errorf("Trim says it dropped %d bytes, less than the library's data", dropped)
	}
	if touch(b) != 7*pages {
		t.Error("the pages read back wrong after the trim")
	}
}

// TestTrimLeavesMappedFiles: a file mapped by other means than the
// dynamic loader may be unmapped at any moment, and its range reused for
// memory of ours before the trim reaches it (MADV_DONTNEED would zero
// that memory: a crash at start, seen). So it is never trimmed.
func TestTrimLeavesMappedFiles(t *testing.T) {
	const pages = 64
	b := mapFile(t, pages, 5, unix.PROT_READ)
	touch(b)
	if m := resident(t, b); !m.droppable() {
		t.Fatalf("the mapping is not one the trim could take: %+v", m)
	}
	if _, err := Trim(); err != nil {
		t.Fatal(err)
	}
	if m := resident(t, b); m.rss < pages*int64(os.Getpagesize()) {
		t.Errorf("a file mapped with mmap was trimmed: %d of %d bytes resident", m.rss, pages*os.Getpagesize())
	}
}

// TestTrimKeepsWrittenPages: pages the process wrote (a copy of its own,
// not the file's) are not the file's and never count as droppable,
// writable or made read-only afterwards (as a library's relocated data is).
func TestTrimKeepsWrittenPages(t *testing.T) {
	for _, protect := range []bool{false, true} {
		b := mapFile(t, 4, 1, unix.PROT_READ|unix.PROT_WRITE)
		b[0] = 42
		touch(b)
		if protect {
			if err := unix.Mprotect(b, unix.PROT_READ); err != nil {
				t.Fatal(err)
			}
		}
		if m := resident(t, b); m.droppable() {
			t.Fatalf("a written mapping (read-only afterwards: %v) counts as droppable: %+v", protect, m)
		}
	}
}

// TestWatchTrimsWhatComesBack: Watch trims at once, and again when pages
// it dropped are touched again, more of them than its slack.
func TestWatchTrimsWhatComesBack(t *testing.T) {
	const pages = 2048 // 8 MiB of 4 KiB pages
	b := testLibrary(t, pages, 3)
	touch(b)
	stop := make(chan struct{})
	defer close(stop)
	go Watch(20*time.Millisecond, time.Hour, 1<<20, stop)
	dropped := func(what string) {
		t.Helper()
		for end := time.Now().Add(5 * time.Second); resident(t, b).rss != 0; time.Sleep(10 * time.Millisecond) {
			if time.Now().After(end) {
				t.Fatalf("%s: %d bytes of the mapping still resident after 5 s", what, resident(t, b).rss)
			}
		}
	}
	dropped("at start")
	time.Sleep(100 * time.Millisecond) // the trim has settled
	if touch(b) != 3*pages {
		t.Fatal("the pages read back wrong")
	}
	dropped("touched again")
}
