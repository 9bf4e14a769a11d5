#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The debug kernel's checkers must fail a run that has a defect, or their
# silence proves nothing. With segoff.ko's test-only knob
# fault_leak_binding (kmod/fault.c) on, one binding is attached to a veth
# and detached, so its object is never freed; the run must then fail with
# kmemleak's report of an unreferenced object.
#
#   VM_KDIR=TREE selftests/vm/defect.sh BUILD_DIR
#
# Only under a kernel with kmemleak (check-debug.sh sets VM_KDIR to one);
# exit 4 (skip) without one. Prints one TAP line.
set -eu
[ $# -eq 1 ] || { echo "usage: VM_KDIR=TREE $0 BUILD_DIR" >&2; exit 1; }
here=$(dirname "$(readlink -f "$0")")
name="the debug kernel reports a deliberately leaked binding"
[ -n "${VM_KDIR:-}" ] && grep -qx 'CONFIG_DEBUG_KMEMLEAK=y' "$VM_KDIR/.config" 2>/dev/null ||
	{ echo "ok 1 $name # SKIP not a kmemleak kernel (set VM_KDIR)"; exit 4; }

# The sleep: kmemleak reports only objects older than 5 s at its scan.
cmd='set -e
echo Y >/sys/module/segoff/parameters/fault_leak_binding
ip link add sdefect0 type veth peer name sdefect1
ip link set sdefect0 up
ip link set sdefect1 up
segoff-nl attach dev sdefect0
segoff-nl detach dev sdefect0
ip link del sdefect0
sleep 6'
set +e
output=$("$here/run.sh" "$1" "$cmd" 2>&1)
rc=$?
set -e
if [ $rc -eq 4 ]; then
	echo "ok 1 $name # SKIP $(tail -n 1 <<<"$output")"
	exit 4
fi
if [ $rc -ne 0 ] && grep -q '^# unreferenced object' <<<"$output"; then
	grep -A 3 '^# unreferenced object' <<<"$output" | head -n 8 | sed 's/^/# /'
	echo "ok 1 $name"
	exit 0
fi
tail -n 40 <<<"$output" | sed 's/^/# /'
echo "not ok 1 $name # run.sh exit $rc, no kmemleak report"
exit 1
