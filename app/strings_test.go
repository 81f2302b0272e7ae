package app

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// notShown are the string literals of app/ that never reach the screen.
var notShown = map[string]bool{
	prefLang: true, prefName: true, prefRecent: true, // preference keys
	prefCamera: true, prefMicrophone: true, prefSpeaker: true, prefMicOn: true, prefCamOn: true,
	prefEchoCancel: true, prefNoiseSuppress: true, prefSoundJoin: true, prefSoundChat: true, prefSoundHand: true,
	"home": true, "settings": true, "home-error": true, "joining": true, "join-error": true, "lobby": true, "call": true, // --screen names
	"lobby-nocam": true, "call-speaker": true, "call-chat": true, "call-people": true, "call-devices": true,
	"call-leave": true, "call-reconnecting": true, "call-alone": true, "call-ended": true, "call-lost": true,
	"call-hands": true, "call-host": true, "call-host-person": true, "call-muted": true, "join-locked": true,
	"hands": true, "host": true, "host-person": true, "muted": true,
	"call-share-picker": true, "call-sharing": true, "call-share-received": true, "share-picker": true, "sharing": true, "share-received": true,
	"chat": true, "people": true, "reconnecting": true, "leave": true, "none": true,
	"Aiko":                                 true,                     // the sample name in screenshots
	"Can you hear me? My network dropped.": true, "資料は共有済みです。": true, // the user's own chat in a screenshot
	"sample": true, // its chat line's id
	"Count":  true, // template field names
	"Detail": true, "Service": true, "Version": true, "Text": true, "Page": true, "Pages": true, "Name": true, "Codec": true, "Names": true,
	"fyne translations": true, "open browser": true, "bundled font": true, // log lines for developers
	"localhost": true,                 // a host name
	"devices":   true,                 // a dialog's key (see confirmContent)
	"zh":        true,                 // a locale's language
	"What":      true, "Number": true, // template field names (share.go)
	"share":         true, // a dialog's key (share.go)
	sampleReadyLine: true, // for make screenshots
}

func catalogKeys(t *testing.T) map[string]bool {
	t.Helper()
	data, err := os.ReadFile("../i18n/en.json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	for k := range m {
		keys[k] = true
	}
	return keys
}

// literals returns the string literals of the non-test Go files in dir
// (import paths and struct tags excluded), with their positions.
func literals(t *testing.T, dir string) map[string][]string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	fset := token.NewFileSet()
	out := map[string][]string{}
	for _, f := range files {
		// icons.go and reactions.go hold drawings (SVG), not text.
		if strings.HasSuffix(f, "_test.go") || filepath.Base(f) == "icons.go" || filepath.Base(f) == "reactions.go" {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.ImportSpec:
				return false
			case *ast.Field:
				if n.Tag != nil {
					ast.Inspect(n.Type, func(ast.Node) bool { return true })
					return false
				}
			case *ast.BasicLit:
				if n.Kind == token.STRING {
					s, err := strconv.Unquote(n.Value)
					if err == nil {
						out[s] = append(out[s], fset.Position(n.Pos()).String())
					}
				}
			}
			return true
		})
	}
	return out
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// TestNoVisibleLiterals fails when app/ puts text on screen that is not
// from the catalogs: every literal with a letter in it must be a catalog
// key, data (a URL, a file name), or listed in notShown.
func TestNoVisibleLiterals(t *testing.T) {
	keys := catalogKeys(t)
	for s, where := range literals(t, ".") {
		switch {
		case !hasLetter(s), keys[s], notShown[s], strings.Contains(s, "://"),
			strings.HasSuffix(s, ".png"), strings.HasSuffix(s, ".otf"):
			continue
		}
		t.Errorf("%s: %q looks like text for the user but is not a catalog key (add it to i18n/*.json)", where[0], s)
	}
}

// TestEveryKeyUsed fails when a catalog key is used nowhere in app/ or
// cmd/kaigi (a stale translation).
func TestEveryKeyUsed(t *testing.T) {
	used := literals(t, ".")
	for s, w := range literals(t, "../cmd/kaigi") {
		used[s] = w
	}
	for k := range catalogKeys(t) {
		if _, ok := used[k]; !ok {
			t.Errorf("catalog key %q is not used in app/ or cmd/kaigi", k)
		}
	}
}
