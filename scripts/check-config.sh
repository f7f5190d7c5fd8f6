#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# check-config.sh DOTCONFIG FRAGMENT...: every option a fragment asks for
# must have survived olddefconfig; name each one that did not.
set -euo pipefail
conf=$1; shift
bad=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*)
		opt=${line%%=*}; val=${line#*=}
		if [ "$val" = n ]; then
			if grep -q "^$opt=" "$conf"; then
				echo "config: $opt should be off but is $(grep "^$opt=" "$conf")" >&2
				bad=1
			fi
		elif ! grep -qxF "$line" "$conf"; then
			got=$(grep -E "^$opt=|^# $opt is not set" "$conf" || echo "absent")
			echo "config: asked for $line, got: $got" >&2
			bad=1
		fi ;;
	"# CONFIG_"*" is not set")
		opt=${line#\# }; opt=${opt%% *}
		if grep -q "^$opt=" "$conf"; then
			echo "config: $opt should be off but is $(grep "^$opt=" "$conf")" >&2
			bad=1
		fi ;;
	esac
done < <(cat "$@")
[ $bad = 0 ] || { echo "config: requested options did not survive olddefconfig" >&2; exit 1; }
