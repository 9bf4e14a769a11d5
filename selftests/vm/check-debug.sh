#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The module's tests under a debug kernel: KASAN, lockdep, kmemleak,
# DEBUG_ATOMIC_SLEEP, DEBUG_LIST (selftests/vm/debug.config). Builds the
# kernel from Debian's linux-source once (selftests/vm/mkkernel.sh, cached
# in DEBUG_KCACHE), boots it with segoff.ko built against it, and fails on
# any report: guest.sh scans kmemleak after rmmod and greps the log.
# Then proves that the checkers do report: selftests/vm/defect.sh.
#
#   selftests/vm/check-debug.sh [--smoke] BUILD_DIR
#
# --smoke runs only CI's share: the netlink tests (native variant), the
# netlink fuzz, lifecycle.sh and one data-path run (datapath_once.sh);
# without it, the whole VM suite.
# Environment: DEBUG_KCACHE (default /var/cache/segoff), KSRC_TAR (the
# linux-source tarball), DEBUG_REQUIRED=1 (CI's: what would be a skip,
# a missing tool, test or checker, fails instead), VM_SLOW (default 30: the debug kernel under TCG
# runs most tests 7-10 times slower than the stock one, but a program load
# about 100 times, so a test that loads it a dozen times needs more than
# 10 times its 30 s), and run.sh's.
set -eu

smoke=0
[ "${1:-}" != --smoke ] || { smoke=1; shift; }
[ $# -eq 1 ] || { echo "usage: $0 [--smoke] BUILD_DIR" >&2; exit 1; }
O=$(cd "$1" && pwd -P)
here=$(dirname "$(readlink -f "$0")")
repo=$(cd "$here/../.." && pwd -P)
cache=${DEBUG_KCACHE:-/var/cache/segoff}
tarball=${KSRC_TAR:-$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -n 1)}

required=${DEBUG_REQUIRED:-0}
skip() {
	echo "# SKIP debug kernel: $*"
	[ "$required" = 0 ] || { echo "# DEBUG_REQUIRED=1: a failure, not a skip"; exit 1; }
	exit 4
}
command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 missing (apt-get install qemu-system-x86)"
[ -n "$tarball" ] && [ -r "$tarball" ] || skip "no kernel source (apt-get install linux-source-6.1)"
for t in bison flex bc; do
	command -v $t >/dev/null || skip "$t missing (apt-get install bison flex bc libssl-dev libelf-dev)"
done

start=$(date +%s)
tree=$("$here/mkkernel.sh" "$cache" "$tarball")
echo "# debug kernel: $tree ($(($(date +%s) - start)) s)"

export VM_KDIR=$tree VM_SLOW=${VM_SLOW:-30}
# acpi=noirq: without it, ACPI's _PRT method runs into its 30 s loop
# limit on every boot of this kernel (AE_AML_LOOP_TIMEOUT); virtio-pci
# needs no INTx. no5lvl: TCG's -cpu max offers LA57, and while 6.1's
# identify_cpu() has cleared the CPU's capabilities, an interrupt's KASAN
# check takes the 5-level direct map for a wild access and panics the
# boot (seen once in a few boots, at 0.002 s).
export VM_APPEND=${VM_APPEND:-acpi=noirq no5lvl}
tests=()
if [ $smoke -eq 1 ]; then
	# A hang must end the smoke inside CI's 90 minutes, not after 900 s
	# times VM_SLOW. It took over 30 minutes on a loaded machine (load 4-9
	# on 2 cores), so this is a hang's limit, not a budget.
	export VM_TIMEOUT=${VM_TIMEOUT:-3000}
	# kselftest order, as selftests/Makefile run_tests lists them; a
	# test that is not there yet (or not built) is left out, not failed.
	for t in "$O"/selftests/segoff_nl "$O"/selftests/segoff_fuzz \
		selftests/lifecycle.sh selftests/vm/datapath_once.sh; do
		# required, ksft_runner.sh reports a missing one as not built
		case $t in
		/*) [ ! -x "$t" ] && [ "$required" = 0 ] || tests+=("$t") ;;
		*) [ ! -x "$repo/$t" ] && [ "$required" = 0 ] || tests+=("./$t") ;;
		esac
	done
fi
rc=0
start=$(date +%s)
if [ ${#tests[@]} -gt 0 ]; then
	# A program load costs tens of seconds here (segoff_nl loads its two
	# objects once, each lifecycle.sh attach one): the netlink tests'
	# native variant only, as generic XDP differs only in the attach mode.
	"$here/run.sh" "$O" SEGOFF_TEST_VARIANT=native selftests/ksft_runner.sh "${tests[@]}" ||
		rc=$?
else
	"$here/run.sh" "$O" || rc=$?
fi
[ $rc -ne 4 ] || [ "$required" = 0 ] || rc=1
echo "# debug kernel: tests took $(($(date +%s) - start)) s, status $rc"
start=$(date +%s)
VM_TIMEOUT=${VM_TIMEOUT:-600} "$here/defect.sh" "$O" || { r=$?; [ $r -eq 4 ] && [ "$required" = 0 ] || rc=1; }
echo "# debug kernel: defect check took $(($(date +%s) - start)) s"
exit $rc
