# SPDX-License-Identifier: GPL-2.0
# libFuzzer on the kernel's own KSTATE stream parser and record decoder
# (kstate): the kept crash inputs of tests/fuzz/regress/ must not crash,
# and a short run from the seed corpus must find nothing. Skipped (exit 2)
# without clang-14.
KT_SCENARIO=$(basename "$0" .sh) exec bash "$(dirname "$0")/../fuzz/host-run.sh" kstate
