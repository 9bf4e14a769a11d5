#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# segoff-nl segment FILE plot OUT.svg: the series with its cuts, drawn by
# gnuplot. The picture is an SVG that names what it shows (the counts in
# the title and the legend agree with -j), a failed plot leaves no file,
# and Documentation/stock_cuts.svg is what `make plot` draws today. No
# device, no privilege; skips without gnuplot.
#
#   data/stock_000001SZ.txt --> segoff-nl segment ... plot $tmp/*.svg
#
# usage: plot.sh BUILD_DIR; prints TAP.

set -e
O=$(realpath "${1:-build}")
cd "$(dirname "$0")/../.."
source selftests/datapath/tap.sh
NL=$O/segoff-nl
DATA=data/stock_000001SZ.txt
command -v gnuplot >/dev/null || { echo "1..0 # SKIP gnuplot not found"; exit 4; }
command -v python3 >/dev/null || { echo "1..0 # SKIP python3 not found"; exit 4; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pretty() { echo "[+] $*" >&2; }

# texts SVG: the text elements of a well-formed SVG, one a line
texts() {
	python3 -c '
import sys, xml.etree.ElementTree as ET
ns = "{http://www.w3.org/2000/svg}"
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == ns + "svg", root.tag
for t in root.iter(ns + "text"):
	print("".join(t.itertext()))' "$1"
}
# has SVG TEXT: one text element of SVG is exactly TEXT
has() { texts "$1" | grep -xF "$2" >/dev/null; }

pretty "segoff-nl segment $DATA plot $tmp/exact.svg"
"$NL" segment "$DATA" plot "$tmp/exact.svg" >"$tmp/exact.txt"
check "exact: the title names the data, the counts and the parameters" has "$tmp/exact.svg" \
	"stock_000001SZ.txt: 778 cuts in 3239 windows (eps 0.1, scale 1000, arith exact)"
check "exact: the legend counts 778 cuts" has "$tmp/exact.svg" "cuts (778)"
check "exact: the legend counts 3254 samples" has "$tmp/exact.svg" "samples (3254)"
check "exact: no invalid windows in the legend" \
	bash -c "! grep -q 'invalid windows' '$tmp/exact.svg'"
check "the text output stays a summary" test "$(wc -l <"$tmp/exact.txt")" -eq 7
check "no temporary file left" test "$(ls "$tmp" | grep -c tmp)" -eq 0

pretty "segoff-nl -j segment $DATA arith seed plot $tmp/seed.svg"
"$NL" -j segment "$DATA" arith seed plot "$tmp/seed.svg" >"$tmp/seed.json"
check "-j with plot: the JSON is intact" test "$(jq .splits "$tmp/seed.json")" = 748
check "seed: the legend counts 748 cuts" has "$tmp/seed.svg" "cuts (748)"

# Invalid samples: gaps in the series, their windows drawn and counted.
{ head -n 40 "$DATA"; echo nan; echo -1; sed -n 41,80p "$DATA"; } >"$tmp/holes.txt"
pretty "segoff-nl segment holes.txt plot $tmp/holes.svg"
"$NL" -j segment "$tmp/holes.txt" plot "$tmp/holes.svg" >"$tmp/holes.json"
invalid=$(jq .invalid "$tmp/holes.json")
check "invalid windows: counted in the legend ($invalid)" has "$tmp/holes.svg" \
	"invalid windows ($invalid)"
check "invalid windows: $invalid, 17 for two bad samples" test "$invalid" = 17

# A name gnuplot must be given quoted.
pretty "segoff-nl segment $DATA plot \"$tmp/it's.svg\""
quoted() { "$NL" segment "$DATA" plot "$tmp/it's.svg" >/dev/null; }
check "a quote in the output name" quoted
check "... writes that very file" test -s "$tmp/it's.svg"

# Failures: status 1, a message, no file.
fails() {
	local out=$1 msg=$2 err
	shift 2
	if err=$("$@" 2>&1 >/dev/null); then
		echo "succeeded" >&2
		return 1
	fi
	echo "$err" >&2
	grep -qF "$msg" <<<"$err" && [ ! -e "$out" ] && ! ls "$out".tmp* 2>/dev/null
}
check "a missing directory fails, leaves nothing" fails "$tmp/no/such.svg" \
	"Unable to plot $tmp/no/such.svg: gnuplot failed" "$NL" segment "$DATA" plot "$tmp/no/such.svg"
mkdir "$tmp/bin"
ln -s "$(command -v jq)" "$tmp/bin/jq"
check "no gnuplot fails, saying so" fails "$tmp/nognuplot.svg" \
	"gnuplot not found" env PATH="$tmp/bin" "$NL" segment "$DATA" plot "$tmp/nognuplot.svg"
check "plot without a file name is refused" fails "$tmp/none" "needs a value" \
	"$NL" segment "$DATA" plot

# The README's picture is what `make plot` draws now, where the same
# gnuplot drew it (the SVG names its version).
svg=Documentation/stock_cuts.svg
made_by() { sed -n 's/.*<desc>Produced by \(.*\) *<\/desc>.*/\1/p' "$1" | sed 's/ *$//'; }
if [ "$(made_by "$svg")" = "$(made_by "$tmp/exact.svg")" ]; then
	check "$svg is up to date (make plot)" cmp -s "$svg" "$tmp/exact.svg"
else
	ok "$svg is up to date # SKIP drawn by $(made_by "$svg"), here $(made_by "$tmp/exact.svg")"
fi

tap_end
