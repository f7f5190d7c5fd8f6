#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install what building, booting and testing need, with apt-get. Does
# nothing when everything is already there. "install-deps.sh arm64": what
# the arm64 kernel and its tests need instead (a cross compiler, QEMU's
# arm64 machines, and Debian's static arm64 busybox, which cannot be
# installed beside the amd64 one: it is unpacked into build/arm64/).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

if [ "${1:-}" = arm64 ]; then
	ARM_PKGS=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-system-arm qemu-efi-aarch64)
	export DEBIAN_FRONTEND=noninteractive
	missing=()
	for p in "${ARM_PKGS[@]}"; do
		[ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" = installed ] ||
			missing+=("$p")
	done
	if [ ${#missing[@]} -gt 0 ]; then
		as_root apt-get update -qq
		say "installing: ${missing[*]}"
		as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" ||
			die "apt-get could not install ${missing[*]}"
	fi
	[ -x "$BUILD/arm64/busybox" ] && [ -x "$BUILD/arm64/root/sbin/kexec" ] && exit 0
	if ! dpkg --print-foreign-architectures | grep -qx arm64; then
		as_root dpkg --add-architecture arm64
		as_root apt-get update -qq
	fi
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	chmod 777 "$tmp"
	(cd "$tmp" && apt-get download -qq busybox-static:arm64) ||
		die "cannot download Debian's busybox-static for arm64"
	dpkg-deb -x "$tmp"/busybox-static_*_arm64.deb "$tmp/x"
	mkdir -p "$BUILD/arm64"
	cp "$tmp/x/bin/busybox" "$BUILD/arm64/busybox"
	say "arm64 busybox: $BUILD/arm64/busybox"
	# Debian's kexec-tools for arm64 and the libraries it loads, unpacked
	# into build/arm64/root (scripts/mkinitramfs-vm.sh arm64 takes them).
	rm -rf "$BUILD/arm64/root"
	mkdir -p "$tmp/kx"
	(cd "$tmp/kx" && apt-get download -qq kexec-tools:arm64 libc6:arm64 \
		zlib1g:arm64 libxenmisc4.17:arm64 libxentoollog1:arm64 \
		libxencall1:arm64 libxenevtchn1:arm64 libxengnttab1:arm64 \
		libxenforeignmemory1:arm64 libxendevicemodel1:arm64 \
		libxentoolcore1:arm64) ||
		die "cannot download Debian's kexec-tools for arm64"
	for deb in "$tmp"/kx/*.deb; do
		dpkg-deb -x "$deb" "$BUILD/arm64/root"
	done
	say "arm64 kexec-tools: $BUILD/arm64/root/sbin/kexec"
	exit 0
fi

PKGS=(build-essential bc flex bison libelf-dev libssl-dev cpio xz-utils
      busybox-static qemu-system-x86 ovmf kexec-tools ccache device-tree-compiler rsync
      kmod python3 git dpkg-dev debhelper clang-14 libclang-rt-14-dev llvm-14 gnuplot-nox
      "$DEBIAN_LINUX_SOURCE=$DEBIAN_LINUX_VERSION")

# Debian's configuration of the pinned upload (a base for olddefconfig in
# the build-matrix test and make deb). The security archive keeps older
# linux-source uploads but only the newest linux-config, so when the pinned
# one is gone take the newest and say so; the source stays pinned exactly.
DEBIAN_CONFIG_PKG=${DEBIAN_LINUX_SOURCE/source/config}
config_pkg() {
	local avail
	avail=$(apt-cache madison "$DEBIAN_CONFIG_PKG" 2>/dev/null | awk '{print $3}')
	if [ -z "$avail" ] || grep -qxF "$DEBIAN_LINUX_VERSION" <<< "$avail"; then
		echo "$DEBIAN_CONFIG_PKG=$DEBIAN_LINUX_VERSION"
		return
	fi
	echo "warning: $DEBIAN_CONFIG_PKG $DEBIAN_LINUX_VERSION is no longer in the archive;" \
	     "using $(head -1 <<< "$avail") as the base configuration" >&2
	echo "$DEBIAN_CONFIG_PKG"
}

missing=()
for p in "${PKGS[@]}"; do
	name=${p%%=*}
	want=${p#*=}
	[ "$want" = "$p" ] && want=
	have=$(dpkg-query -W -f='${db:Status-Status} ${Version}' "$name" 2>/dev/null || true)
	case "$have" in
	"installed "*)
		if [ -z "$want" ] || [ "${have#installed }" = "$want" ]; then
			continue
		fi ;;
	esac
	missing+=("$p")
done

have=$(dpkg-query -W -f='${db:Status-Status}' "$DEBIAN_CONFIG_PKG" 2>/dev/null || true)
[ ${#missing[@]} -eq 0 ] && [ "$have" = installed ] && exit 0
export DEBIAN_FRONTEND=noninteractive
as_root apt-get update -qq
[ "$have" = installed ] || missing+=("$(config_pkg)")
say "installing: ${missing[*]}"
if ! as_root apt-get install -y -qq --no-install-recommends "${missing[@]}"; then
	die "apt-get could not install ${missing[*]}" \
	    "(is $DEBIAN_LINUX_SOURCE $DEBIAN_LINUX_VERSION still in the archive? bump DEBIAN_LINUX_VERSION in config.mk)"
fi
