// Package i18n holds Kaigi's translation catalogs (en, ja, zh_TW) and the
// translator the UI asks for every visible string. Fyne 2.7 cannot change
// its locale at run time, so the language is ours: the app rebuilds its
// screens from state after SetLang, and FyneCatalog feeds Fyne's own
// strings (dialog buttons, entry menus) in the same language.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Lang is a language of the interface.
type Lang string

const (
	English            Lang = "en"
	Japanese           Lang = "ja"
	TraditionalChinese Lang = "zh_TW"
)

// All lists the languages in the order the picker shows them.
var All = []Lang{English, Japanese, TraditionalChinese}

//go:embed en.json ja.json zh_TW.json fyne/*.json
var files embed.FS

// tag is the BCP 47 form go-i18n wants.
func (l Lang) tag() language.Tag {
	if l == TraditionalChinese {
		return language.MustParse("zh-TW")
	}
	return language.MustParse(string(l))
}

// Parse reads a language code as given on the command line or stored in
// preferences (en, ja, zh_TW, zh-TW).
func Parse(s string) (Lang, bool) {
	switch strings.ReplaceAll(strings.TrimSpace(s), "-", "_") {
	case "en":
		return English, true
	case "ja":
		return Japanese, true
	case "zh_TW":
		return TraditionalChinese, true
	}
	return "", false
}

// FromLocale picks the language for an OS locale (LANG-style "ja_JP.UTF-8",
// or BCP 47 "zh-Hant-HK"): ja* is Japanese; zh_TW, zh_HK and zh_Hant* are
// Traditional Chinese; everything else is English.
func FromLocale(locale string) Lang {
	l := strings.ToLower(locale)
	l, _, _ = strings.Cut(l, ".")
	l, _, _ = strings.Cut(l, "@")
	l = strings.ReplaceAll(l, "-", "_")
	switch {
	case l == "ja" || strings.HasPrefix(l, "ja_"):
		return Japanese
	case l == "zh_tw" || l == "zh_hk" || l == "zh_mo" || strings.HasPrefix(l, "zh_hant") ||
		strings.HasPrefix(l, "zh_tw_") || strings.HasPrefix(l, "zh_hk_"):
		return TraditionalChinese
	}
	return English
}

// Translator answers with the strings of the current language. It is safe
// for use from any goroutine.
type Translator struct {
	mu         sync.RWMutex
	lang       Lang
	localizers map[Lang]*i18n.Localizer
}

// New loads the catalogs and starts in lang.
func New(lang Lang) (*Translator, error) {
	b := i18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	t := &Translator{lang: lang, localizers: map[Lang]*i18n.Localizer{}}
	for _, l := range All {
		data, err := files.ReadFile(string(l) + ".json")
		if err != nil {
			return nil, err
		}
		if _, err := b.ParseMessageFileBytes(data, l.tag().String()+".json"); err != nil {
			return nil, fmt.Errorf("catalog %s: %w", l, err)
		}
		t.localizers[l] = i18n.NewLocalizer(b, l.tag().String())
	}
	if _, ok := t.localizers[lang]; !ok {
		t.lang = English
	}
	return t, nil
}

// Lang is the current language.
func (t *Translator) Lang() Lang {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.lang
}

// SetLang switches the language; the caller rebuilds what is on screen.
func (t *Translator) SetLang(l Lang) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, ok := t.localizers[l]; ok {
		t.lang = l
	}
}

// T is the text of key in the current language. A key missing from the
// catalogs (a bug the catalog tests catch) shows as the key itself.
func (t *Translator) T(key string) string { return t.localize(key, nil, nil) }

// Tf fills the {{.Name}} fields of key's text from data.
func (t *Translator) Tf(key string, data map[string]any) string {
	return t.localize(key, data, nil)
}

// N is the plural form of key for count; the text sees {{.Count}}.
func (t *Translator) N(key string, count int, data map[string]any) string {
	d := map[string]any{"Count": count}
	for k, v := range data {
		d[k] = v
	}
	return t.localize(key, d, count)
}

func (t *Translator) localize(key string, data map[string]any, count any) string {
	t.mu.RLock()
	loc := t.localizers[t.lang]
	t.mu.RUnlock()
	s, err := loc.Localize(&i18n.LocalizeConfig{MessageID: key, TemplateData: data, PluralCount: count})
	if err != nil || s == "" {
		return key
	}
	return s
}

// FyneCatalog is Fyne's own strings (dialog buttons, entry menus, file
// dialogs) in lang, whole, for lang.AddTranslationsForLocale.
func FyneCatalog(l Lang) []byte {
	data, err := files.ReadFile("fyne/" + string(l) + ".json")
	if err != nil {
		data, _ = files.ReadFile("fyne/en.json")
	}
	return data
}
