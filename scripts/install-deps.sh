#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install what building, booting and testing need, with apt-get. Does
# nothing when everything is already there.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

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
