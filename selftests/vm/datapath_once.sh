#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The debug smoke's data-path run (check-debug.sh --smoke): the data set
# once through a native binding of segoff.ko, where datapath.sh sends it
# four times (native and generic, both arithmetics), each a few minutes
# under the debug kernel. The tool checks every verdict; the counters
# read over netlink must equal what was sent.
#
#   +-- ns0 ------------------+        +-- ns1 ----------------------+
#   |  segoff-nl inject       |        |                             |
#   |  veth0  XDP native      |========|  veth1  ingress: mirred     |
#   |  (held by segoff.ko)    |        |  egress redirect to veth1   |
#   +-------------------------+        +-----------------------------+
set -e
source "$(dirname "$0")/../lib.sh"
require_datapath

windows=3239 splits=778
veth_reflector
n0 "$SEGOFF_NL" attach dev veth0
defer ip netns exec "$ns0" "$SEGOFF_NL" detach dev veth0
out=$(n0 "$SEGOFF_NL" -j inject dev veth0 file "$SEGOFF_DATA")
echo "$out" | jq -c 'del(.split_windows)'
expect "windows" $windows "$(jq .windows <<<"$out")"
expect "splits" $splits "$(jq .splits <<<"$out")"
expect "received" $windows "$(jq .received <<<"$out")"
expect "mismatched" 0 "$(jq .mismatched <<<"$out")"
counters=$(n0 "$SEGOFF_NL" -j counters dev veth0)
expect "counter windows" $windows "$(field "$counters" windows)"
expect "counter split" $splits "$(field "$counters" split)"
expect "counter nosplit" $((windows - splits)) "$(field "$counters" nosplit)"
n0 "$SEGOFF_NL" detach dev veth0
klog_check
