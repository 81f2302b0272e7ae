package workingset

/*
#include <dlfcn.h>
#include <stdlib.h>

// kaigi_pin keeps the shared object at path, when the dynamic loader has
// it loaded, loaded for good (RTLD_NODELETE): 1 if so, 0 if path is not a
// loaded object. RTLD_NOLOAD waits for a load of it in progress to end
// and never loads anything.
static int kaigi_pin(const char *path) {
	void *h = dlopen(path, RTLD_LAZY | RTLD_NOLOAD | RTLD_NODELETE);
	if (h == NULL) {
		return 0;
	}
	dlclose(h); // the reference just taken; the object stays
	return 1;
}

// kaigi_load loads the shared object at path and gives the address of
// its symbol name (the tests' library), or NULL.
static void *kaigi_load(const char *path, const char *name) {
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	return h == NULL ? NULL : dlsym(h, name);
}
*/
import "C"

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
	"strings"
	"sync"
	"unsafe"

	"golang.org/x/sys/unix"
)

// mapping is one region of /proc/self/smaps.
type mapping struct {
	start, end      uintptr
	readOnlyPrivate bool   // permissions r-?p: nothing can write to it
	file            bool   // backed by a file (an inode), not a special region
	id              string // the file: device, inode and path as smaps gives them
	path            string
	rss, anonymous  int64
}

// droppable: resident pages, all of them still the file's.
func (m mapping) droppable() bool {
	return m.readOnlyPrivate && m.file && m.rss > 0 && m.anonymous == 0
}

// Which files may be trimmed, by mapping id: only those whose mappings
// stay where they are for the life of the process. A madvise works on an
// address range, not on a mapping: a range read from smaps that another
// thread unmaps before the trim (the dynamic loader's cache at the end of
// a dlopen, a file read through mmap) may by then hold new memory of
// ours, and MADV_DONTNEED zeroes anonymous memory. That happened: a VP8
// encoder allocated while a trim ran found its fresh structure zeroed and
// crashed the window at start. So a trim keeps to our own executable,
// which is never unmapped, and to shared objects that the loader has
// fully loaded and that are pinned (RTLD_NODELETE) before their ranges are
// read for the trim: the GL driver and its shader compiler, where most of
// the pages are. Every other file mapping is left alone.
var (
	filesMu sync.Mutex
	files   = map[string]bool{}
)

// trimmable says whether the file of m may be trimmed, pinning it if it
// is a shared object; pinned says that it was pinned just now.
func trimmable(m mapping, exe string) (ok, pinned bool) {
	filesMu.Lock()
	defer filesMu.Unlock()
	if ok, seen := files[m.id]; seen {
		return ok, false
	}
	if m.path == exe {
		files[m.id] = true
		return true, false
	}
	path := C.CString(m.path)
	ok = C.kaigi_pin(path) == 1
	C.free(unsafe.Pointer(path))
	files[m.id] = ok
	return ok, ok
}

// loadObject loads the shared object at path, as the dynamic loader
// loads a library (the tests'), and gives the address of its symbol name.
func loadObject(path, name string) unsafe.Pointer {
	p, n := C.CString(path), C.CString(name)
	defer C.free(unsafe.Pointer(p))
	defer C.free(unsafe.Pointer(n))
	return C.kaigi_load(p, n)
}

// Trim drops the resident pages of the process's clean read-only mappings
// of its executable and of its pinned shared objects, and says how many
// bytes they held.
func Trim() (int64, error) {
	exe, err := os.Readlink("/proc/self/exe")
	if err != nil {
		return 0, err
	}
	var todo []mapping
	for look := 0; look < 2; look++ {
		b, err := os.ReadFile("/proc/self/smaps")
		if err != nil {
			return 0, err
		}
		todo = todo[:0]
		pinnedNow := false
		for _, m := range parseSmaps(b) {
			if !m.droppable() {
				continue
			}
			ok, pinned := trimmable(m, exe)
			pinnedNow = pinnedNow || pinned
			if ok {
				todo = append(todo, m)
			}
		}
		// A library pinned just now may have been read while the loader
		// was still mapping it: read its final ranges again.
		if !pinnedNow {
			break
		}
	}
	var dropped int64
	for _, m := range todo {
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
	if m.file {
		m.path = strings.Join(f[5:], " ")
		m.id = f[3] + " " + f[4] + " " + m.path
	}
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
