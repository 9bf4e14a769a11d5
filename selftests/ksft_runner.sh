#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The standalone stand-in for the kernel's kselftest runner: runs each test
# with a time limit and reports it as one TAP line, the test's own output
# indented as "# " comments. Exit 4 from a test is a skip (kselftest).
# Usage: ksft_runner.sh TEST...   Exit: 1 if any test failed.
# The limit is KSFT_TIMEOUT seconds, by default 300 times SEGOFF_SLOW (how
# many times slower than the stock kernel this one runs the tests).
set -u
timeout=${KSFT_TIMEOUT:-$((300 * ${SEGOFF_SLOW:-1}))}
echo "TAP version 13"
echo "1..$#"
n=0 rc=0
for t; do
	n=$((n + 1))
	name="selftests: segoff: ${t##*/}"
	echo "# $name"
	if [ ! -x "$t" ]; then
		echo "not ok $n $name # not built: $t"
		rc=1
		continue
	fi
	timeout -k 5 "$timeout" "$t" 2>&1 | sed -u 's/^/# /'
	r=${PIPESTATUS[0]}
	case $r in
	0) echo "ok $n $name" ;;
	4) echo "ok $n $name # SKIP" ;;
	124) echo "not ok $n $name # TIMEOUT ${timeout}s"; rc=1 ;;
	*) echo "not ok $n $name # exit=$r"; rc=1 ;;
	esac
done
exit $rc
