#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# import-seeds.sh LOG: write every "KT-SEED: NAME HEX" line of a scenario's
# serial log (tests/guest/scenarios/fuzz-seeds.sh) to
# tests/fuzz/corpus/kho-fdt/NAME, the root FDT of a real handover.
set -euo pipefail
DIR=$(cd "$(dirname "$0")" && pwd)/corpus/kho-fdt
LOG=${1:?usage: import-seeds.sh LOG}
n=0
while read -r _ name hex; do
	case "$name" in *[!a-z0-9-]*|"") echo "bad seed name '$name'" >&2; exit 1 ;; esac
	printf "%s" "$hex" | tr -d "\r" | perl -ne "print pack(\"H*\", \$_)" > "$DIR/$name"
	echo "corpus/kho-fdt/$name: $(stat -c %s "$DIR/$name") bytes"
	n=$((n + 1))
done < <(grep -a '^KT-SEED: ' "$LOG")
[ $n -gt 0 ] || { echo "no KT-SEED lines in $LOG" >&2; exit 1; }
