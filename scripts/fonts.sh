#!/usr/bin/env bash
# Re-makes the bundled CJK fonts in assets/fonts from Noto Sans CJK (Debian's
# fonts-noto-cjk): Regular and Bold, each in Japanese glyph forms (JP) and in
# Traditional Chinese forms (TC), gzipped (the app unpacks the pair it uses).
#
# Every face covers the same characters, because names and chat are
# arbitrary text shown in every interface language: kana, CJK punctuation,
# full-width forms, all of JIS X 0208 (Japanese), Big5 level 1 (the common
# characters of Taiwan), GB2312 (simplified Chinese) and every character of
# our catalogs (Fyne's own strings too) — minus whatever Fyne's own Noto
# Sans already draws, so Latin text and its punctuation keep Fyne's font in
# every language (spaces are the exception, see below).
# Hinting is dropped (Fyne's rasterizer does not hint). Run it again after
# changing i18n/*.json.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"

need=()
dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q 'ok installed' || need+=(fonts-noto-cjk)
/usr/bin/python3 -c 'import fontTools' 2>/dev/null || need+=(python3-fonttools)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

noto=/usr/share/fonts/opentype/noto
fyne=$(go list -m -f '{{.Dir}}' fyne.io/fyne/v2)/theme/font/NotoSans-Regular.ttf
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

/usr/bin/python3 - "$tmp/chars.txt" "$fyne" i18n/*.json i18n/fyne/*.json <<'PY'
import json, sys
from fontTools.ttLib import TTFont
out, fyne, catalogs = sys.argv[1], sys.argv[2], sys.argv[3:]
def span(a, b): return set(chr(c) for c in range(a, b))
def decode_all(codec, rows, cols):
    s = set()
    for hi in rows:
        for lo in cols:
            try: s |= set(bytes([hi, lo]).decode(codec))
            except UnicodeDecodeError: pass
    return s
def texts(v):
    if isinstance(v, dict):
        for x in v.values(): yield from texts(x)
    elif isinstance(v, str):
        yield v
sets = {
    "kana, CJK punctuation, full-width forms": span(0x3000, 0x3100) | span(0x31f0, 0x3200) | span(0xff01, 0xffa0),
    "JIS X 0208": decode_all("euc_jp", range(0xa1, 0xff), range(0xa1, 0xff)),
    "Big5 level 1": decode_all("big5", range(0xa1, 0xc7), list(range(0x40, 0x7f)) + list(range(0xa1, 0xff))),
    "GB2312": decode_all("gb2312", range(0xa1, 0xf8), range(0xa1, 0xff)),
    "catalogs": set(c for f in catalogs for t in texts(json.load(open(f, encoding="utf-8"))) for c in t),
}
fyne_has = set(TTFont(fyne).getBestCmap())
want = set().union(*sets.values())
want = {c for c in want if ord(c) >= 0x80 and ord(c) not in fyne_has}
# Spaces (and invisible format characters) take the font of the text before
# them (go-text's segmenter), so after kana or ideographs they must be ours.
want |= set(" \u00a0\u200b\u200c\u200d\u2060\ufeff\u202f\u205f") | span(0x2000, 0x200b)
han = [c for c in want if 0x3400 <= ord(c) <= 0x9fff or 0xf900 <= ord(c) <= 0xfaff]
print(f"each face: {len(want)} characters ({len(han)} ideographs)")
for name, s in sets.items():
    print(f"{name}: {len(s)} characters")
open(out, "w", encoding="utf-8").write("".join(sorted(want)))
PY

rm -f assets/fonts/*.otf assets/fonts/*.otf.gz
for spec in "Regular 0 jp" "Regular 3 tc" "Bold 0 jp" "Bold 3 tc"; do
  set -- $spec
  out="assets/fonts/NotoSansCJK$3-Kaigi-$1.otf"
  /usr/bin/python3 -m fontTools.subset "$noto/NotoSansCJK-$1.ttc" --font-number="$2" \
    --text-file="$tmp/chars.txt" --no-hinting --name-IDs='*' --output-file="$out" 2>/dev/null
  # Fyne measures a line's height with the font that has the space: ours
  # take Noto Sans's vertical metrics, so lines keep the same height in
  # every language (the CJK glyphs fit inside them).
  /usr/bin/python3 - "$out" "${fyne%Regular.ttf}$1.ttf" <<'PY'
import sys
from fontTools.ttLib import TTFont
out, ref = TTFont(sys.argv[1]), TTFont(sys.argv[2])
k = out["head"].unitsPerEm / ref["head"].unitsPerEm
for a in ("ascent", "descent", "lineGap"):
    setattr(out["hhea"], a, round(getattr(ref["hhea"], a) * k))
for a in ("sTypoAscender", "sTypoDescender", "sTypoLineGap", "usWinAscent", "usWinDescent"):
    setattr(out["OS/2"], a, round(getattr(ref["OS/2"], a) * k))
typo = 1 << 7  # USE_TYPO_METRICS
out["OS/2"].fsSelection = out["OS/2"].fsSelection & ~typo | ref["OS/2"].fsSelection & typo
out.save(sys.argv[1])
PY
  raw=$(stat -c %s "$out")
  gzip -9nf "$out"
  awk -v f="$out.gz" -v r="$raw" -v z="$(stat -c %s "$out.gz")" \
    'BEGIN {printf "%s %.2f MB (%.2f MB unpacked)\n", f, z/1048576, r/1048576}'
done

# The fonts' licence travels with them.
{ /usr/bin/python3 -c 'import sys; from fontTools.ttLib import TTCollection; print(TTCollection(sys.argv[1]).fonts[0]["name"].getDebugName(0))' "$noto/NotoSansCJK-Regular.ttc"
  echo "Subsets made by scripts/fonts.sh: NotoSansCJK{jp,tc}-Kaigi-{Regular,Bold}.otf.gz."
  echo
awk '/^License: SIL-1.1$/{n++; if (n==2) {on=1; next}} on && /^(License|Files):/{exit} on {sub(/^ /,""); if ($0==".") $0=""; print}' \
  /usr/share/doc/fonts-noto-cjk/copyright; } > assets/fonts/OFL.txt
