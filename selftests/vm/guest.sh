#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs inside the VM, chrooted into the host root: loads what the tests
# need, runs the command the host wrote into CMDFILE, then checks the
# kernel log. Usage: guest.sh BUILD_DIR CMDFILE. Its exit status is the
# command's, or 1 when the kernel log shows a problem.
set -u
O=$1 cmdfile=$2
repo=$(cd "$(dirname "$0")/../.." && pwd)
export PATH=$O:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=dumb LC_ALL=C.UTF-8
# Tests find the pieces through these, as they would in a kernel tree.
# A kernel other than the stock one (run.sh's VM_KDIR) has its modules in
# segoff_kodir (from the kernel command line) and netdevsim built in.
export SEGOFF_BUILD=$O SEGOFF_KO=$repo/kmod/segoff.ko
export NETDEVSIM_KO=$O/vm/netdevsim.ko
if [ -n "${segoff_kodir:-}" ]; then
	SEGOFF_KO=$segoff_kodir/segoff.ko NETDEVSIM_KO=
	export NFP_STUB_KO=$segoff_kodir/nfp_stub.ko
fi
# How much slower than the stock kernel this one runs the tests: the
# kselftest harness (selftests/ksft_slow.h) and ksft_runner.sh scale
# their time limits by it.
export SEGOFF_SLOW=${segoff_slow:-1}

cd "$repo"
# A WARN must end the run, not scroll by: the host sees no status marker.
sysctl -qw kernel.panic_on_warn=1
ip link set lo up

# A kernel with no modules on the host (check-debug's) has psample and
# netdevsim built in.
[ ! -d "/lib/modules/$(uname -r)" ] || modprobe psample
[ ! -f "$NETDEVSIM_KO" ] || insmod "$NETDEVSIM_KO" || echo "# guest: cannot load netdevsim"
# The module logs "binding created" and "binding destroyed": paired below.
if [ "${segoff_kmod:-1}" != 0 ] && [ -f "$SEGOFF_KO" ]; then
	insmod "$SEGOFF_KO" || echo "# guest: cannot load $SEGOFF_KO"
fi

bash "$cmdfile"
rc=$?

# Unloading tears down whatever a test left bound: every binding the
# module created must then have been destroyed.
if grep -q '^segoff ' /proc/modules && ! rmmod segoff; then
	echo "# guest: rmmod segoff failed"
	rc=1
fi
# Under kmemleak (check-debug's kernel), what the tests and the unload
# left unreferenced. Two scans: an object whose contents changed since the
# previous scan is not reported yet, and a fresh one has no previous scan.
kmemleak=/sys/kernel/debug/kmemleak
if [ -w "$kmemleak" ]; then
	echo scan >"$kmemleak"
	echo scan >"$kmemleak"
	leaks=$(cat "$kmemleak")
	if [ -n "$leaks" ]; then
		echo "# guest: kmemleak reports unreferenced objects:"
		sed 's/^/# /' <<<"$leaks"
		rc=1
	fi
fi
log=$(dmesg)
# Every report of KASAN, lockdep, DEBUG_ATOMIC_SLEEP, DEBUG_LIST and
# kmemleak, not their boot banners ("Kernel memory leak detector
# initialized").
bad=$(grep -E 'WARNING:|BUG:|Oops|general protection|KASAN|UBSAN|suspected memory leak|unreferenced object|list_[a-z_]* corruption|turning off the locking correctness validator' <<<"$log")
if [ -n "$bad" ]; then
	echo "# guest: kernel log shows a problem:"
	sed 's/^/# /' <<<"$bad"
	rc=1
fi
created=$(grep -c 'segoff: binding created' <<<"$log")
destroyed=$(grep -c 'segoff: binding destroyed' <<<"$log")
if [ "$created" -ne "$destroyed" ]; then
	echo "# guest: $created bindings created but $destroyed destroyed"
	rc=1
fi
exit "$rc"
