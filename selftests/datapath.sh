#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The data path through the module, native and generic XDP on a veth pair:
# every window of the stock data set goes out of veth0, comes straight
# back, and the program on veth0 writes the verdict into it.
#
#   +-- ns0 ------------------+        +-- ns1 ----------------------+
#   |  segoff-nl inject       |        |                             |
#   |  veth0  XDP: segoff     |========|  veth1  ingress: mirred     |
#   |  (held by segoff.ko)    |        |  egress redirect to veth1   |
#   +-------------------------+        +-----------------------------+
#
# The tool checks every verdict against its reference; the counters read
# over netlink must equal what was sent: 3239 windows, 778 splits with the
# exact arithmetic, 748 with the seed's (switched live with `set`).
set -e
source "$(dirname "$0")/lib.sh"
require_segoff
require_cmd tc
[ -r "$SEGOFF_DATA" ] || skip "data set $SEGOFF_DATA missing"
klog_mark

windows=3239

veth_reflector

# inject_expect SPLITS [inject args]: send the data set, no loss, no mismatch,
# and the counters grew by exactly what was sent.
inject_expect() {
	local splits=$1 before after out f
	shift
	before=$(n0 "$SEGOFF_NL" -j counters dev veth0)
	out=$(n0 "$SEGOFF_NL" -j inject dev veth0 file "$SEGOFF_DATA" "$@")
	echo "$out" | jq -c 'del(.split_windows)'
	expect "windows" $windows "$(jq .windows <<<"$out")"
	expect "splits" "$splits" "$(jq .splits <<<"$out")"
	expect "sent" $windows "$(jq .sent <<<"$out")"
	expect "received" $windows "$(jq .received <<<"$out")"
	expect "lost" 0 "$(jq .lost <<<"$out")"
	expect "mismatched" 0 "$(jq .mismatched <<<"$out")"
	after=$(n0 "$SEGOFF_NL" -j counters dev veth0)
	echo "$after"
	delta() { echo $(($(field "$after" "$1") - $(field "$before" "$1"))); }
	expect "counter windows" $windows "$(delta windows)"
	expect "counter split" "$splits" "$(delta split)"
	expect "counter nosplit" $((windows - splits)) "$(delta nosplit)"
	for f in invalid_truncated invalid_range invalid_nan; do
		expect "counter $f" 0 "$(delta $f)"
	done
	# Anything else veth0 received (IPv6 neighbour discovery) is "other".
	expect "frames = windows + other" "$(delta frames)" $((windows + $(delta other)))
}

for mode in native generic; do
	n0 "$SEGOFF_NL" attach dev veth0 mode $mode
	defer ip netns exec "$ns0" "$SEGOFF_NL" detach dev veth0
	expect "mode" $mode "$(field "$(n0 "$SEGOFF_NL" -j show dev veth0)" mode)"
	case $mode in
	native) n0 ip link show dev veth0 | grep -q 'xdp ' || fail "no native XDP on veth0" ;;
	generic) n0 ip link show dev veth0 | grep -q 'xdpgeneric' || fail "no generic XDP on veth0" ;;
	esac
	inject_expect 778

	n0 "$SEGOFF_NL" set dev veth0 arith seed
	expect "params.arith" seed "$(field "$(n0 "$SEGOFF_NL" -j show dev veth0)" params.arith)"
	expect "params.scale" 16384 "$(field "$(n0 "$SEGOFF_NL" -j show dev veth0)" params.scale)"
	inject_expect 748 arith seed

	n0 "$SEGOFF_NL" detach dev veth0
	! n0 ip link show dev veth0 | grep -q xdp || fail "veth0 still carries XDP"
done
klog_check
