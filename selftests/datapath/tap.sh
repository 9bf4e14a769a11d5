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

# private_netns_test SELF ARGS...: skips without root (exit 4), else goes
# on in a mount namespace of our own, so that no bpffs mount of the test
# can outlive it (not /sys/fs/bpf: `ip netns exec` mounts a new /sys for
# every command, and pins there would die with each one)
private_netns_test() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "${0##*/}: needs root (network namespaces, XDP)" >&2
		exit 4
	fi
	if [ -z "${SEGOFF_PRIVATE_MNTNS:-}" ]; then
		SEGOFF_PRIVATE_MNTNS=1 exec unshare -m --propagation private "$@"
	fi
}
