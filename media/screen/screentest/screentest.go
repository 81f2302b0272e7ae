// Package screentest is what screen-sharing tests need: a virtual X
// display (Xvfb, with a window manager when asked), a known page of text
// in several sizes and scripts drawn on it, and OCR of what arrived.
package screentest

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"kaigi/assets"
)

// Line is one line of the page: its text, script and size.
type Line struct {
	Text string
	CJK  assets.Forms // "" for Latin
	Size float64
	Bold bool
}

// Page is the known page: Latin in three sizes, Japanese and Traditional
// Chinese. Words lists what OCR must find in it.
var Page = []Line{
	{Text: "Kaigi screen share", Size: 56, Bold: true},
	{Text: "Quarterly results 2026", Size: 36},
	{Text: "The quick brown fox jumps over the lazy dog", Size: 26},
	{Text: "会議の資料を共有します", CJK: assets.Japanese, Size: 44},
	{Text: "螢幕分享測試", CJK: assets.TraditionalChinese, Size: 44},
}

// Words are what OCR of the page must find (after spaces are removed).
var Words = []string{"Kaigi", "screen", "Quarterly", "results", "2026", "quick", "brown", "会議", "資料", "共有", "螢幕", "分享"}

// Display starts Xvfb of w x h, sets DISPLAY for the test, and with wm
// runs openbox (windows get frames, titles and can be closed). It skips
// the test when Xvfb is missing. Xvfb picks a free display number itself
// (-displayfd) and says it once it accepts clients: tests running at the
// same time never race for one.
func Display(t testing.TB, w, h int, wm bool) string {
	t.Helper()
	if _, err := exec.LookPath("Xvfb"); err != nil {
		t.Skip("Xvfb is not installed (make test installs it)")
	}
	r, wr, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", fmt.Sprintf("%dx%dx24", w, h), "-nolisten", "tcp", "-noreset")
	cmd.ExtraFiles = []*os.File{wr}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	wr.Close()
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		// Asked to stop, it removes its lock and socket (killed, it
		// leaves them for the next server to find).
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(3 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
	})
	number := make(chan string, 1)
	go func() {
		var n int
		_, err := fmt.Fscan(r, &n)
		r.Close()
		if err != nil {
			number <- ""
			return
		}
		number <- fmt.Sprint(n)
	}()
	var display string
	select {
	case n := <-number:
		if n == "" {
			t.Fatal("Xvfb did not start")
		}
		display = ":" + n
	case <-time.After(20 * time.Second):
		t.Fatal("Xvfb did not start in 20 s")
	}
	// And wait until a client can connect.
	for i := 0; ; i++ {
		probe := exec.Command("xdpyinfo")
		probe.Env = append(os.Environ(), "DISPLAY="+display)
		if probe.Run() == nil {
			break
		}
		if i == 100 {
			t.Fatalf("Xvfb on %s takes no client", display)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Setenv("DISPLAY", display)
	t.Setenv("WAYLAND_DISPLAY", "")
	t.Setenv("XDG_SESSION_TYPE", "x11")
	if wm {
		if _, err := exec.LookPath("openbox"); err != nil {
			t.Skip("openbox is not installed (make test installs it)")
		}
		ob := exec.Command("openbox")
		ob.Env = append(os.Environ(), "DISPLAY="+display)
		if err := ob.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ob.Process.Kill(); ob.Wait() })
		time.Sleep(500 * time.Millisecond)
	}
	return display
}

// Render draws the page, black on white, w x h.
func Render(w, h int) (*image.RGBA, error) {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	y := 40
	for _, l := range Page {
		face, err := faceOf(l)
		if err != nil {
			return nil, err
		}
		y += int(l.Size * 1.3)
		d := font.Drawer{Dst: img, Src: image.NewUniform(color.Black), Face: face, Dot: fixed.P(40, y)}
		d.DrawString(l.Text)
		y += int(l.Size * 0.5)
	}
	return img, nil
}

func faceOf(l Line) (font.Face, error) {
	var data []byte
	switch {
	case l.CJK != "":
		var err error
		if data, err = assets.Font(l.CJK, l.Bold); err != nil {
			return nil, err
		}
	case l.Bold:
		data = gobold.TTF
	default:
		data = goregular.TTF
	}
	f, err := opentype.Parse(data)
	if err != nil {
		return nil, err
	}
	return opentype.NewFace(f, &opentype.FaceOptions{Size: l.Size, DPI: 72, Hinting: font.HintingFull})
}

// WritePNG saves img.
func WritePNG(path string, img image.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// ShowFull shows img in a window at the screen's top left corner (with
// no window manager: undecorated), so a monitor's capture shows it. It
// returns once the window is on screen.
func ShowFull(t testing.TB, img image.Image) {
	t.Helper()
	ShowWindowAt(t, img, "Kaigi test page", "+0+0")
}

// ShowWindow opens img in a window titled title (ImageMagick's display)
// and returns the process: killing it closes the window.
func ShowWindow(t testing.TB, img image.Image, title string) *exec.Cmd {
	t.Helper()
	return ShowWindowAt(t, img, title, "+20+20")
}

// ShowWindowAt is ShowWindow at an X geometry ("+X+Y").
func ShowWindowAt(t testing.TB, img image.Image, title, at string) *exec.Cmd {
	t.Helper()
	path := filepath.Join(t.TempDir(), "window.png")
	if err := WritePNG(path, img); err != nil {
		t.Fatal(err)
	}
	need(t, "display")
	cmd := exec.Command("display", "-title", title, "-geometry", at, path)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	// Wait until it is mapped.
	for i := 0; i < 100; i++ {
		if out, err := exec.Command("xdotool", "search", "--onlyvisible", "--name", title).Output(); err == nil && len(out) > 0 {
			time.Sleep(200 * time.Millisecond) // and drawn
			return cmd
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("the window %q did not appear", title)
	return cmd
}

func need(t testing.TB, tool string) {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		t.Skipf("%s is not installed (make test installs it)", tool)
	}
}

// OCR reads img with tesseract in English, Japanese and Traditional
// Chinese, and returns the text with spaces removed (tesseract puts
// spaces between CJK characters).
func OCR(t testing.TB, img image.Image) string {
	t.Helper()
	need(t, "tesseract")
	path := filepath.Join(t.TempDir(), "ocr.png")
	if err := WritePNG(path, img); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("tesseract", path, "stdout", "-l", "eng+jpn+chi_tra", "--psm", "3").Output()
	if err != nil {
		t.Fatalf("tesseract: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), "")
}

// ReadPage reads a picture of the page (Render) and returns the text and
// the Words it misses. tesseract now and then takes a whole line of
// Chinese for Latin letters ("螢幕分享測試" read as "Ras7)=Ala" in a
// sharp 1280x720 share), so when the first reading misses words, the
// picture is read once more in black and white, thresholded at mid grey,
// which drops the faint ringing a video codec leaves around strokes. The
// reading that misses fewer words counts; a blurred picture fails both.
func ReadPage(t testing.TB, img image.Image) (text string, missing []string) {
	t.Helper()
	text = OCR(t, img)
	missing = Missing(text)
	if len(missing) == 0 {
		return text, nil
	}
	b := img.Bounds()
	bw := image.NewGray(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y >= 128 {
				bw.SetGray(x, y, color.Gray{Y: 255})
			}
		}
	}
	t.Logf("OCR missed %q; reading the picture in black and white", missing)
	text2 := OCR(t, bw)
	if m := Missing(text2); len(m) < len(missing) {
		return text2, m
	}
	return text, missing
}

// Missing are the Words not in text.
func Missing(text string) []string {
	var out []string
	for _, w := range Words {
		if !strings.Contains(text, w) {
			out = append(out, w)
		}
	}
	return out
}
