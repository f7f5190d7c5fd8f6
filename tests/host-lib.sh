# SPDX-License-Identifier: GPL-2.0
# Helpers for host-side scenarios: same result lines as the guest ones.
KT_SCENARIO=$(basename "$0" .sh)
KT_FAILED=0
kt_pass() { echo "KT: $KT_SCENARIO host PASS $*"; }
kt_fail() { echo "KT: $KT_SCENARIO host FAIL $*"; KT_FAILED=1; }
kt_check() {
	local name=$1; shift
	if "$@"; then kt_pass "$name"; else kt_fail "$name" "command failed: $*"; fi
}
kt_end() { exit $KT_FAILED; }
