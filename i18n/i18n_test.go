package i18n

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// catalog reads one catalog file: key -> text, or key -> plural forms.
func catalog(t *testing.T, name string) map[string]any {
	t.Helper()
	data, err := files.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return m
}

func keys(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

var field = regexp.MustCompile(`{{\s*\.(\w+)\s*}}`)

func fields(v any) string {
	var all []string
	switch v := v.(type) {
	case string:
		for _, m := range field.FindAllStringSubmatch(v, -1) {
			all = append(all, m[1])
		}
	case map[string]any:
		seen := map[string]bool{}
		for _, f := range v {
			for _, m := range field.FindAllStringSubmatch(f.(string), -1) {
				seen[m[1]] = true
			}
		}
		for k := range seen {
			all = append(all, k)
		}
	}
	sort.Strings(all)
	return strings.Join(uniq(all), ",")
}

func uniq(s []string) []string {
	var out []string
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// TestCatalogsMatch fails when a key is missing from a catalog, a text is
// empty, a translation drops or invents a {{.Field}}, or a plural lacks
// the forms its language needs.
func TestCatalogsMatch(t *testing.T) {
	for _, dir := range []string{"", "fyne/"} {
		en := catalog(t, dir+"en.json")
		for _, l := range All[1:] {
			other := catalog(t, dir+string(l)+".json")
			if a, b := strings.Join(keys(en), " "), strings.Join(keys(other), " "); a != b {
				for _, k := range keys(en) {
					if _, ok := other[k]; !ok {
						t.Errorf("%s%s.json lacks %q", dir, l, k)
					}
				}
				for _, k := range keys(other) {
					if _, ok := en[k]; !ok {
						t.Errorf("%s%s.json has %q, which en.json lacks", dir, l, k)
					}
				}
			}
			for k, v := range other {
				if fields(v) != fields(en[k]) {
					t.Errorf("%s%s.json %q uses fields {%s}, en.json {%s}", dir, l, k, fields(v), fields(en[k]))
				}
			}
		}
		for _, l := range All {
			for k, v := range catalog(t, dir+string(l)+".json") {
				switch v := v.(type) {
				case string:
					if strings.TrimSpace(v) == "" {
						t.Errorf("%s%s.json %q is empty", dir, l, k)
					}
				case map[string]any:
					if _, ok := v["other"]; !ok {
						t.Errorf("%s%s.json %q has no 'other' form", dir, l, k)
					}
					if _, ok := v["one"]; l == English && !ok && dir == "" {
						t.Errorf("en.json %q is a plural without a 'one' form", k)
					}
				default:
					t.Errorf("%s%s.json %q: unexpected value %T", dir, l, k, v)
				}
			}
		}
	}
}

// TestFyneCatalogComplete checks our Fyne catalogs carry exactly the keys
// of the Fyne version we build with (each AddTranslationsForLocale call
// must carry every key).
func TestFyneCatalogComplete(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "fyne.io/fyne/v2").Output()
	if err != nil {
		t.Fatalf("go list fyne: %v", err)
	}
	data, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "lang", "translations", "base.en.json"))
	if err != nil {
		t.Fatal(err)
	}
	var base map[string]any
	if err := json.Unmarshal(data, &base); err != nil {
		t.Fatal(err)
	}
	ours := catalog(t, "fyne/en.json")
	if strings.Join(keys(base), " ") != strings.Join(keys(ours), " ") {
		t.Errorf("fyne/en.json keys differ from Fyne's base.en.json")
	}
}

func TestFromLocale(t *testing.T) {
	for in, want := range map[string]Lang{
		"ja_JP.UTF-8": Japanese, "ja": Japanese, "ja-JP": Japanese,
		"zh_TW.UTF-8": TraditionalChinese, "zh_HK": TraditionalChinese, "zh-Hant-TW": TraditionalChinese,
		"zh_Hant": TraditionalChinese, "zh_MO.UTF-8": TraditionalChinese,
		"zh_CN.UTF-8": English, "zh-Hans": English, "en_US.UTF-8": English, "C": English, "": English,
		"fr_FR@euro": English, "jav_ID": English,
		// Windows locale names (GetUserDefaultLocaleName)
		"zh-TW": TraditionalChinese, "zh-HK": TraditionalChinese, "zh-MO": TraditionalChinese,
		"zh-CN": English, "zh-SG": English, "en-US": English, "ja-JP-u-ca-japanese": Japanese,
	} {
		if got := FromLocale(in); got != want {
			t.Errorf("FromLocale(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestTranslator(t *testing.T) {
	tr, err := New(Japanese)
	if err != nil {
		t.Fatal(err)
	}
	if got := tr.T("home.join"); got != "参加" {
		t.Errorf("ja home.join = %q", got)
	}
	tr.SetLang(English)
	if got := tr.N("time.minutes_ago", 1, nil); got != "1 minute ago" {
		t.Errorf("en plural one = %q", got)
	}
	if got := tr.N("time.minutes_ago", 5, nil); got != "5 minutes ago" {
		t.Errorf("en plural other = %q", got)
	}
	tr.SetLang(TraditionalChinese)
	if got := tr.Tf("settings.version", map[string]any{"Version": "1.0"}); got != "版本 1.0" {
		t.Errorf("zh_TW version = %q", got)
	}
	if got := tr.T("no.such.key"); got != "no.such.key" {
		t.Errorf("missing key = %q", got)
	}
	for _, l := range All {
		var m map[string]any
		if err := json.Unmarshal(FyneCatalog(l), &m); err != nil || m["Cancel"] == nil {
			t.Errorf("FyneCatalog(%s): %v", l, err)
		}
	}
}
