#!/usr/bin/env bash
# Re-makes the bundled CJK font subsets in assets/fonts from Noto Sans CJK
# (Debian's fonts-noto-cjk): the Japanese face (JP glyph forms) and the
# Traditional Chinese face (TC glyph forms), each cut to ASCII, punctuation,
# kana, the everyday characters of the language (JIS X 0208 level 1 kanji;
# Big5 level 1 hanzi, the frequent set Taiwan uses) and every character of
# our translation catalogs. Run it again after changing i18n/*.json.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q 'ok installed' || need+=(fonts-noto-cjk)
/usr/bin/python3 -c 'import fontTools' 2>/dev/null || need+=(python3-fonttools)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

src=/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

/usr/bin/python3 - "$tmp" i18n/*.json <<'PY'
import json, sys
out, catalogs = sys.argv[1], sys.argv[2:]
common = set(chr(c) for c in range(0x20, 0x7f))            # ASCII
common |= set(chr(c) for c in range(0xa0, 0x100))          # Latin-1
common |= set(chr(c) for c in range(0x2010, 0x2070))       # general punctuation
common |= set(chr(c) for c in range(0x2190, 0x2200))       # arrows
common |= set(chr(c) for c in range(0x3000, 0x3040))       # CJK symbols and punctuation
common |= set(chr(c) for c in range(0x3040, 0x3100))       # hiragana, katakana
common |= set(chr(c) for c in range(0xff01, 0xffa0))       # full-width forms
common |= set("●○■□▲△▼▽◆◇★☆♪✓✔✕✖…")
def texts(v):
    if isinstance(v, dict):
        for x in v.values(): yield from texts(x)
    elif isinstance(v, str):
        yield v
cat = set()
for f in catalogs:
    for t in texts(json.load(open(f, encoding="utf-8"))):
        cat |= set(t)
def decode_all(codec, rows, cols):
    s = set()
    for hi in rows:
        for lo in cols:
            try: s |= set(bytes([hi, lo]).decode(codec))
            except UnicodeDecodeError: pass
    return s
jis1 = decode_all("euc_jp", range(0xb0, 0xd0), range(0xa1, 0xff))        # JIS X 0208 rows 16-47: level 1 kanji
big5 = decode_all("big5", range(0xa4, 0xc7), list(range(0x40, 0x7f)) + list(range(0xa1, 0xff)))  # Big5 level 1
for name, extra in (("ja", jis1), ("zh_TW", big5)):
    with open(f"{out}/{name}.txt", "w", encoding="utf-8") as fh:
        fh.write("".join(sorted(common | cat | extra)))
    print(name, len(common | cat | extra), "characters")
PY

for spec in "0 ja NotoSansCJKjp-Kaigi" "3 zh_TW NotoSansCJKtc-Kaigi"; do
  set -- $spec
  /usr/bin/python3 -m fontTools.subset "$src" --font-number="$1" \
    --text-file="$tmp/$2.txt" --layout-features='*' --name-IDs='*' \
    --output-file="assets/fonts/$3.otf"
  ls -l "assets/fonts/$3.otf" | awk '{printf "%s %.2f MB\n", $9, $5/1048576}'
done

# The fonts' licence travels with them.
{ /usr/bin/python3 -c 'import sys; from fontTools.ttLib import TTCollection; print(TTCollection(sys.argv[1]).fonts[0]["name"].getDebugName(0))' "$src"
  echo "Subsets made by scripts/fonts.sh: NotoSansCJKjp-Kaigi.otf and NotoSansCJKtc-Kaigi.otf."
  echo
awk '/^License: SIL-1.1$/{n++; if (n==2) {on=1; next}} on && /^(License|Files):/{exit} on {sub(/^ /,""); if ($0==".") $0=""; print}' \
  /usr/share/doc/fonts-noto-cjk/copyright; } > assets/fonts/OFL.txt
