#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The data path through the module, native and generic XDP on veth pairs:
# every window of the stock data set goes through the program, which
# writes the verdict into it.
#
#   +-- ns0 ------------------+        +-- ns1 ----------------------+
#   |  segoff-nl inject       |        |                             |
#   |  veth0  XDP native      |========|  veth1  ingress: mirred     |
#   |  (held by segoff.ko)    |        |  egress redirect to veth1   |
#   |                         |        +-----------------------------+
#   |  g0 =========== g1  XDP generic: inject dev g0 rx g1           |
#   +-------------------------+
#
# Generic XDP gets its own pair: 6.1 skips generic XDP for frames that
# act_mirred redirected (netif_receive_generic_xdp, skb_is_redirected),
# and veth keeps that mark, so reflected frames would pass unanswered.
# The tool checks every verdict against its reference; the counters read
# over netlink must equal what was sent: 3239 windows, 778 splits with the
# exact arithmetic, 748 with the seed's (switched live with `set`, and
# found by inject in the binding: on g1, the rx port, in generic mode).
set -e
source "$(dirname "$0")/lib.sh"
require_datapath

windows=3239

veth_reflector

n0 ip link add g0 type veth peer name g1
n0 ip link set g0 up
n0 ip link set g1 up

# inject_expect DEV SPLITS [inject args]: send the data set, no loss, no
# mismatch, and DEV's counters grew by exactly what was sent.
inject_expect() {
	local dev=$1 splits=$2 before after out f
	shift 2
	before=$(n0 "$SEGOFF_NL" -j counters dev "$dev")
	out=$(n0 "$SEGOFF_NL" -j inject "$@" file "$SEGOFF_DATA")
	echo "$out" | jq -c 'del(.split_windows)'
	expect "windows" $windows "$(jq .windows <<<"$out")"
	expect "splits" "$splits" "$(jq .splits <<<"$out")"
	expect "sent" $windows "$(jq .sent <<<"$out")"
	expect "received" $windows "$(jq .received <<<"$out")"
	expect "lost" 0 "$(jq .lost <<<"$out")"
	expect "mismatched" 0 "$(jq .mismatched <<<"$out")"
	after=$(n0 "$SEGOFF_NL" -j counters dev "$dev")
	echo "$after"
	delta() { echo $(($(field "$after" "$1") - $(field "$before" "$1"))); }
	expect "counter windows" $windows "$(delta windows)"
	expect "counter split" "$splits" "$(delta split)"
	expect "counter nosplit" $((windows - splits)) "$(delta nosplit)"
	for f in invalid_truncated invalid_range invalid_nan; do
		expect "counter $f" 0 "$(delta $f)"
	done
	# Anything else the device received (IPv6 neighbour discovery) is "other".
	expect "frames = windows + other" "$(delta frames)" $((windows + $(delta other)))
}

# run_mode MODE DEV FLAG INJECT-ARGS...: bind DEV in MODE, run the data set
# with both arithmetics, unbind.
run_mode() {
	local mode=$1 dev=$2 flag=$3
	shift 3
	n0 "$SEGOFF_NL" attach dev "$dev" mode "$mode"
	defer ip netns exec "$ns0" "$SEGOFF_NL" detach dev "$dev"
	expect "mode" "$mode" "$(field "$(n0 "$SEGOFF_NL" -j show dev "$dev")" mode)"
	n0 ip link show dev "$dev" | grep -q "$flag" || fail "no $mode XDP on $dev"
	inject_expect "$dev" 778 "$@"

	n0 "$SEGOFF_NL" set dev "$dev" arith seed
	show=$(n0 "$SEGOFF_NL" -j show dev "$dev")
	expect "params.arith" seed "$(field "$show" params.arith)"
	expect "params.scale" 16384 "$(field "$show" params.scale)"
	# no parameters given: inject takes the binding's, on rx where there is one
	inject_expect "$dev" 748 "$@"

	n0 "$SEGOFF_NL" detach dev "$dev"
	! n0 ip link show dev "$dev" | grep -q xdp || fail "$dev still carries XDP"
}

run_mode native veth0 'xdp ' dev veth0
run_mode generic g1 xdpgeneric dev g0 rx g1

# Bindings on both ports with different parameters: inject cannot know
# which one answers, and says so instead of guessing.
n0 "$SEGOFF_NL" attach dev g1 mode generic
defer ip netns exec "$ns0" "$SEGOFF_NL" detach dev g1
n0 "$SEGOFF_NL" attach dev g0 eps 0.2
defer ip netns exec "$ns0" "$SEGOFF_NL" detach dev g0
err=$(! n0 "$SEGOFF_NL" inject dev g0 rx g1 file "$SEGOFF_DATA" 2>&1 || false)
grep -q '^Unable to choose parameters: dev g0 and rx g1 have bindings with different ones$' \
	<<<"$err" || fail "inject with two bindings: $err"
echo "    refused: two bindings with different parameters"
n0 "$SEGOFF_NL" detach dev g0
n0 "$SEGOFF_NL" detach dev g1
klog_check
