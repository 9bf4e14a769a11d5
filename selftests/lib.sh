#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Helpers for the module's shell tests (WireGuard netns.sh style). Source it
# after `set -e`: every command is printed as "[+] NS0: cmd" before it runs,
# undo steps are registered with `defer` and run in reverse on any exit,
# and missing prerequisites end the test with kselftest's skip code 4.

ksft_skip=4
SEGOFF_NL=${SEGOFF_NL:-segoff-nl}
SELFTESTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SEGOFF_DATA=${SEGOFF_DATA:-$SELFTESTS_DIR/../data/stock_000001SZ.txt}
# Names unique to this run, so parallel or leftover runs never collide.
ns0=segoff-$$-0
ns1=segoff-$$-1

skip() {
	echo "SKIP: $*"
	exit $ksft_skip
}

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# Commands print on fd 3, the test's stdout, so $(pp cmd) captures only cmd.
exec 3>&1
pretty() { echo "[+] ${1:+NS$1: }$2" >&3; }
pp() { pretty "" "$*"; "$@"; }
n0() { pretty 0 "$*"; ip netns exec "$ns0" "$@"; }
n1() { pretty 1 "$*"; ip netns exec "$ns1" "$@"; }

# Undo steps, newest first; each runs even if an earlier one fails.
_deferred=()
defer() { _deferred=("$*" "${_deferred[@]}"); }
_run_deferred() {
	local rc=$? step
	set +e
	for step in "${_deferred[@]}"; do
		eval "$step" >/dev/null 2>&1
	done
	exit $rc
}
trap _run_deferred EXIT

require_cmd() {
	local c
	for c; do
		command -v "$c" >/dev/null || skip "$c not found"
	done
}

# segoff.ko: already loaded (the VM runner loads it), else $SEGOFF_KO,
# else modprobe. Tests that unload it reload it the same way.
load_segoff() {
	[ -d /sys/module/segoff ] && return 0
	if [ -n "${SEGOFF_KO:-}" ] && [ -f "$SEGOFF_KO" ]; then
		insmod "$SEGOFF_KO"
	else
		modprobe segoff 2>/dev/null
	fi
}

require_segoff() {
	require_cmd "$SEGOFF_NL" ip jq
	load_segoff || skip "segoff.ko cannot be loaded (set SEGOFF_KO)"
}

require_netdevsim() {
	[ -d /sys/bus/netdevsim ] || modprobe netdevsim 2>/dev/null ||
		{ [ -n "${NETDEVSIM_KO:-}" ] && insmod "$NETDEVSIM_KO"; } ||
		skip "netdevsim is not available"
	[ -w /sys/bus/netdevsim/new_device ] || skip "netdevsim is not available"
}

# nsim_new ID: one netdevsim device with one port, in this namespace;
# sets nsim_dev to the port's netdev. Not in $(): defer must reach the trap.
nsim_new() {
	local id=$1 dir=/sys/bus/netdevsim/devices/netdevsim$1/net i
	pretty "" "echo \"$id 1\" > /sys/bus/netdevsim/new_device"
	echo "$id 1" >/sys/bus/netdevsim/new_device
	defer "echo $id > /sys/bus/netdevsim/del_device"
	for i in $(seq 50); do
		nsim_dev=$(ls "$dir" 2>/dev/null || true)
		[ -z "$nsim_dev" ] || return 0
		sleep 0.1
	done
	fail "netdevsim$id created no netdev"
}

nsim_del() {
	pretty "" "echo \"$1\" > /sys/bus/netdevsim/del_device"
	echo "$1" >/sys/bus/netdevsim/del_device
}

# Two namespaces joined by a veth pair; veth1 sends every frame it
# receives straight back, so what veth0 sends comes back to veth0.
veth_reflector() {
	pp ip netns add "$ns0"
	defer ip netns del "$ns0"
	pp ip netns add "$ns1"
	defer ip netns del "$ns1"
	n0 ip link add veth0 type veth peer name veth1 netns "$ns1"
	n0 ip link set veth0 up
	n1 ip link set veth1 up
	n0 ip link set lo up
	n1 tc qdisc add dev veth1 clsact
	n1 tc filter add dev veth1 ingress protocol all u32 match u32 0 0 \
		action mirred egress redirect dev veth1
}

# expect NAME EXPECTED ACTUAL: an exact assertion with a readable failure.
expect() {
	[ "$2" = "$3" ] || fail "$1: expected $2, got $3"
	echo "    $1 = $3"
}

# counter JSON FIELD: one field of the single object `counters -j` printed.
field() { jq -er ".[0].$2" <<<"$1"; }

# expect_offloaded DEV: DEV's one binding is offloaded, its program and
# both maps bound to DEV; sets prog, cfg and cnt to their ids.
expect_offloaded() {
	local dev=$1 show m
	show=$(pp "$SEGOFF_NL" -j show dev "$dev")
	echo "$show"
	expect "bindings" 1 "$(jq length <<<"$show")"
	expect "mode" offload "$(field "$show" mode)"
	expect "ifname" "$dev" "$(field "$show" ifname)"
	prog=$(field "$show" prog_id)
	cfg=$(field "$show" config_map_id)
	cnt=$(field "$show" counters_map_id)
	pp bpftool prog show id "$prog"
	expect "program offloaded_to" "$dev" "$(bpftool -j prog show id "$prog" | jq -r .dev.ifname)"
	for m in "$cfg" "$cnt"; do
		pp bpftool map show id "$m"
		expect "map $m offloaded_to" "$dev" "$(bpftool -j map show id "$m" | jq -r .dev.ifname)"
	done
}

# Kernel-log window for this test: lines logged since klog_mark.
klog_mark() {
	_klog_tag="segoff selftest $$ ${0##*/} start"
	echo "$_klog_tag" >/dev/kmsg
}
klog_since_mark() { dmesg | sed -n "/$_klog_tag/,\$p"; }

# The preamble of the tests that send the data set through a veth pair.
require_datapath() {
	require_segoff
	require_cmd tc
	[ -r "$SEGOFF_DATA" ] || skip "data set $SEGOFF_DATA missing"
	klog_mark
}

# The kernel log since klog_mark holds no warning and pairs every binding.
klog_check() {
	local log bad c d
	log=$(klog_since_mark)
	bad=$(grep -E 'WARNING:|BUG:|Oops|general protection|KASAN|UBSAN|leak' <<<"$log" || true)
	[ -z "$bad" ] || fail "kernel log: $bad"
	c=$(grep -c 'segoff: binding created' <<<"$log" || true)
	d=$(grep -c 'segoff: binding destroyed' <<<"$log" || true)
	[ "$c" = "$d" ] || fail "kernel log: $c bindings created, $d destroyed"
	echo "    kernel log clean, $c bindings created and destroyed"
}
