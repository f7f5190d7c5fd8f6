#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# build-matrix.sh [CONFIG...]: compile every C file the series adds or
# changes with W=1 under the configurations users build, and fail on any
# warning the series brings in.
#
# Configurations (default: all of them):
#   allmod     make allmodconfig (CONFIG_WERROR off, so that old W=1
#              warnings of untouched code do not stop the build)
#   nokho      the test kernel (tinyconfig + base + kho) with KEXEC_HANDOVER=n
#   noluo      ... with LIVEUPDATE=n
#   nodebugfs  ... with DEBUG_FS=n
#   notracing  ... with TRACING=n (no FTRACE)
#   debian     Debian's own 6.12 configuration + kernel/configs/deb.config
#
# Only the objects a configuration builds are compiled (found from the
# Makefile lines that name them), after "make prepare"; the four variations
# of the test kernel start from a copy of its built object directory
# (build/obj/main) when it is there, and everything goes through ccache,
# so that the host tools are built once. A warning is new
# when it points at a file the series adds or at a line it adds to an
# existing file (found by diffing against the pinned Debian source);
# warnings on untouched lines are counted and shown, not failed.
# Output: one "MATRIX: NAME PASS|FAIL ..." line per configuration.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

TREE=$BUILD/src/linux
M=$BUILD/matrix
CFG=$TOP/kernel/configs
TARBALL=${TARBALL:-/usr/src/$DEBIAN_LINUX_SOURCE.tar.xz}
ALL=(allmod nokho noluo nodebugfs notracing debian)
[ -d "$TREE" ] || die "no kernel tree; run scripts/kernel-prepare.sh"
mkdir -p "$M"

# The touched files: new files of kernel/files and files the patches change.
touched_files() {
	(cd "$TOP/kernel/files" && find . -type f | sed 's|^\./||')
	sed -n 's|^+++ b/\([^\t]*\).*|\1|p' "$TOP"/kernel/patches/*.patch
}
mapfile -t TOUCHED < <(touched_files | LC_ALL=C sort -u)

# Line numbers the series added to each existing file, as
# $M/added/PATH (one number per line); new files get the word "all".
added_lines() {
	local pristine=$M/pristine/$DEBIAN_LINUX_VERSION f
	local -a want=()
	if [ ! -f "$pristine/.done" ]; then
		rm -rf "$M/pristine"
		mkdir -p "$pristine"
		for f in "${TOUCHED[@]}"; do want+=("$DEBIAN_LINUX_SOURCE/$f"); done
		# Files the series creates are not in the archive: ask for all,
		# keep what exists.
		tar -C "$pristine" --strip-components=1 -xf "$TARBALL" "${want[@]}" 2>/dev/null || true
		touch "$pristine/.done"
	fi
	rm -rf "$M/added"
	for f in "${TOUCHED[@]}"; do
		mkdir -p "$(dirname "$M/added/$f")"
		if [ -f "$pristine/$f" ]; then
			diff --unchanged-line-format= --old-line-format= \
			     --new-line-format='%dn
' "$pristine/$f" "$TREE/$f" > "$M/added/$f" || true
		else
			echo all > "$M/added/$f"
		fi
	done
}

# obj_enabled DOTCONFIG DIR NAME.o: does DIR/Makefile build NAME.o under
# DOTCONFIG? Follows one composite object (foo-y += NAME.o) upwards, the
# "ifdef CONFIG_..." blocks around the line, and the directories above
# (obj-$(CONFIG_OF) += of/). Another architecture's files are not built.
obj_enabled() {
	local conf=$1 dir=$2 obj=$3 mk=$TREE/$2/Makefile found lhs sym prefix c
	case "$dir/" in arch/x86/*) ;; arch/*) return 1 ;; esac
	[ -f "$TREE/$dir/Kbuild" ] && mk=$TREE/$dir/Kbuild
	found=$(awk -v o="$obj" '
		/^ifdef[ \t]+CONFIG_/ { cond[++depth] = $2; next }
		/^ifeq[ \t]*\(\$\(CONFIG_[A-Za-z0-9_]+\),[ \t]*y\)/ {
			c = $0; sub(/^ifeq[ \t]*\(\$\(/, "", c); sub(/\).*/, "", c)
			cond[++depth] = c; next }
		/^if/ { cond[++depth] = ""; next }
		/^else/ { cond[depth] = ""; next }
		/^endif/ { depth--; next }
		{ line = $0
		  while (line ~ /\\$/ && (getline nxt) > 0)
			line = substr(line, 1, length(line) - 1) " " nxt
		  n = split(line, w, /[ \t]+/)
		  for (i = 2; i <= n; i++)
			if (w[i] == o || w[i] == "$(obj)/" o) {
				out = w[1]
				for (d = 1; d <= depth; d++)
					if (cond[d] != "") out = out " " cond[d]
				print out; exit
			}
		}' "$mk")
	[ -n "$found" ] || return 1
	read -r lhs found <<< "$found"
	for c in $found; do
		grep -qE "^$c=(y|m)$" "$conf" || return 1
	done
	sym=$(sed -n 's/.*\$(\(CONFIG_[A-Za-z0-9_]*\)).*/\1/p' <<< "$lhs")
	if [ -n "$sym" ]; then
		grep -qE "^$sym=(y|m)$" "$conf" || return 1
	fi
	prefix=${lhs%%-\$(*}
	prefix=${prefix%-y}
	case "$prefix" in
	obj|vmlinux-objs|lib) dir_enabled "$conf" "$dir" ;;
	*) obj_enabled "$conf" "$dir" "$prefix.o" ;;
	esac
}

# dir_enabled DOTCONFIG DIR: is DIR built, as far as the Makefile above
# it says (a directory that one does not name is taken as built)?
dir_enabled() {
	local conf=$1 dir=$2 parent
	case "$dir" in */*) ;; *) return 0 ;; esac
	parent=${dir%/*}
	[ "$parent" = arch ] && return 0
	[ -f "$TREE/$parent/Makefile" ] || [ -f "$TREE/$parent/Kbuild" ] || return 0
	grep -qE "[[:space:]]${dir##*/}/([[:space:]]|$)" \
		"$TREE/$parent/Makefile" "$TREE/$parent/Kbuild" 2>/dev/null || return 0
	obj_enabled "$conf" "$parent" "${dir##*/}/"
}

# configure NAME OBJ
configure() {
	local name=$1 obj=$2 frag=$M/$1.config main=$BUILD/obj/main
	local -a kmake=(make -C "$TREE" O="$obj" -s "${KCC[@]}")
	rm -rf "$obj"
	mkdir -p "$obj"
	case "$name" in
	allmod)
		echo '# CONFIG_WERROR is not set' > "$frag"
		KCONFIG_ALLCONFIG=$frag "${kmake[@]}" allmodconfig >/dev/null
		return ;;
	debian)
		debian_config "$TREE" "$obj" "$CFG/deb.config"
		return ;;
	nokho)	echo '# CONFIG_KEXEC_HANDOVER is not set' > "$frag" ;;
	noluo)	echo '# CONFIG_LIVEUPDATE is not set' > "$frag" ;;
	nodebugfs)
		printf '# CONFIG_DEBUG_FS is not set\n# CONFIG_KEXEC_HANDOVER_DEBUGFS is not set\n' > "$frag" ;;
	notracing)
		printf '# CONFIG_FTRACE is not set\n# CONFIG_TRACE_KHO is not set\n' > "$frag" ;;
	*)	die "unknown configuration $name (have: ${ALL[*]})" ;;
	esac
	if [ -f "$main/vmlinux" ] && [ "$(cat "$main/.config.frags" 2>/dev/null)" = \
	     "$(printf '%s\n' "$CFG/base.config" "$CFG/kho.config")" ]; then
		# The test kernel's built object directory with the option
		# turned off: "make prepare" and the host tools are done,
		# only what the change of configuration touches is made again.
		rm -rf "$obj"
		cp -a "$main" "$obj"
		"$TREE/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" \
			"$frag" >/dev/null
	else
		"${kmake[@]}" tinyconfig >/dev/null
		"$TREE/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" \
			"$CFG/base.config" "$CFG/kho.config" "$frag" >/dev/null
	fi
	"${kmake[@]}" olddefconfig >/dev/null
	"$TOP/scripts/check-config.sh" "$obj/.config" "$frag"
}

# Each off-configuration must really have the option off.
off_option() {
	case "$1" in
	nokho) echo CONFIG_KEXEC_HANDOVER ;;
	noluo) echo CONFIG_LIVEUPDATE ;;
	nodebugfs) echo CONFIG_DEBUG_FS ;;
	notracing) echo CONFIG_TRACING ;;
	esac
}

# new_warning FILE LINE: is FILE:LINE something the series wrote?
new_warning() {
	local list=$M/added/$1
	[ -f "$list" ] || return 1
	grep -qx "all\|$2" "$list"
}

run_config() {
	local name=$1 obj=$M/$1 f dir base off
	local -a objs=()
	local start=$SECONDS
	if ! configure "$name" "$obj" > "$obj.log" 2>&1; then
		echo "MATRIX: $name FAIL configuration: $(tail -3 "$obj.log" | tr '\n' ' ')"
		return 1
	fi
	off=$(off_option "$name")
	if [ -n "$off" ] && grep -qE "^$off=(y|m)$" "$obj/.config"; then
		echo "MATRIX: $name FAIL $off is still on"
		return 1
	fi
	for f in "${TOUCHED[@]}"; do
		case "$f" in *.c) ;; *) continue ;; esac
		dir=$(dirname "$f")
		base=$(basename "$f" .c)
		obj_enabled "$obj/.config" "$dir" "$base.o" && objs+=("$dir/$base.o")
	done
	rm -f "${objs[@]/#/$obj/}"
	# The decompressor's kaslr.c includes generated/utsversion.h, which
	# a full build makes on the way to init/version-timestamp.o.
	if ! { make -C "$TREE" O="$obj" -j"$(jobs_n)" "${KCC[@]}" W=1 init/version-timestamp.o &&
	       make -C "$TREE" O="$obj" -j"$(jobs_n)" "${KCC[@]}" -k W=1 "${objs[@]}"; } > "$obj.log" 2>&1; then
		echo "MATRIX: $name FAIL build error: $(grep -m3 'error' "$obj.log" | tr '\n' ' ')"
		return 1
	fi
	# file:line: warning: ..., with the tree's prefix taken off.
	sed -n "s|^\(\.\./\)*\(src/linux/\)\{0,1\}||; s|^$TREE/||; /: warning: /p" "$obj.log" |
		LC_ALL=C sort -u > "$obj.warnings"
	local new=0 old=0 file line
	: > "$obj.new"
	while IFS=: read -r file line _; do
		if new_warning "$file" "$line"; then
			new=$((new + 1))
			grep -F "$file:$line:" "$obj.warnings" >> "$obj.new"
		else
			old=$((old + 1))
		fi
	done < "$obj.warnings"
	if [ $new -gt 0 ]; then
		echo "MATRIX: $name FAIL $new new W=1 warnings in ${#objs[@]} objects:"
		LC_ALL=C sort -u "$obj.new" | sed 's/^/    /'
		return 1
	fi
	echo "MATRIX: $name PASS ${#objs[@]} objects, no new W=1 warnings ($old on untouched lines), $((SECONDS - start)) s"
}

added_lines
rc=0
for c in "${@:-${ALL[@]}}"; do
	run_config "$c" || rc=1
done
exit $rc
