package assets

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2/theme"
	"github.com/go-text/typesetting/font"
)

// TestCatalogsCovered checks that every character of the translation
// catalogs is drawn by the bundled faces or by Fyne's own font: after a
// catalog change, scripts/fonts.sh must run again.
func TestCatalogsCovered(t *testing.T) {
	fyneFace, err := font.ParseTTF(bytes.NewReader(theme.DefaultTextFont().Content()))
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("../i18n/*.json")
	fyneFiles, _ := filepath.Glob("../i18n/fyne/*.json")
	files = append(files, fyneFiles...)
	if len(files) < 3 {
		t.Fatal("no catalogs found")
	}
	for _, forms := range []Forms{Japanese, TraditionalChinese} {
		for _, bold := range []bool{false, true} {
			b, err := Font(forms, bold)
			if err != nil {
				t.Fatal(err)
			}
			face, err := font.ParseTTF(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range files {
				text, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				missing := map[rune]bool{}
				for _, r := range string(text) {
					_, ours := face.NominalGlyph(r)
					_, fyne := fyneFace.NominalGlyph(r)
					if !ours && !fyne && r >= ' ' {
						missing[r] = true
					}
				}
				for r := range missing {
					t.Errorf("%s: %q of %s is in no font (run scripts/fonts.sh)", FontName(forms, bold), r, filepath.Base(f))
				}
			}
		}
	}
}
