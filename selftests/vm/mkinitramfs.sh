#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Builds the VM's initramfs: static busybox, the virtio/9p modules of the
# guest kernel and selftests/vm/init, which mounts the host root over 9p and
# chroots into it. Usage: mkinitramfs.sh OUT.cpio.gz [KVER]
# Without KVER the archive carries no modules: for a kernel that has
# virtio-pci and 9p built in (check-debug's).
set -eu

out=$1 kver=${2:-}
moddir=/lib/modules/$kver
here=$(dirname "$(readlink -f "$0")")
# The order init loads them in: each needs only the ones before it.
mods=(virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci
	netfs fscache 9pnet 9pnet_virtio 9p)

die() { echo "mkinitramfs: $*" >&2; exit 1; }

busybox=$(command -v busybox) || die "busybox not found (apt-get install busybox-static)"
file -L "$busybox" 2>/dev/null | grep -q 'statically linked' ||
	ldd "$busybox" 2>&1 | grep -q 'not a dynamic executable' ||
	die "$busybox is not static (apt-get install busybox-static)"
[ -n "$kver" ] || mods=()
[ -z "$kver" ] || [ -f "$moddir/modules.dep" ] ||
	die "no modules for $kver in $moddir (apt-get install linux-image-amd64)"

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,dev,proc,sys,mnt/host,modules}
cp "$busybox" "$stage/bin/busybox"
for applet in $("$busybox" --list); do
	[ "$applet" = busybox ] || ln -s busybox "$stage/bin/$applet"
done

for m in ${mods[@]+"${mods[@]}"}; do
	# modules.dep spells dashes and underscores as the file does.
	path=$(grep -E "(^|/)${m}\.ko(\.xz|\.zst|\.gz)?:" "$moddir/modules.dep" | cut -d: -f1)
	[ -n "$path" ] || die "module $m not in $moddir/modules.dep"
	case $path in
	*.ko)     cp "$moddir/$path" "$stage/modules/$m.ko" ;;
	*.ko.xz)  xz -dc "$moddir/$path" >"$stage/modules/$m.ko" ;;
	*.ko.zst) zstd -qdc "$moddir/$path" >"$stage/modules/$m.ko" ;;
	*.ko.gz)  gzip -dc "$moddir/$path" >"$stage/modules/$m.ko" ;;
	esac
done
: >"$stage/modules/order"
[ ${#mods[@]} -eq 0 ] || printf '%s\n' "${mods[@]}" >"$stage/modules/order"
install -m 0755 "$here/init" "$stage/init"

mkdir -p "$(dirname "$out")"
(cd "$stage" && find . -print0 | cpio --null -o -H newc --quiet) | gzip -1 >"$out.tmp"
mv "$out.tmp" "$out"
