#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# segoff-nl segment: the reference verdicts for the real data set, checked
# against an oracle in exact rational arithmetic (exact_oracle.py), and
# every kind of bad input refused with a clear message, a non-zero exit and
# nothing on stdout. No device, no privilege.
#
#   data/stock_000001SZ.txt --> segoff-nl -j segment --> split_windows
#                          \--> exact_oracle.py -----> split windows  (equal)
#
# usage: segment.sh BUILD_DIR; prints TAP.

set -e
O=$(realpath "${1:-build}")
cd "$(dirname "$0")/../.."
source selftests/datapath/tap.sh
NL=$O/segoff-nl
DATA=data/stock_000001SZ.txt
tmp=$(mktemp -d)

cleanup() {
	rm -rf "$tmp"
}
trap cleanup EXIT

pretty() { echo "[+] $*" >&2; }

# field FILE KEY: one value of a JSON object, lists joined by spaces
field() {
	python3 -c 'import json, sys
v = json.load(open(sys.argv[1]))[sys.argv[2]]
print(" ".join(map(str, v)) if isinstance(v, list) else v)' "$1" "$2"
}

# segment OUT ARGS...: segoff-nl -j segment ARGS > OUT
segment() {
	local out=$1
	shift
	pretty "segoff-nl -j segment $*"
	"$NL" -j segment "$@" >"$out"
}

# summary FILE: "windows splits invalid eps scale arith" (one python: it is slow to start)
summary() {
	python3 -c 'import json, sys
o = json.load(open(sys.argv[1]))
keys = ("windows", "splits", "invalid", "eps", "scale", "arith")
print("".join("%s " % o[k] for k in keys))' "$1"
}

# refused DESC WANT ARGS...: segoff-nl ARGS fails, says WANT on stderr, prints nothing on stdout
refused() {
	local desc=$1 want=$2 rc=0
	shift 2
	pretty "! segoff-nl $*"
	"$NL" "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
	if [ "$rc" -ne 0 ] && grep -qF -- "$want" "$tmp/err" && [ ! -s "$tmp/out" ]; then
		ok "$desc"
	else
		not_ok "$desc (exit $rc, stderr: $(head -c 200 "$tmp/err"), stdout $(wc -c <"$tmp/out") bytes)"
	fi
}

if [ ! -x "$NL" ]; then
	echo "segoff-nl not built in $O" >&2
	exit 1
fi

segment "$tmp/exact.json" "$DATA"
check "exact, scale 1000: 3239 windows, 778 splits" \
	[ "$(summary "$tmp/exact.json")" = "3239 778 0 0.1 1000 exact " ]
segment "$tmp/seed.json" "$DATA" arith seed
check "seed, scale 16384, the seed's eps: 3239 windows, 748 splits" \
	[ "$(summary "$tmp/seed.json")" = "3239 748 0 0.099996954 16384 seed " ]
segment "$tmp/exact-double.json" "$DATA" encoding double
check "exact: encodings fixed and double agree" cmp -s "$tmp/exact.json" "$tmp/exact-double.json"
segment "$tmp/seed-double.json" "$DATA" arith seed encoding double
check "seed: encodings fixed and double agree" cmp -s "$tmp/seed.json" "$tmp/seed-double.json"

pretty "exact_oracle.py $DATA 0.1"
selftests/datapath/exact_oracle.py "$DATA" 0.1 | tr '\n' ' ' | sed 's/ $//' >"$tmp/oracle"
field "$tmp/exact.json" split_windows >"$tmp/split_windows"
check "exact split windows equal the Fraction oracle's" \
	[ "$(cat "$tmp/oracle")" = "$(cat "$tmp/split_windows")" ]
segment "$tmp/eps.json" "$DATA" eps 0.05 scale 100
selftests/datapath/exact_oracle.py "$DATA" 0.05 | tr '\n' ' ' | sed 's/ $//' >"$tmp/oracle"
check "eps 0.05, scale 100: split windows equal the oracle's" \
	[ "$(cat "$tmp/oracle")" = "$(field "$tmp/eps.json" split_windows)" ]

# not evaluable is a verdict, not an error: 20 samples give 5 windows
printf '1 2 3 4 5 6 7 8\n9 10 11 12 13 14 15 16 nan -1 65536 inf\n' >"$tmp/odd.txt"
segment "$tmp/odd.json" "$tmp/odd.txt"
check "NaN, negative, 65536 and Inf samples make windows 1..4 invalid" \
	[ "$(field "$tmp/odd.json" invalid)" = 4 ]

printf '1.5 1.6\n\n  2 abc 3\n' >"$tmp/bad.txt"
refused "a word in the data names FILE:LINE:COL" "$tmp/bad.txt:3:5: 'abc' is not a number" \
	segment "$tmp/bad.txt"
printf '1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 1.5e\n' >"$tmp/bad2.txt"
refused "a malformed number is refused" "$tmp/bad2.txt:1:37: '1.5e' is not a number" \
	segment "$tmp/bad2.txt"
printf '%s\n' $(seq 15) 0x10 >"$tmp/hex.txt"
refused "a hexadecimal float is not decimal data" "$tmp/hex.txt:16:1: '0x10' is not a number" \
	segment "$tmp/hex.txt"
refused "a missing file" "$tmp/missing.txt: No such file or directory" \
	segment "$tmp/missing.txt"
refused "a directory" "$tmp: Is a directory" segment "$tmp"
seq 15 >"$tmp/short.txt"
refused "15 samples make no window" "15 samples, a window needs 16" segment "$tmp/short.txt"
: >"$tmp/empty.txt"
refused "an empty file" "0 samples, a window needs 16" segment "$tmp/empty.txt"
refused "eps garbage" "Unable to parse eps \`0.1x': not a decimal number" \
	segment "$DATA" eps 0.1x
refused "eps negative" "eps must be > 0 and < 65536" segment "$DATA" eps -0.1
refused "eps zero" "eps must be > 0 and < 65536" segment "$DATA" eps 0
refused "eps too large" "eps must be > 0 and < 65536" segment "$DATA" eps 65536
refused "eps finer than 1e-9" "more than 9 decimals" segment "$DATA" eps 0.0000000001
refused "eps inexact for exact arithmetic" \
	"exact arithmetic needs eps * scale to be a whole number" segment "$DATA" eps 0.0015
refused "eps rounding to 0 (seed)" "eps * scale rounds to 0" \
	segment "$DATA" arith seed scale 1000 eps 0.0001
refused "scale garbage" "Unable to parse scale \`ten': not a whole number" \
	segment "$DATA" scale ten
refused "scale too large for exact" "scale must be 1..4096 (exact) or 1..16384 (seed)" \
	segment "$DATA" scale 16384
refused "scale 0" "scale must be 1..4096" segment "$DATA" scale 0
refused "arith unknown" "arith must be exact or seed" segment "$DATA" arith float
refused "encoding unknown" "encoding must be fixed or double" segment "$DATA" encoding int
refused "a keyword without its value" "\`eps' needs a value" segment "$DATA" eps
refused "an unexpected argument" "unexpected argument \`port'" segment "$DATA" port 1
refused "segment without FILE" "Usage:" segment
refused "an unknown subcommand" "Invalid subcommand: \`frobnicate'" frobnicate
refused "an unknown option" "Invalid option: \`-x'" -x segment "$DATA"

tap_end
