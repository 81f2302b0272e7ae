package workingset

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// mapping is one region of /proc/self/smaps.
type mapping struct {
	start, end      uintptr
	readOnlyPrivate bool // permissions r-?p: nothing can write to it
	file            bool // backed by a file (an inode), not a special region
	rss, anonymous  int64
}

// droppable: resident pages, all of them still the file's.
func (m mapping) droppable() bool {
	return m.readOnlyPrivate && m.file && m.rss > 0 && m.anonymous == 0
}

// Trim drops the resident pages of the process's clean read-only file
// mappings and says how many bytes they held.
func Trim() (int64, error) {
	b, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		return 0, err
	}
	var dropped int64
	for _, m := range parseSmaps(b) {
		if !m.droppable() {
			continue
		}
		// MADV_DONTNEED on a private file mapping: the next touch reads
		// the page from the file (its copy in the page cache) again.
		if _, _, e := unix.Syscall(unix.SYS_MADVISE, m.start, m.end-m.start, unix.MADV_DONTNEED); e == 0 {
			dropped += m.rss
		}
	}
	return dropped, nil
}

// parseSmaps reads the regions of an smaps file: a header line per region
// ("start-end perms offset dev inode [path]") and then its "Key: value kB"
// lines.
func parseSmaps(b []byte) []mapping {
	var out []mapping
	cur := -1
	s := bufio.NewScanner(bytes.NewReader(b))
	s.Buffer(make([]byte, 0, 4096), 1<<20)
	for s.Scan() {
		f := strings.Fields(s.Text())
		if len(f) == 0 {
			continue
		}
		if strings.HasSuffix(f[0], ":") {
			if cur < 0 || len(f) < 2 {
				continue
			}
			kb, err := strconv.ParseInt(f[1], 10, 64)
			if err != nil {
				continue
			}
			switch f[0] {
			case "Rss:":
				out[cur].rss = kb << 10
			case "Anonymous:":
				out[cur].anonymous = kb << 10
			}
			continue
		}
		m, ok := parseHeader(f)
		if !ok {
			cur = -1
			continue
		}
		out = append(out, m)
		cur = len(out) - 1
	}
	return out
}

func parseHeader(f []string) (mapping, bool) {
	if len(f) < 5 {
		return mapping{}, false
	}
	lo, hi, ok := strings.Cut(f[0], "-")
	if !ok {
		return mapping{}, false
	}
	start, err1 := strconv.ParseUint(lo, 16, 64)
	end, err2 := strconv.ParseUint(hi, 16, 64)
	if err1 != nil || err2 != nil || end <= start || len(f[1]) != 4 {
		return mapping{}, false
	}
	perms := f[1]
	m := mapping{start: uintptr(start), end: uintptr(end)}
	m.readOnlyPrivate = perms[0] == 'r' && perms[1] == '-' && perms[3] == 'p'
	m.file = f[4] != "0" && len(f) >= 6 && !strings.HasPrefix(f[5], "[")
	return m, true
}

// residentFiles is how many bytes of mapped files (and shared memory) the
// process holds resident: the third field of /proc/self/statm, in pages.
func residentFiles() (int64, bool) {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0, false
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return 0, false
	}
	pages, err := strconv.ParseInt(f[2], 10, 64)
	if err != nil {
		return 0, false
	}
	return pages * int64(os.Getpagesize()), true
}
