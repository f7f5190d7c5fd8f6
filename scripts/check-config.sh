#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# check-config.sh DOTCONFIG FRAGMENT...: every option the fragments ask for
# (a later fragment overriding an earlier one) must have survived
# olddefconfig; name each one that did not.
set -euo pipefail
conf=$1; shift
declare -A want=()
order=()
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*) opt=${line%%=*}; val=${line#*=} ;;
	"# CONFIG_"*" is not set") opt=${line#\# }; opt=${opt%% *}; val=n ;;
	*) continue ;;
	esac
	[ -n "${want[$opt]+x}" ] || order+=("$opt")
	want[$opt]=$val
done < <(cat "$@")

bad=0
for opt in "${order[@]}"; do
	val=${want[$opt]}
	if [ "$val" = n ]; then
		if grep -q "^$opt=" "$conf"; then
			echo "config: $opt should be off but is $(grep "^$opt=" "$conf")" >&2
			bad=1
		fi
	elif ! grep -qxF "$opt=$val" "$conf"; then
		got=$(grep -E "^$opt=|^# $opt is not set" "$conf" || echo "absent")
		echo "config: asked for $opt=$val, got: $got" >&2
		bad=1
	fi
done
[ $bad = 0 ] || { echo "config: requested options did not survive olddefconfig" >&2; exit 1; }
