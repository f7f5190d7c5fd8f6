# SPDX-License-Identifier: GPL-2.0
# Kexec HandOver for Linux 6.12 LTS: build, boot and test.
#
#   make deps        install build/test dependencies (apt-get, needs root)
#   make kernel      prepare the patched tree and build the kernel images
#   make selftests   upstream's live update selftests, built against our headers
#   make initramfs   static tools + busybox + scenarios + kernel images
#   make test        everything, then all scenarios (T="a b" for some)
#                    ARM64=default: x86_64 and the default arm64 scenarios;
#                    ARM64=all: every arm64 scenario (upstream 7.3 for arm64
#                    is built too); ARM64=no: x86_64 only; FULL=1: every
#                    scenario of both (the nothp kernel too)
#   make demo        the demo scenario with the console on your terminal
#   make shell       boot the kernel with an interactive shell
#   make bench       handover overhead benchmarks (REPS=N)
#   make soak        50 kexecs in one chain, everything active (campaign)
#   make mutate      200 kexecs with damaged handovers, KASAN (campaign)
#   make fuzz        libFuzzer campaign on the incoming-state parsers (tests/fuzz)
#   make fuzz-seeds  kho-fdt seeds from real handovers (7.3 and ours) in the VM
#   make matrix      W=1 build of the touched files under six configurations
#   make deb         Debian packages from Debian's config + deb.config, booted
#   make export      git format-patch series in build/export/
#   make checkpatch  checkpatch.pl --no-tree over the kernel changes
include config.mk

BUILD ?= $(CURDIR)/build
T ?=
# FULL=1: the full run, every scenario on both architectures (and the
# kernels only it needs: nothp, upstream 7.3 for arm64); about twice as
# long as the default run.
FULL ?= 0
ARM64 ?= $(if $(filter 1,$(FULL)),all,default)
export ARM64 FULL
comma := ,
# The kernels, in lanes built at the same time (scripts/build-kernels.sh):
# the same CPU time, but one lane's single-CPU steps (configuring,
# linking) overlap the other's compiles. A variant that starts from
# another's objects (scripts/kernel-build.sh, seed_from) follows it in the
# same lane.
ARM64_LANE = arm64,arm64-upstream$(if $(filter all,$(ARM64)),$(comma)arm64-linux73)
X86_LANE = main,upstream,nokho$(if $(filter 1,$(FULL)),$(comma)nothp)
ifeq ($(ARM64),no)
KERNEL_LANES ?= $(X86_LANE) linux73
else
KERNEL_LANES ?= $(X86_LANE) $(ARM64_LANE),linux73
endif

all: initramfs

deps:
	scripts/install-deps.sh

prepare:
	scripts/kernel-prepare.sh

kernel: prepare
	scripts/fetch-upstream.sh || echo "upstream source unavailable: its scenarios will be skipped"
	if [ "$(ARM64)" != no ]; then scripts/install-deps.sh arm64; fi
	scripts/build-kernels.sh $(KERNEL_LANES)

tools:
	$(MAKE) -C tools O=$(BUILD)/tools

selftests: kernel
	scripts/build-selftests.sh

initramfs: initramfs-x86
	if [ "$(ARM64)" != no ]; then $(MAKE) -s arm64-initramfs; fi

# What the x86_64 guests boot: enough for the demo and the campaigns.
initramfs-x86: kernel tools selftests
	scripts/mkinitramfs.sh
	scripts/mkinitramfs-vm.sh

test: initramfs
	tests/run.sh $(T)

# arm64 (QEMU virt): the cross-built kernels (built with the others unless
# ARM64=no) and their initramfs; "make test" runs the scenarios marked
# KT_ARM64_DEFAULT=1 on arm64 too (NAME@arm64), with ARM64=all every one
# marked KT_ARM64=1 (and upstream 7.3 for arm64 is built); "make arm64"
# builds the arm64 side alone; "make test-arm64" runs every arm64
# scenario, and only those.
arm64: prepare
	scripts/install-deps.sh arm64
	scripts/fetch-upstream.sh || echo "upstream source unavailable: its scenarios will be skipped"
	scripts/build-kernels.sh $(ARM64_LANE)
	$(MAKE) -s arm64-initramfs

arm64-initramfs:
	scripts/build-selftests.sh arm64
	scripts/mkinitramfs.sh arm64
	scripts/mkinitramfs-vm.sh arm64

test-arm64:
	$(MAKE) -s ARM64=all arm64
	ARM64=all tests/run.sh $$(ARM64=all tests/run.sh -l | grep '@arm64$$')

demo:
	$(MAKE) -s ARM64=no initramfs-x86
	tests/demo.sh

shell:
	$(MAKE) -s ARM64=no initramfs-x86
	tests/vm.sh -t 3600

bench:
	$(MAKE) -s ARM64=no initramfs-x86
	scripts/bench.sh

soak:
	$(MAKE) -s ARM64=no initramfs-x86
	tests/run.sh soak

mutate:
	$(MAKE) -s ARM64=no initramfs-x86
	scripts/kernel-build.sh kasan
	scripts/mkinitramfs-with.sh kasan
	tests/run.sh mutate

fuzz: prepare
	$(MAKE) -C tests/fuzz BUILD=$(BUILD) campaign

fuzz-seeds:
	$(MAKE) -s ARM64=no initramfs-x86
	tests/run.sh fuzz-seeds
	tests/fuzz/import-seeds.sh $(BUILD)/logs/fuzz-seeds.log

matrix: prepare
	scripts/build-matrix.sh

# The deb-kernel scenario boots only the Debian kernel: its initramfs
# needs the static tools, not the test kernels, so make deb does not
# build those.
deb: tools
	scripts/kernel-deb.sh
	scripts/deb-check.sh
	scripts/mkinitramfs.sh
	scripts/mkinitramfs-vm.sh
	scripts/mkinitramfs-with.sh deb vm
	tests/run.sh deb-kernel

export:
	scripts/export-patches.sh

checkpatch:
	scripts/checkpatch.sh

clean:
	rm -rf $(BUILD)/obj $(BUILD)/images $(BUILD)/initramfs* $(BUILD)/tools $(BUILD)/logs

distclean:
	rm -rf $(BUILD)

.PHONY: all deps prepare kernel tools selftests initramfs initramfs-x86 test arm64 arm64-initramfs test-arm64 demo shell bench soak mutate fuzz fuzz-seeds matrix deb export checkpatch clean distclean
