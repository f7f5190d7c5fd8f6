# SPDX-License-Identifier: GPL-2.0
# The kernels users build: every C file the series adds or changes
# compiles with W=1 and no new warning under allmodconfig, the test
# kernel with KEXEC_HANDOVER, LIVEUPDATE, DEBUG_FS or TRACING off, and
# Debian's own 6.12 configuration plus deb.config (scripts/build-matrix.sh).
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/host-lib.sh"

out=$(mktemp)
trap 'rm -f "$out"' EXIT
bash "$TOP/scripts/build-matrix.sh" > "$out" 2>&1
cat "$out"
n=0
while read -r _ name verdict rest; do
	n=$((n + 1))
	if [ "$verdict" = PASS ]; then
		kt_pass "w1-$name" "$rest"
	else
		kt_fail "w1-$name" "$rest"
	fi
done < <(grep '^MATRIX: ' "$out")
[ $n = 6 ] || kt_fail configurations "$n of 6 configurations reported"
kt_end
