# SPDX-License-Identifier: GPL-2.0
# TAP for the data-path shell tests: source it, call check/ok/not_ok,
# end with tap_end (the plan, and the status).

n=0
failed=0

ok() { n=$((n + 1)); echo "ok $n $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n $*"; }
# check DESC CMD...: one test point, from CMD's status
check() {
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}
tap_end() {
	echo "1..$n"
	[ "$failed" -eq 0 ]
}
