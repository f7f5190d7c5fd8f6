#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The demo: boots the "demo" scenario with the console on this terminal,
# so the story can be followed as it happens. Kernel messages are kept
# quiet; the full serial log is in build/logs/demo.log.
set -uo pipefail
. "$(dirname "$0")/../scripts/lib.sh"
mkdir -p "$BUILD/logs"
"$TOP/tests/vm.sh" -t 300 -a "kt.scenario=demo quiet" | tee "$BUILD/logs/demo.log"
grep -aq "KT-DONE: demo" "$BUILD/logs/demo.log" && ! grep -aq "KT: demo .* FAIL" "$BUILD/logs/demo.log"
