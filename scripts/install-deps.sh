#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install what building, booting and testing need, with apt-get. Does
# nothing when everything is already there.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

PKGS=(build-essential bc flex bison libelf-dev libssl-dev cpio xz-utils
      busybox-static qemu-system-x86 ovmf kexec-tools ccache device-tree-compiler rsync
      kmod python3 git dpkg-dev debhelper clang-14 libclang-rt-14-dev llvm-14 gnuplot-nox
      "$DEBIAN_LINUX_SOURCE=$DEBIAN_LINUX_VERSION"
      "${DEBIAN_LINUX_SOURCE/source/config}=$DEBIAN_LINUX_VERSION")

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

[ ${#missing[@]} -eq 0 ] && exit 0
say "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
as_root apt-get update -qq
if ! as_root apt-get install -y -qq --no-install-recommends "${missing[@]}"; then
	die "apt-get could not install ${missing[*]}" \
	    "(is $DEBIAN_LINUX_SOURCE $DEBIAN_LINUX_VERSION still in the archive? bump DEBIAN_LINUX_VERSION in config.mk)"
fi
