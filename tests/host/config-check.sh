# SPDX-License-Identifier: GPL-2.0
# check-config.sh names each requested option that olddefconfig dropped,
# and the real kernel config has every option the fragments ask for.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/host-lib.sh"

W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
printf 'CONFIG_A=y\nCONFIG_B=y\nCONFIG_C="x"\n# CONFIG_D is not set\nCONFIG_E=n\n' > "$W/frag"
printf 'CONFIG_A=y\nCONFIG_C="x"\n# CONFIG_B is not set\nCONFIG_D=y\n' > "$W/conf"
if bash "$TOP/scripts/check-config.sh" "$W/conf" "$W/frag" > "$W/out" 2>&1; then
	kt_fail dropped-detected "check passed"
else
	kt_check dropped-named grep -q "asked for CONFIG_B=y, got: # CONFIG_B is not set" "$W/out"
	kt_check unwanted-named grep -q "CONFIG_D should be off" "$W/out"
	kt_check satisfied-not-named sh -c "! grep -q 'CONFIG_A\|CONFIG_C\|CONFIG_E' '$W/out'"
fi
for conf in "$TOP"/build/obj/*/.config; do
	[ -f "$conf" ] || continue
	v=$(basename "$(dirname "$conf")")
	frags="$TOP/kernel/configs/base.config"
	[ "$v" = main ] && [ -f "$TOP/kernel/configs/kho.config" ] && frags="$frags $TOP/kernel/configs/kho.config"
	[ "$v" = nokho ] && frags="$frags $TOP/kernel/configs/nokho.config"
	kt_check "built-config-$v" bash "$TOP/scripts/check-config.sh" "$conf" $frags
done
kt_end
