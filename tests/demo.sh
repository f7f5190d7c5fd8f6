#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The demo: boots the "demo" scenario, with the memory and command line its
# "# kt:" lines ask for, and the console on this terminal so the story can
# be followed as it happens. Kernel messages are kept quiet; the full
# serial log is in build/logs/demo.log.
set -uo pipefail
. "$(dirname "$0")/../scripts/lib.sh"
scn=$TOP/tests/guest/scenarios/demo.sh
setting() {
	local v
	v=$(sed -n "s/^# kt: .*\b$1=\(\"[^\"]*\"\|[^ ]*\).*/\1/p" "$scn" | head -1)
	v=${v#\"}; v=${v%\"}
	echo "${v:-$2}"
}
mkdir -p "$BUILD/logs"
initrd=$(setting KT_INITRD "")
"$TOP/tests/vm.sh" -i "$BUILD/initramfs${initrd:+-$initrd}.cpio" \
	-m "$(setting KT_MEM 1G)" -t "$(setting KT_TIMEOUT 300)" \
	-a "kt.scenario=demo quiet $(setting KT_APPEND "")" | tee "$BUILD/logs/demo.log"
grep -aq "KT-DONE: demo" "$BUILD/logs/demo.log" && ! grep -aq "KT: demo .* FAIL" "$BUILD/logs/demo.log"
