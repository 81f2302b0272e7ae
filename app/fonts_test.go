package app

import (
	"fmt"
	"image"
	"image/png"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/go-text/typesetting/fontscan"

	"kaigi/room"
)

// The test machine has no CJK fonts; a developer's may. This test hides the
// system's fonts (a mount namespace with empty directories over them), so
// Fyne's per-character fallback finds nothing, then renders the home
// screen's language list and a call with Japanese and Chinese names and
// chat in the English interface, and reads it back with tesseract. The
// same screens drawn with Fyne's own theme must not read back: that is
// what boxes look like, and proves the fallback really saw no CJK font.

const noFontsEnv = "KAIGI_TEST_NO_SYSTEM_FONTS"

func TestCJKDrawnWithoutSystemFonts(t *testing.T) {
	if _, err := exec.LookPath("tesseract"); err != nil {
		t.Fatal("tesseract is needed (scripts/deps.sh test installs tesseract-ocr with jpn and chi_tra)")
	}
	if os.Getenv(noFontsEnv) == "" && systemHasCJK(t) {
		if err := rerunWithoutSystemFonts(t); err != nil {
			t.Skipf("this machine has CJK fonts and they cannot be hidden (%v); the test machine has none", err)
		}
		return
	}
	if systemHasCJK(t) {
		t.Fatal("the system's CJK fonts are still visible")
	}

	a := newTestApp(t, Options{})
	ui(func() { a.win.Resize(fyne.NewSize(1000, 640)) })

	home := func() {
		a.goTo(ScreenHome)
		var sel *widget.Select
		walk(a.win.Content(), func(o fyne.CanvasObject) {
			if s, ok := o.(*widget.Select); ok {
				sel = s
			}
		})
		test.Tap(sel) // opens the list: English, 日本語, 繁體中文
	}
	call := func() {
		c := testCall(a)
		c.chatList, c.chatEntry = container.NewVBox(), newTextEntry()
		c.m.SetChatOpen(true)
		a.state.Call = c
		a.state.Screen = ScreenCall
		for i, n := range []string{"田中花子", "陳美玲", "王晓明"} {
			a.onCallEvent(c, room.ParticipantJoined{Participant: room.Participant{ID: fmt.Sprint(i), Name: n}})
		}
		at := time.Date(2026, 11, 29, 10, 0, 0, 0, time.Local)
		for _, m := range []room.ChatMessage{
			{FromID: "0", FromName: "田中花子", Text: "明日の会議は十時からです", Time: at},
			{FromID: "1", FromName: "陳美玲", Text: "我們明天下午開會", Time: at},
			{FromID: "2", FromName: "王晓明", Text: "这个问题我们来讨论", Time: at},
		} {
			a.onCallEvent(c, m)
		}
		a.show()
	}
	for _, sc := range []struct {
		name  string
		draw  func()
		lang  string // tesseract's
		texts []string
	}{
		{"home", home, "jpn+chi_tra", []string{"日本語", "繁體中文"}},
		{"call", call, "jpn", []string{"田中花子", "明日の会議は十時からです"}},
		{"call", call, "chi_tra", []string{"陳美玲", "我們明天下午開會"}},
		{"call", call, "chi_sim", []string{"王晓明", "这个问题我们来讨论"}},
	} {
		if !hasTessdata(sc.lang) {
			if sc.lang == "chi_sim" { // not in scripts/deps.sh; GB2312 is checked in assets' tests
				t.Logf("%s: no tesseract data for %s; skipped", sc.name, sc.lang)
				continue
			}
			t.Fatalf("no tesseract data for %s (scripts/deps.sh test installs it)", sc.lang)
		}
		ui(func() { a.fyne.Settings().SetTheme(newTheme(a.tr.Lang())); closeOverlays(a); sc.draw() })
		got := ocr(t, a, sc.name+"-kaigi", sc.lang)
		ui(func() { a.fyne.Settings().SetTheme(theme.DefaultTheme()); closeOverlays(a); sc.draw() })
		boxes := ocr(t, a, sc.name+"-fyne", sc.lang)
		for _, want := range sc.texts {
			if r := read(got, want); r < 0.75 {
				t.Errorf("%s: %q not drawn (%.0f%% of it read back; tesseract %s read %q)", sc.name, want, 100*r, sc.lang, got)
			}
			if r := read(boxes, want); r > 0.25 {
				t.Errorf("%s: %q read back from Fyne's own fonts too (%.0f%%): the system's fonts were not hidden", sc.name, want, 100*r)
			}
		}
	}
}

// ocr captures the window at three times its size and returns what
// tesseract reads in it, spaces removed.
func ocr(t *testing.T, a *App, name, lang string) string {
	t.Helper()
	var img image.Image
	ui(func() {
		a.win.Canvas().(interface{ SetScale(float32) }).SetScale(3)
		img = a.win.Canvas().Capture()
		a.win.Canvas().(interface{ SetScale(float32) }).SetScale(1)
	})
	file := filepath.Join(t.TempDir(), name+".png")
	if dir := os.Getenv("KAIGI_TEST_SHOTS"); dir != "" {
		file = filepath.Join(dir, name+"-"+lang+".png")
	}
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	f.Close()
	out, err := exec.Command("tesseract", file, "stdout", "-l", lang, "--psm", "11").Output()
	if err != nil {
		t.Fatalf("tesseract: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), "")
}

// read is how much of want (a share of its characters, in order) is in got.
func read(got, want string) float64 {
	w := []rune(want)
	g := []rune(got)
	n, j := 0, 0
	for _, r := range w {
		for k := j; k < len(g); k++ {
			if g[k] == r {
				n, j = n+1, k+1
				break
			}
		}
	}
	return float64(n) / float64(len(w))
}

func hasTessdata(langs string) bool {
	out, err := exec.Command("tesseract", "--list-langs").Output()
	if err != nil {
		return false
	}
	have := strings.Fields(string(out))
	for _, l := range strings.Split(langs, "+") {
		found := false
		for _, h := range have {
			found = found || h == l
		}
		if !found {
			return false
		}
	}
	return true
}

// systemHasCJK says whether the system's fonts, found the way Fyne's
// fallback finds them, draw kana or ideographs.
func systemHasCJK(t *testing.T) bool {
	fm := fontscan.NewFontMap(log.New(io.Discard, "", 0))
	if err := fm.UseSystemFonts(t.TempDir()); err != nil {
		return false // no font directory at all
	}
	fm.SetQuery(fontscan.Query{Families: []string{fontscan.SansSerif}})
	for _, r := range "日か們这" {
		if f := fm.ResolveFace(r); f != nil {
			if _, ok := f.NominalGlyph(r); ok {
				return true
			}
		}
	}
	return false
}

// rerunWithoutSystemFonts runs this test again in a mount namespace (of a
// user namespace: no root needed) where every font directory is empty.
func rerunWithoutSystemFonts(t *testing.T) error {
	unshare, err := exec.LookPath("unshare")
	if err != nil {
		return err
	}
	home := t.TempDir()
	script := `for d in /usr/share/fonts /usr/local/share/fonts /usr/share/X11/fonts /usr/X11R6/lib/X11/fonts /usr/share/texmf/fonts /etc/fonts; do
  if [ -d "$d" ]; then mount -t tmpfs tmpfs "$d" || exit 97; fi
done
exec "$@"`
	cmd := exec.Command(unshare, "--mount", "--map-root-user", "sh", "-c", script, "sh",
		os.Args[0], "-test.run=^TestCJKDrawnWithoutSystemFonts$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), noFontsEnv+"=1", "HOME="+home, "XDG_DATA_HOME="+home, "XDG_DATA_DIRS="+home,
		"XDG_CONFIG_HOME="+home, "XDG_CACHE_HOME="+home)
	out, err := cmd.CombinedOutput()
	if cmd.ProcessState == nil || cmd.ProcessState.ExitCode() == 97 || strings.Contains(string(out), "unshare: ") {
		return fmt.Errorf("%v: %s", err, out)
	}
	t.Logf("without the system's fonts:\n%s", out)
	if err != nil {
		t.Fatal("failed without the system's fonts")
	}
	return nil
}

func closeOverlays(a *App) {
	for o := a.win.Canvas().Overlays().Top(); o != nil; o = a.win.Canvas().Overlays().Top() {
		a.win.Canvas().Overlays().Remove(o)
	}
}
