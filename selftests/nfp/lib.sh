#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Helpers for the tests of the nfp driver's offload code: the stub card
# (nfp_stub.ko, selftests/nfp/stub.c), its firmware values and its map
# table. Source it after ../lib.sh.

_nfp_build=${SEGOFF_BUILD:-$SELFTESTS_DIR/../build}
NFP_STUB_KO=${NFP_STUB_KO:-$_nfp_build/vm/nfp_stub.ko}
NFP_HELPER=${NFP_HELPER:-$_nfp_build/selftests/nfp/nfp_helper}
nfps_dbg=/sys/kernel/debug/nfp_stub
nfps_par=/sys/module/nfp_stub/parameters

# Loads the stub unless it is loaded, and unloads it again at exit.
require_nfp_stub() {
	require_cmd "$SEGOFF_NL" jq bpftool
	[ -x "$NFP_HELPER" ] || skip "$NFP_HELPER not built (make)"
	if [ ! -d /sys/module/nfp_stub ]; then
		[ -f "$NFP_STUB_KO" ] || skip "$NFP_STUB_KO not built (make nfp-stub)"
		pp insmod "$NFP_STUB_KO" || skip "cannot load $NFP_STUB_KO"
		defer rmmod nfp_stub
	fi
	[ -w "$nfps_dbg/new_device" ] || skip "$nfps_dbg missing: is debugfs mounted?"
}

# nfps_new ID [PARAM=VALUE ...]: a stub card with one netdev, nfps$ID, in
# nfps_dev; its firmware has the values given and the Agilio CX profile
# otherwise. The module's parameters are put back at once: they only
# matter when a card is created. Not in $(): defer must reach the trap.
nfps_new() {
	local id=$1 kv k rc=0 old=()
	shift
	for kv; do
		k=${kv%%=*}
		old+=("$k=$(<"$nfps_par/$k")")
		echo "${kv#*=}" >"$nfps_par/$k"
	done
	pretty "" "echo $id > $nfps_dbg/new_device${*:+   # firmware: $*}"
	echo "$id" >"$nfps_dbg/new_device" || rc=$?
	for kv in "${old[@]}"; do
		echo "${kv#*=}" >"$nfps_par/${kv%%=*}"
	done
	[ "$rc" -eq 0 ] || fail "cannot create stub card $id"
	defer "echo $id > $nfps_dbg/del_device"
	nfps_dev=nfps$id
	nfps_dir=$nfps_dbg/$id
}

# nfps_entry ID MAP_ID KEY: the value the card's table holds, in hex
nfps_entry() {
	awk -v m="$2" -v k="$3" '$1 == "entry" && $3 == m && $5 == k { print $7 }' \
		"$nfps_dbg/$1/maps"
}

# nfps_prog ID FIELD: one figure of the last program offered to card ID
nfps_prog() {
	awk -v f="$2" '$1 == f { print $2 }' "$nfps_dbg/$1/prog"
}
