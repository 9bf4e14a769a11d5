#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# How a binding lives and dies: it outlives the tool, it is dropped when
# its device goes away or leaves the namespace or the module is removed,
# and each end is announced to `segoff-nl monitor` with its reason.
#
#   +-- ns0 ----------------------------------+      +-- ns1 -----------+
#   |  segoff-nl -j monitor (background)      |      |                  |
#   |  veth0  XDP: segoff  ===================|======|  veth1 reflects  |
#   |  a0 = a1    deleted while bound         |      |                  |
#   |  b0 = b1    b0 moved to ns1 while bound ----->  b0                |
#   |  c0 = c1    bound while segoff.ko goes  |      |                  |
#   +-----------------------------------------+      +------------------+
set -e
source "$(dirname "$0")/lib.sh"
require_datapath

veth_reflector
for p in a b c; do
	n0 ip link add ${p}0 type veth peer name ${p}1
	n0 ip link set ${p}0 up
	n0 ip link set ${p}1 up
done

events=$(mktemp)
defer rm -f "$events"
ip netns exec "$ns0" "$SEGOFF_NL" -j monitor >"$events" &
monitor=$!
defer kill $monitor
# No readiness signal: give the tool time to join the events group.
sleep 1
kill -0 $monitor || fail "monitor exited early"

# wait_event JQ: a monitor line after the last one matched so far makes the
# jq condition true within 5 s.
seen=0
wait_event() {
	local i n line
	for i in $(seq 50); do
		n=0
		while IFS= read -r line; do
			n=$((n + 1))
			[ $n -gt $seen ] || continue
			if jq -e "$1" <<<"$line" >/dev/null 2>&1; then
				seen=$n
				echo "    event: $line"
				return 0
			fi
		done <"$events"
		sleep 0.1
	done
	cat "$events"
	fail "no monitor event $1"
}
bound() { ip netns exec "$ns0" "$SEGOFF_NL" -j show | jq "[.[] | select(.ifname == \"$1\")] | length"; }

# The tool attaches and exits; the binding stays with the module.
n0 "$SEGOFF_NL" attach dev veth0
wait_event '.event == "attach" and .ifname == "veth0" and .mode == "native"'
expect "veth0 bound after the tool exited" 1 "$(bound veth0)"
n0 "$SEGOFF_NL" show

# A second attach is refused with the kernel's reason; replace swaps.
err=$(! n0 "$SEGOFF_NL" attach dev veth0 2>&1 || false)
echo "$err"
grep -q '^Unable to attach .*: Device or resource busy' <<<"$err" || fail "attach twice: $err"
grep -q '^kernel: .*device already has a segoff binding$' <<<"$err" ||
	fail "attach twice: no extack message"
n0 "$SEGOFF_NL" attach dev veth0 eps 0.2 replace
wait_event '.event == "detach" and .ifname == "veth0" and .reason == "request"'
expect "eps after replace" 0.2 "$(field "$(n0 "$SEGOFF_NL" -j show dev veth0)" params.eps)"
# A replacement keeps the XDP mode: the kernel cannot swap across modes.
err=$(! n0 "$SEGOFF_NL" attach dev veth0 mode generic replace 2>&1 || false)
grep -q '^kernel: .*replace cannot switch between native and generic$' <<<"$err" ||
	fail "replace across modes: $err"

# Detaching what is not bound is an error.
err=$(! n0 "$SEGOFF_NL" detach dev a1 2>&1 || false)
echo "$err"
grep -q '^kernel: .*device has no segoff binding$' <<<"$err" || fail "detach unbound: $err"
! n0 "$SEGOFF_NL" detach dev nosuchdev || false

# Live parameters: verdicts follow `set` at once. The reference count for
# eps 0.5 comes from the tool's own segmentation of the data set.
n0 "$SEGOFF_NL" set dev veth0 eps 0.5
expect "params.eps" 0.5 "$(field "$(n0 "$SEGOFF_NL" -j show dev veth0)" params.eps)"
splits=$("$SEGOFF_NL" -j segment "$SEGOFF_DATA" eps 0.5 | jq .splits)
before=$(field "$(n0 "$SEGOFF_NL" -j counters dev veth0)" split)
n0 "$SEGOFF_NL" -j inject dev veth0 file "$SEGOFF_DATA" eps 0.5 | jq -c 'del(.split_windows)'
after=$(field "$(n0 "$SEGOFF_NL" -j counters dev veth0)" split)
expect "splits at eps 0.5" "$splits" $((after - before))
# The device no longer answers with eps 0.1: checked against that, the
# tool must see mismatches.
out=$(! n0 "$SEGOFF_NL" -j inject dev veth0 file "$SEGOFF_DATA" eps 0.1 || false)
[ "$(jq .mismatched <<<"$out")" -gt 0 ] || fail "no mismatch against eps 0.1: $out"
n0 "$SEGOFF_NL" detach dev veth0
wait_event '.event == "detach" and .ifname == "veth0" and .reason == "request"'

# The device goes away while bound.
n0 "$SEGOFF_NL" attach dev a0
n0 ip link del a0
wait_event '.event == "detach" and .ifname == "a0" and .reason == "dev-gone"'
expect "a0 bindings" 0 "$(bound a0)"

# The device leaves the namespace while bound.
n0 "$SEGOFF_NL" attach dev b0
n0 ip link set b0 netns "$ns1"
wait_event '.event == "detach" and .ifname == "b0" and .reason == "netns"'
expect "b0 bindings in ns0" 0 "$(bound b0)"
expect "b0 bindings in ns1" 0 "$(ip netns exec "$ns1" "$SEGOFF_NL" -j show | jq length)"
! n1 ip link show dev b0 | grep -q xdp || fail "b0 kept its XDP program in ns1"

# The module goes while bound: clean unload, then it loads again.
n0 "$SEGOFF_NL" attach dev c0
defer load_segoff
pp rmmod segoff
wait_event '.event == "detach" and .ifname == "c0" and .reason == "unload"'
! n0 ip link show dev c0 | grep -q xdp || fail "c0 kept its XDP program after rmmod"
pp load_segoff
n0 "$SEGOFF_NL" attach dev c0
expect "c0 bound after reload" 1 "$(bound c0)"
n0 "$SEGOFF_NL" detach dev c0
klog_check
