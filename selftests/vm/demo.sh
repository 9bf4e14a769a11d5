#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make demo`, inside the VM (run.sh with SEGOFF_KMOD=0): load segoff.ko,
# bind the program offloaded to a netdevsim port and native, reply tx, to
# the far end of a veth pair, which answers every window back to the
# sender (no reflector), push the stock data set through it, print a summary of the
# cuts (the first five; -v lists every one) and the counters the module
# reports over netlink, unload. make demo then draws the cuts.
#
#   init netns: netdevsim port (XDP offload: bound program and maps)
#   ns0: veth0 (inject) ========= ns1: veth1 (XDP native, reply tx: XDP_TX)
set -e
source "$(dirname "$0")/../lib.sh"
require_cmd "$SEGOFF_NL" bpftool tc jq
[ -f "$SEGOFF_KO" ] || fail "$SEGOFF_KO not built (make kmod)"
[ -r "$SEGOFF_DATA" ] || fail "data set $SEGOFF_DATA missing"

echo "== segoff.ko"
pp insmod "$SEGOFF_KO"
defer rmmod segoff

echo "== offload: a netdevsim port stands in for the SmartNIC"
require_netdevsim
nsim_new 1
pp ip link set dev "$nsim_dev" up
pp "$SEGOFF_NL" attach dev "$nsim_dev" mode offload
defer "$SEGOFF_NL" detach dev "$nsim_dev"
pp bpftool prog show id "$("$SEGOFF_NL" -j show dev "$nsim_dev" | jq '.[0].prog_id')"

echo "== native: a veth pair, the far end answers every window itself"
pp ip netns add "$ns0"
defer ip netns del "$ns0"
pp ip netns add "$ns1"
defer ip netns del "$ns1"
n0 ip link add veth0 type veth peer name veth1 netns "$ns1"
# veth hands an XDP_TX frame to a peer that runs XDP or has GRO on
n0 ethtool -K veth0 gro on
n0 ip link set veth0 up
n1 ip link set veth1 up
n1 "$SEGOFF_NL" attach dev veth1 mode native reply tx
defer ip netns exec "$ns1" "$SEGOFF_NL" detach dev veth1
n0 "$SEGOFF_NL" inject dev veth0 file "$SEGOFF_DATA"

echo "== bindings and counters, read over netlink"
pp "$SEGOFF_NL" show
pp "$SEGOFF_NL" counters
n1 "$SEGOFF_NL" show
n1 "$SEGOFF_NL" counters
