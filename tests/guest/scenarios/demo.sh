# SPDX-License-Identifier: GPL-2.0
# The README demo: kernel A writes down who it is, kexecs into kernel B
# with kexec_file_load, and B shows what it was handed.
# kt: KT_TIMEOUT=180

banner() { printf '\n======== %s ========\n' "$*"; }

stage1() {
	banner "Kernel A: $(uname -r), booted $(cut -d' ' -f1 /proc/uptime)s ago"
	echo "command line: $(cat /proc/cmdline)"
	echo "Loading kernel B with kexec_file_load and rebooting into it..."
	kt_kexec 2 main kt.demo-from="$(uname -r)"
}

stage2() {
	banner "Kernel B: $(uname -r), up $(cut -d' ' -f1 /proc/uptime)s"
	echo "command line: $(cat /proc/cmdline)"
	echo "kernel A was: $(kt_arg kt.demo-from)"
	kt_check came-from-a kt_has_arg kt.demo-from
	banner "Demo done"
}
