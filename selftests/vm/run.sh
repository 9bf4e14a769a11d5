#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boots Debian's 6.1 kernel (or another, see VM_KDIR) under QEMU with the
# host root shared read-only, runs CMD inside (default: the kselftest
# suite, selftests/Makefile run_tests), streams the serial console and
# exits with CMD's status.
#
#   selftests/vm/run.sh BUILD_DIR [CMD ...]
#
# CMD's words are joined and run by bash in the repository root, as ssh
# does: `run.sh build 'uname -r; ip link'`. $BUILD_DIR is on PATH, so
# segoff-nl needs no path. The checkout and BUILD_DIR may be anywhere,
# under /tmp or /root too. Environment:
#   VM_TIMEOUT   seconds before the VM is declared hung (default 900 x VM_SLOW)
#   VM_SLOW      how many times slower than the stock kernel the guest
#                runs the tests (default 1): scales VM_TIMEOUT and, in
#                the guest as SEGOFF_SLOW, the tests' own time limits
#   SEGOFF_KMOD  0: neither build nor insmod kmod/segoff.ko (default 1)
#   KVER         guest kernel (default: newest -amd64 in /lib/modules)
#   VM_KDIR      another kernel's build tree (check-debug's): the modules
#                are built against it into BUILD_DIR/vm/KERNELRELEASE/,
#                the kernel is its bzImage, the initramfs loads no modules
#                (the kernel must have virtio-pci, 9p and netdevsim built in)
#   VM_KERNEL    the kernel image (default /boot/vmlinuz-$KVER, or VM_KDIR's)
#   VM_INITRD    the initramfs (default: built by `make vm-prereqs`)
#   VM_ACCEL     tcg (default) or kvm
#   VM_APPEND    more kernel command-line arguments
# Exit: CMD's status; 1 when the VM panicked, hung, logged a kernel
# warning or unpaired bindings, or never reported a status.
set -eu

usage() {
	echo "usage: $0 BUILD_DIR [CMD ...]" >&2
	exit 1
}
[ $# -ge 1 ] || usage
[ -d "$1" ] || { echo "$0: build directory $1 does not exist" >&2; exit 1; }
# Physical paths: the guest sees the host's directories, not its symlinks.
O=$(cd "$1" && pwd -P)
shift
repo=$(cd "$(dirname "$0")/../.." && pwd -P)
case "$O$repo" in
*[[:space:]]*) echo "$0: paths with spaces cannot cross the kernel command line" >&2; exit 1 ;;
esac
slow=${VM_SLOW:-1}
case $slow in
'' | *[!0-9]* | 0) echo "$0: VM_SLOW must be a positive integer" >&2; exit 1 ;;
esac
timeout=${VM_TIMEOUT:-$((900 * slow))}
kmod=${SEGOFF_KMOD:-1}

skip() {
	echo "# SKIP VM: $*"
	exit 4
}
command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 missing (apt-get install qemu-system-x86)"

# Kernel, initramfs, netdevsim and segoff.ko: make knows what is out of
# date. O, KVER and VM_KDIR travel in the environment: on the command
# line, make would hand O= on to Kbuild, which reads it as its own output
# directory.
if [ -n "${VM_KDIR:-}" ]; then
	[ -f "$VM_KDIR/include/config/kernel.release" ] ||
		skip "$VM_KDIR is not a built kernel tree (no include/config/kernel.release)"
	release=$(<"$VM_KDIR/include/config/kernel.release")
	kernel=${VM_KERNEL:-$VM_KDIR/arch/x86/boot/bzImage}
	initrd=${VM_INITRD:-$O/vm/initramfs-builtin.cpio.gz}
	kodir=$O/vm/$release
	[ -r "$kernel" ] || skip "no readable guest kernel $kernel"
	O=$O VM_KDIR=$VM_KDIR SEGOFF_KMOD=$kmod \
		make -s --no-print-directory -C "$repo" vm-prereqs-kdir >&2
else
	KVER=${KVER:-$(ls /lib/modules 2>/dev/null | grep -- '-amd64$' | sort -V | tail -n 1)}
	kernel=${VM_KERNEL:-/boot/vmlinuz-$KVER}
	initrd=${VM_INITRD:-$O/vm/initramfs.cpio.gz}
	kodir=
	[ -n "$KVER" ] && [ -r "$kernel" ] || skip "no readable guest kernel (apt-get install linux-image-amd64)"
	O=$O KVER=$KVER SEGOFF_KMOD=$kmod make -s --no-print-directory -C "$repo" vm-prereqs >&2
fi

if [ $# -eq 0 ]; then
	set -- make -s --no-print-directory -C selftests run_tests OUTPUT="$O/selftests"
fi
vm=$O/vm
cmdfile=$(mktemp "$vm/cmd.XXXXXX")
log=$(mktemp "$vm/console.XXXXXX")
trap 'rm -f "$cmdfile" "$log"' EXIT
echo "$*" >"$cmdfile"

# TCG by default: the machines here are guests themselves (PVM), where
# nested KVM either refuses the host CPU model or hangs once the kernel
# starts. VM_ACCEL=kvm is for machines where it works.
case ${VM_ACCEL:-tcg} in
tcg) accel=(-accel tcg -cpu max) ;;
kvm) accel=(-accel kvm -cpu host) ;;
*) echo "$0: VM_ACCEL must be tcg or kvm" >&2; exit 1 ;;
esac
set +e
timeout -k 10 "$timeout" qemu-system-x86_64 "${accel[@]}" -m 1G -smp 2 \
	-nographic -no-reboot -nic none -kernel "$kernel" -initrd "$initrd" \
	-virtfs local,path=/,mount_tag=host,security_model=none,readonly=on,multidevs=remap \
	-append "console=ttyS0 edd=off loglevel=5 panic_on_warn=1 oops=panic panic=-1 \
segoff_repo=$repo segoff_guest=$repo/selftests/vm/guest.sh segoff_build=$O segoff_cmd=$cmdfile \
segoff_kmod=$kmod segoff_kodir=$kodir segoff_slow=$slow ${VM_APPEND:-}" \
	</dev/null 2>&1 | sed -u 's/\x1b\[[0-9;?]*[a-zA-Z]//g; s/\x1bc//g; s/\r$//' | tee "$log"
qemu_rc=${PIPESTATUS[0]}
set -e

last_lines() {
	echo "last console lines:" >&2
	grep -av 'SEGOFF-VM-EXIT: ' "$log" | tail -n 20 | sed 's/^/  | /' >&2
}
if [ "$qemu_rc" -eq 124 ] || [ "$qemu_rc" -eq 137 ]; then
	echo "VM hung: no status after ${timeout}s (VM_TIMEOUT)" >&2
	last_lines
	exit 1
fi
if grep -aqE 'Kernel panic|BUG:|Oops|general protection|WARNING: CPU' "$log"; then
	echo "VM kernel failure:" >&2
	grep -aE -A 3 'Kernel panic|BUG:|Oops|general protection|WARNING: CPU' "$log" | head -n 40 >&2
	exit 1
fi
status=$(grep -aoE 'SEGOFF-VM-EXIT: [0-9]+$' "$log" | tail -n 1 | cut -d' ' -f2)
if [ -z "$status" ]; then
	echo "VM ended (qemu status $qemu_rc) without reporting a status" >&2
	last_lines
	exit 1
fi
exit "$status"
