#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The offload control path on a netdevsim port: netdevsim verifies and
# binds the program and its maps like a SmartNIC would, but runs nothing.
#
#   +-- init netns ---------------------------------+
#   |  netdevsim$id  port $nsim_dev                 |
#   |    XDP (offload): segoff.bpf.o, bound maps    |
#   |    held by segoff.ko as a BPF link            |
#   +-----------------------------------------------+
#
# attach -> bpftool shows the program offloaded_to the port and both maps
# bound to it; counters over netlink all 0; detach -> nothing left.
set -e
source "$(dirname "$0")/lib.sh"
require_segoff
require_netdevsim
require_cmd bpftool
klog_mark

nsim_new $((($$ % 1000) + 1000))
dev=$nsim_dev
ip link set dev "$dev" up

pp "$SEGOFF_NL" attach dev "$dev" mode offload
defer "$SEGOFF_NL" detach dev "$dev"
expect_offloaded "$dev"
pp ip link show dev "$dev" | grep -q 'xdpoffload' || fail "$dev shows no offloaded XDP program"

counters=$(pp "$SEGOFF_NL" -j counters dev "$dev")
echo "$counters"
for f in frames windows split nosplit invalid_truncated invalid_range invalid_nan other; do
	expect "$f" 0 "$(field "$counters" $f)"
done

# A second binding on the same port is refused; offload needs a device
# that can take it.
! pp "$SEGOFF_NL" attach dev "$dev" mode offload || false
! pp "$SEGOFF_NL" attach dev lo mode offload || false

pp "$SEGOFF_NL" detach dev "$dev"
expect "bindings after detach" 0 "$("$SEGOFF_NL" -j show | jq length)"
if ip link show dev "$dev" | grep -q xdp; then
	fail "$dev still carries an XDP program"
fi
# The module held the last references: program and maps go with the link
# (freed after an RCU grace period, hence the wait).
for i in $(seq 20); do
	bpftool prog show id "$prog" >/dev/null 2>&1 || break
	sleep 0.1
done
! bpftool prog show id "$prog" >/dev/null 2>&1 || fail "program $prog outlived its binding"
klog_check
