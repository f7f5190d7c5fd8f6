# SPDX-License-Identifier: GPL-2.0
# Kexec HandOver for Linux 6.12 LTS: build, boot and test.
#
#   make deps        install build/test dependencies (apt-get, needs root)
#   make kernel      prepare the patched tree and build the kernel images
#   make selftests   upstream's live update selftests, built against our headers
#   make initramfs   static tools + busybox + scenarios + kernel images
#   make test        everything, then all scenarios (T="a b" for some)
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
VARIANTS ?= main nokho upstream linux73
T ?=

all: initramfs

deps:
	scripts/install-deps.sh

prepare:
	scripts/kernel-prepare.sh

kernel: prepare
	scripts/fetch-upstream.sh || echo "upstream source unavailable: its scenarios will be skipped"
	for v in $(VARIANTS); do scripts/kernel-build.sh $$v || exit 1; done

tools:
	$(MAKE) -C tools O=$(BUILD)/tools

selftests: kernel
	scripts/build-selftests.sh

initramfs: kernel tools selftests
	scripts/mkinitramfs.sh
	scripts/mkinitramfs-vm.sh
	if [ -f $(BUILD)/images/Image-arm64 ]; then $(MAKE) -s arm64-images; fi

test: initramfs
	tests/run.sh $(T)

# arm64 (QEMU virt): the cross-built kernels and their initramfs; once
# built, "make initramfs" keeps them up to date and "make test" runs the
# scenarios marked KT_ARM64=1 on arm64 too (NAME@arm64); "make test-arm64"
# only those.
arm64: prepare
	scripts/install-deps.sh arm64
	scripts/fetch-upstream.sh || echo "upstream source unavailable: its scenarios will be skipped"
	$(MAKE) -s arm64-images

arm64-images:
	for v in arm64 arm64-upstream arm64-linux73; do scripts/kernel-build.sh $$v || exit 1; done
	scripts/build-selftests.sh arm64
	scripts/mkinitramfs.sh arm64
	scripts/mkinitramfs-vm.sh arm64

test-arm64: arm64
	tests/run.sh $$(tests/run.sh -l | grep '@arm64$$')

demo: initramfs
	tests/demo.sh

shell: initramfs
	tests/vm.sh -t 3600

bench: initramfs
	scripts/bench.sh

soak: initramfs
	tests/run.sh soak

mutate: initramfs
	scripts/kernel-build.sh kasan
	scripts/mkinitramfs-with.sh kasan
	tests/run.sh mutate

fuzz: prepare
	$(MAKE) -C tests/fuzz BUILD=$(BUILD) campaign

fuzz-seeds: initramfs
	tests/run.sh fuzz-seeds
	tests/fuzz/import-seeds.sh $(BUILD)/logs/fuzz-seeds.log

matrix: prepare
	scripts/build-matrix.sh

deb: initramfs
	scripts/kernel-deb.sh
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

.PHONY: all deps prepare kernel tools selftests initramfs test arm64 arm64-images test-arm64 demo shell bench soak mutate fuzz fuzz-seeds matrix deb export checkpatch clean distclean
