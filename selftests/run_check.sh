#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs every test and ends with "N passed, N failed, N skipped".
# A test is a program that prints TAP (each "ok"/"not ok" line counts,
# "# SKIP" marks a skip) or, printing none, is judged by its exit code:
# 0 pass, 4 skip (kselftest), anything else fail.
# CHECK_DEBUG=smoke or full adds the module's tests under the debug kernel
# (selftests/vm/check-debug.sh: CI's smoke, or the whole VM suite);
# CHECK_STOCK=0 leaves out everything else.
set -u
O=${1:-build}
cd "$(dirname "$0")/.."
pass=0 fail=0 skip=0 failed=()
log=$(mktemp)
trap 'rm -f "$log"' EXIT

run() {
	local name=$1 out rc p f s
	shift
	echo "=== $name"
	# the test's own status, not tee's; >&2 rather than tee /dev/stderr,
	# which would truncate a log file that stderr points to
	"$@" 2>&1 | tee "$log" >&2
	rc=${PIPESTATUS[0]}
	out=$(<"$log")
	p=$(grep -E '^ok [0-9]+' <<<"$out" | grep -vc '# SKIP')
	s=$(grep -E '^ok [0-9]+' <<<"$out" | grep -c '# SKIP')
	f=$(grep -Ec '^not ok [0-9]+' <<<"$out")
	if [ $((p + f + s)) -eq 0 ]; then
		case $rc in
		0) p=1 ;;
		4) s=1 ;;
		*) f=1 ;;
		esac
	elif [ "$rc" -ne 0 ] && [ "$rc" -ne 4 ] && [ "$f" -eq 0 ]; then
		f=1	# crashed or failed after its last TAP line
	fi
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
	[ "$f" -eq 0 ] || failed+=("$name")
}

if [ "${CHECK_STOCK:-1}" != 0 ]; then
	for t in "$O"/selftests/datapath/*; do
		[ -x "$t" ] && run "datapath/${t##*/}" "$t"
	done
	for t in selftests/datapath/*.sh; do
		[ -x "$t" ] && run "datapath/${t##*/}" "$t" "$O"
	done
	if [ -x selftests/vm/run.sh ]; then
		run vm/paths selftests/vm/paths.sh "$O"
		run vm selftests/vm/run.sh "$O"
	fi
fi
case ${CHECK_DEBUG:-} in
'') ;;
smoke) run vm-debug selftests/vm/check-debug.sh --smoke "$O" ;;
full) run vm-debug selftests/vm/check-debug.sh "$O" ;;
*) echo "CHECK_DEBUG must be smoke or full" >&2; exit 1 ;;
esac

[ ${#failed[@]} -eq 0 ] || echo "failed: ${failed[*]}"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
