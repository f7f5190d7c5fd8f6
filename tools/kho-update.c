// SPDX-License-Identifier: GPL-2.0
/*
 * kho-update: the host side of a live update, for operators.
 *
 *   kho-update [-H HOOK]... [-i INITRD] [-c CMDLINE | -r] [-f] [-n] KERNEL
 *
 *   -H HOOK    run HOOK (through /bin/sh) first, e.g. the VMM's "pause and
 *              save every VM"; all hooks must succeed
 *   -i INITRD  initramfs for the new kernel
 *   -c CMDLINE its command line; -r reuses this kernel's
 *   -f         go on even where something would be lost
 *   -n         check, run the hooks and load, but do not kexec
 *
 * It checks that what should survive can (kexec handover on here and in
 * the new command line, the new kernel and initramfs fit in the scratch
 * areas), runs the hooks, reports what is handed over (pkernfs instances,
 * KHO subtrees), loads the kernel with kexec_file_load(2) and kexecs. A
 * refusal changes nothing and says why. Lines start with "kho-update:".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/reboot.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define KHO_OUT "/sys/kernel/debug/kho/out"
#define PKERNFS "/sys/fs/pkernfs/instances"
#define MAX_HOOKS 16

static int force;

static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("kho-update: ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	fflush(stdout);
}

/* Something would be lost: stop, unless forced. */
static void refuse(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("kho-update: %s", force ? "warning: " : "refused: ");
	vprintf(fmt, ap);
	printf("%s\n", force ? "" : " (nothing changed; -f to go on anyway)");
	va_end(ap);
	fflush(stdout);
	if (!force)
		exit(1);
}

static char *read_file(const char *path)
{
	static char buf[65536];
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return NULL;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return NULL;
	buf[n] = '\0';
	return buf;
}

/* Does the command line turn kexec handover on? The last kho= wins. */
static int cmdline_has_kho(const char *cmdline)
{
	const char *p = cmdline, *on = NULL;

	while ((p = strstr(p, "kho="))) {
		if (p == cmdline || p[-1] == ' ')
			on = p + 4;
		p += 4;
	}
	return on && (!strncmp(on, "on", 2) || !strncmp(on, "1", 1) ||
		      !strncmp(on, "y", 1));
}

/* Sum of the scratch areas' sizes, from debugfs; 0 if unknown. */
static unsigned long long scratch_bytes(void)
{
	unsigned long long sum = 0, v;
	char *s = read_file(KHO_OUT "/scratch_len"), *p;

	for (p = s; p && *p; ) {
		v = strtoull(p, &p, 0);
		sum += v;
		while (*p == ' ' || *p == '\n')
			p++;
		if (!v)
			break;
	}
	return sum;
}

static long long file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) ? -1 : (long long)st.st_size;
}

static void report(void)
{
	char *s = read_file(PKERNFS), *line;
	int n = 0;

	for (line = s ? strtok(s, "\n") : NULL; line; line = strtok(NULL, "\n")) {
		say("hands over pkernfs instance %s", line);
		n++;
		if (strstr(line, " mounted"))
			say("note: instance %.*s is mounted: changes made from now on are not handed over",
			    (int)strcspn(line, " "), line);
	}
	if (!n)
		say("no pkernfs instances");
	if (!access("/dev/liveupdate", F_OK))
		say("live update sessions kept open by their owners are handed over too");
}

int main(int argc, char **argv)
{
	const char *hooks[MAX_HOOKS], *initrd = NULL, *cmdline = NULL;
	int nhooks = 0, reuse = 0, dry = 0, opt, i, kfd, ifd = -1, status;
	unsigned long flags = 0;
	unsigned long long scratch;
	long long need;
	char *kernel;

	while ((opt = getopt(argc, argv, "H:i:c:rfn")) != -1) {
		switch (opt) {
		case 'H':
			if (nhooks == MAX_HOOKS) {
				say("too many hooks");
				return 2;
			}
			hooks[nhooks++] = optarg;
			break;
		case 'i': initrd = optarg; break;
		case 'c': cmdline = optarg; break;
		case 'r': reuse = 1; break;
		case 'f': force = 1; break;
		case 'n': dry = 1; break;
		default:
			fprintf(stderr, "usage: kho-update [-H HOOK]... [-i INITRD] [-c CMDLINE | -r] [-f] [-n] KERNEL\n");
			return 2;
		}
	}
	if (optind != argc - 1 || (reuse && cmdline)) {
		fprintf(stderr, "usage: kho-update [-H HOOK]... [-i INITRD] [-c CMDLINE | -r] [-f] [-n] KERNEL\n");
		return 2;
	}
	kernel = argv[optind];
	if (geteuid()) {
		say("refused: only root (CAP_SYS_BOOT) can kexec");
		return 1;
	}
	if (reuse) {
		char *c = read_file("/proc/cmdline");

		cmdline = c ? strdup(strtok(c, "\n")) : "";
	}
	if (!cmdline)
		cmdline = "";

	/* What would be lost. */
	if (access(KHO_OUT, F_OK))
		refuse("kexec handover is off in this kernel (boot it with kho=on): nothing would survive");
	if (!cmdline_has_kho(cmdline))
		refuse("the new command line has no kho=on: the new kernel would drop everything handed over");
	scratch = scratch_bytes();
	need = file_size(kernel) + (initrd ? file_size(initrd) : 0);
	if (file_size(kernel) < 0 || (initrd && file_size(initrd) < 0)) {
		say("refused: cannot read %s", file_size(kernel) < 0 ? kernel : initrd);
		return 1;
	}
	/* kexec places both in scratch, and the kernel unpacks itself there. */
	if (scratch && (unsigned long long)need + (32 << 20) > scratch)
		refuse("the new kernel and initramfs (%lld KiB, and 32 MiB to unpack the kernel) do not fit in the %llu KiB of scratch (kho_scratch=)",
		       need >> 10, scratch >> 10);

	for (i = 0; i < nhooks; i++) {
		say("hook: %s", hooks[i]);
		status = system(hooks[i]);
		if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status)) {
			say("refused: hook '%s' failed (status %d); nothing changed",
			    hooks[i], status);
			return 1;
		}
	}
	report();

	kfd = open(kernel, O_RDONLY);
	if (kfd < 0) {
		say("refused: cannot open %s: %s", kernel, strerror(errno));
		return 1;
	}
	if (initrd) {
		ifd = open(initrd, O_RDONLY);
		if (ifd < 0) {
			say("refused: cannot open %s: %s", initrd, strerror(errno));
			return 1;
		}
	} else {
		flags |= 4;	/* KEXEC_FILE_NO_INITRAMFS */
	}
	if (syscall(SYS_kexec_file_load, kfd, ifd, strlen(cmdline) + 1,
		    cmdline, flags)) {
		say("refused: kexec_file_load(%s): %s", kernel, strerror(errno));
		return 1;
	}
	say("loaded %s (%lld KiB with its initramfs; %llu KiB of scratch)",
	    kernel, need >> 10, scratch >> 10);
	if (dry) {
		say("loaded, not kexecing (-n)");
		return 0;
	}
	say("kexec");
	sync();
	syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
		LINUX_REBOOT_CMD_KEXEC, NULL);
	/* Only here when the handover was refused by the kernel. */
	say("kexec failed: %s; the new kernel stays loaded, nothing was lost",
	    strerror(errno));
	return 1;
}
