#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Races: for STRESS_SECONDS (20), loops in parallel attach and detach,
# create and delete bound devices (veth, and netdevsim in offload mode)
# and dump bindings and counters. Commands may fail when they lose a race;
# the tool must never crash, and afterwards no binding may be left and the
# kernel log must be clean with every binding destroyed.
#
#   +-- ns0 ---------------------------------+   +-- init netns ---------+
#   |  s0 = s1     attach / detach loop      |   |  netdevsim$id port    |
#   |  tN = uN     add, attach, del loop     |   |  add, attach offload, |
#   |  show / counters dump loop             |   |  del loop, dumps      |
#   +----------------------------------------+   +-----------------------+
set -e
source "$(dirname "$0")/lib.sh"
require_segoff
klog_mark
seconds=${STRESS_SECONDS:-20}
crashes=$(mktemp)
defer rm -f "$crashes"

pp ip netns add "$ns0"
defer ip netns del "$ns0"
n0 ip link add s0 type veth peer name s1
n0 ip link set s0 up

# quiet CMD: run it, report only a crash (exit above 1: a signal, an abort).
quiet() {
	local rc=0
	"$@" >/dev/null 2>&1 || rc=$?
	[ $rc -le 1 ] || echo "exit $rc: $*" >>"$crashes"
}
in0() { quiet ip netns exec "$ns0" "$SEGOFF_NL" "$@"; }

attach_detach() {
	while [ $SECONDS -lt $end ]; do
		in0 attach dev s0 mode native
		in0 set dev s0 eps 0.2
		in0 attach dev s0 mode native eps 0.3 replace
		in0 detach dev s0
	done
}

add_bind_del() {
	local n=0
	while [ $SECONDS -lt $end ]; do
		n=$((n + 1))
		ip -n "$ns0" link add t$n type veth peer name u$n 2>/dev/null || continue
		ip -n "$ns0" link set t$n up
		in0 attach dev t$n mode native
		in0 attach dev u$n mode generic
		ip -n "$ns0" link del t$n
	done
}

offload_churn() {
	local id=$1
	while [ $SECONDS -lt $end ]; do
		echo "$id 1" >/sys/bus/netdevsim/new_device 2>/dev/null || continue
		dev=$(ls /sys/bus/netdevsim/devices/netdevsim$id/net 2>/dev/null || true)
		[ -z "$dev" ] || quiet "$SEGOFF_NL" attach dev "$dev" mode offload
		quiet "$SEGOFF_NL" -j counters
		echo "$id" >/sys/bus/netdevsim/del_device
	done
}

dumps() {
	while [ $SECONDS -lt $end ]; do
		in0 -j show
		in0 -j counters
		quiet "$SEGOFF_NL" -j counters
	done
}

end=$((SECONDS + seconds))
pids=()
attach_detach & pids+=($!)
add_bind_del & pids+=($!)
dumps & pids+=($!)
if [ -w /sys/bus/netdevsim/new_device ] || modprobe netdevsim 2>/dev/null ||
	{ [ -n "${NETDEVSIM_KO:-}" ] && insmod "$NETDEVSIM_KO" 2>/dev/null; }; then
	id=$((($$ % 1000) + 2000))
	defer "echo $id > /sys/bus/netdevsim/del_device"
	offload_churn $id & pids+=($!)
else
	echo "# netdevsim not available: no offload churn"
fi
pretty "" "attach/detach, device churn and dumps in parallel for ${seconds}s"
for p in "${pids[@]}"; do
	wait "$p"
done

if [ -s "$crashes" ]; then
	cat "$crashes"
	fail "segoff-nl crashed"
fi
n0 "$SEGOFF_NL" detach dev s0 2>/dev/null || true
pp ip netns del "$ns0"
expect "bindings left in ns0's place" 0 "$("$SEGOFF_NL" -j show | jq length)"
# Namespace teardown unregisters its devices asynchronously.
for i in $(seq 50); do
	[ "$(grep -c 'segoff: binding created' <<<"$(klog_since_mark)")" = \
		"$(grep -c 'segoff: binding destroyed' <<<"$(klog_since_mark)")" ] && break
	sleep 0.1
done
klog_check
