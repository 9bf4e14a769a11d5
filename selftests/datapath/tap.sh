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

# The two-namespace tests: commands printed as "[+] NS0: cmd" before they
# run, and a cleanup that removes both namespaces, the private bpffs and
# tmp on any exit.
pretty() { echo "[+] $1: $2" >&2; }
n0() { pretty "NS0" "$*"; ip netns exec "$ns0" "$@"; }
n1() { pretty "NS1" "$*"; ip netns exec "$ns1" "$@"; }
netns_test_cleanup() {
	set +e
	ip netns del "$ns0" 2>/dev/null
	ip netns del "$ns1" 2>/dev/null
	umount "$SEGOFF_BPFFS" 2>/dev/null
	rm -rf "$tmp"
}
# netns_test_setup NAME, with O set: the namespaces ns0 and ns1
# (segoff-NAME0-PID, -1-), tmp, the bpffs path SEGOFF_BPFFS in it (not
# /sys/fs/bpf: ip netns exec mounts a sysfs of its own there), segoff-nl
# and the stock data (NL, DATA, WINDOWS), and the cleanup
netns_test_setup() {
	NL=$O/segoff-nl
	DATA=$PWD/data/stock_000001SZ.txt
	WINDOWS=3239
	ns0=segoff-${1}0-$$
	ns1=segoff-${1}1-$$
	tmp=$(mktemp -d)
	export SEGOFF_BPFFS=$tmp/bpffs
	trap netns_test_cleanup EXIT
	trap 'exit 1' INT TERM
}
