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
# Every kernel built, against the fragments it was configured from.
for frags in "$TOP"/build/obj/*/.config.frags "$TOP"/build/up*/obj/*/.config.frags; do
	[ -f "$frags" ] || continue
	dir=$(dirname "$frags")
	mapfile -t list < "$frags"
	# A variant not rebuilt since its fragments changed (kasan is built
	# only by its campaign) is stale, not wrong: kernel-build.sh's stamp.
	stamp=$(cat "${list[@]}" "$TOP/config.mk" 2>/dev/null | sha256sum | cut -c1-16)
	if [ "$stamp" != "$(cat "$dir/.config.stamp" 2>/dev/null)" ]; then
		echo "KT: $KT_SCENARIO host INFO built-config-$(basename "$dir") stale build, not checked"
		continue
	fi
	kt_check "built-config-$(basename "$dir")" \
		bash "$TOP/scripts/check-config.sh" "$dir/.config" "${list[@]}"
done
# Upstream's test_kho.c shares the tree behind a lib/Makefile line that
# builds it only with KT_TEST_KHO=y: in the test_kho variants, in no other
# (it would add its subtree to every handover).
for v in main nokho upstream arm64 arm64-upstream; do
	map=$TOP/build/obj/$v/System.map
	[ -f "$map" ] || continue
	case $v in
	*upstream) kt_check "test-kho-in-$v" grep -q ' kho_test_init$' "$map" ;;
	*) kt_check "no-test-kho-in-$v" sh -c "! grep -q ' kho_test_init\$' '$map'" ;;
	esac
done
kt_end
