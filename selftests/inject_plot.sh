#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `segoff-nl inject ... plot OUT.svg` draws the verdicts that came back
# through the data path: for the stock data set it is segment's picture
# of the reference, line for line, but for the title that says how the
# windows travelled.
#
#   +-- ns0 ------------------------------+        +-- ns1 ----------+
#   |  segoff-nl inject ... plot OUT.svg  |        |                 |
#   |  veth0  XDP native (segoff.ko)      |========|  veth1 reflects |
#   +-------------------------------------+        +-----------------+
set -e
source "$(dirname "$0")/lib.sh"
require_datapath
require_cmd gnuplot

veth_reflector
n0 "$SEGOFF_NL" attach dev veth0 mode native
defer ip netns exec "$ns0" "$SEGOFF_NL" detach dev veth0
tmp=$(mktemp -d)
defer rm -rf "$tmp"
name=${SEGOFF_DATA##*/}

# same_picture ARITH SPLITS: inject's and segment's SVGs differ in the title only
same_picture() {
	local arith=$1 splits=$2 inj=$tmp/inject-$1.svg seg=$tmp/segment-$1.svg
	n0 "$SEGOFF_NL" inject dev veth0 file "$SEGOFF_DATA" plot "$inj" | tail -n 2
	pp "$SEGOFF_NL" segment "$SEGOFF_DATA" arith "$arith" plot "$seg" >/dev/null
	grep -qF "<text>$name through veth0: $splits cuts in 3239 windows" "$inj" ||
		fail "$arith: inject's title does not say $splits cuts through veth0"
	grep -qF "<text>cuts ($splits)</text>" "$inj" || fail "$arith: legend without $splits cuts"
	! grep -q 'without a verdict' "$inj" || fail "$arith: windows without a verdict drawn"
	# files, not <(...): the guest's devtmpfs has no /dev/fd
	grep -v "<text>$name through veth0: " "$inj" >"$inj.body"
	grep -v "<text>$name: " "$seg" >"$seg.body"
	diff "$inj.body" "$seg.body" >&2 || fail "$arith: the pictures differ"
	echo "    $arith: $splits cuts drawn, as segment draws them"
}
# One run: every frame costs under TCG, and the other arithmetic draws
# through the same code (plot.sh draws both from segment).
same_picture exact 778

n0 "$SEGOFF_NL" detach dev veth0
klog_check
