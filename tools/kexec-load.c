// SPDX-License-Identifier: GPL-2.0
/*
 * kexec-load: load a kernel with kexec_file_load(2) and/or boot into it.
 *
 * A small static replacement for "kexec -s -l ... ; kexec -e" that fits in
 * an initramfs. Usage:
 *
 *   kexec-load [-i INITRD] [-c CMDLINE] [-e] KERNEL   load (and exec with -e)
 *   kexec-load -e                                     boot the loaded kernel
 *   kexec-load -u                                     unload
 *   kexec-load -t                                     print the cycle counter
 *
 * With -e, the cycle counter (which keeps running across a kexec) is
 * printed as "kexec-timing: user exec cycles=N" right before the reboot
 * call, to be compared with the kernels' kexec_timing=1 lines.
 *
 * Every failure prints the syscall, the errno text and a hint, and exits
 * non-zero; nothing is changed when loading fails.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/kexec.h>
#include <linux/reboot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The CPU's cycle counter, as the kernel's get_cycles() reads it. */
static unsigned long long cycles(void)
{
#if defined(__x86_64__) || defined(__i386__)
	return __builtin_ia32_rdtsc();
#elif defined(__aarch64__)
	unsigned long long v;

	asm volatile("isb; mrs %0, cntvct_el0" : "=r" (v));
	return v;
#else
	return 0;
#endif
}

static const char *hint(int err)
{
	switch (err) {
	case ENOEXEC:
		return "the file is not a kernel image this kernel can load";
	case EPERM:
		return "needs CAP_SYS_BOOT, or kexec is disabled (kexec_load_disabled)";
	case EBUSY:
		return "another kexec operation is in progress";
	case ENOMEM:
		return "no memory for the image";
	case EADDRNOTAVAIL:
		return "no room for the image where it must go (kexec handover scratch too small?)";
	case EINVAL:
		return "invalid argument (nothing loaded, or bad command line)";
	case ENOSYS:
		return "kernel built without CONFIG_KEXEC_FILE";
	case EKEYREJECTED:
		return "signature check failed";
	default:
		return "";
	}
}

static int fail(const char *what, const char *arg)
{
	int err = errno;
	const char *h = hint(err);

	fprintf(stderr, "kexec-load: %s%s%s: %s%s%s\n", what,
		arg ? " " : "", arg ? arg : "", strerror(err),
		*h ? " - " : "", h);
	return 1;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: kexec-load [-i INITRD] [-c CMDLINE] [-e] KERNEL\n"
		"       kexec-load -e | -u | -t\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *initrd = NULL, *cmdline = "";
	int do_exec = 0, do_unload = 0, opt;
	unsigned long flags = 0;
	int kfd, ifd = -1;
	long ret;

	while ((opt = getopt(argc, argv, "i:c:euth")) != -1) {
		switch (opt) {
		case 'i':
			initrd = optarg;
			break;
		case 'c':
			cmdline = optarg;
			break;
		case 'e':
			do_exec = 1;
			break;
		case 'u':
			do_unload = 1;
			break;
		case 't':
			if (optind != argc || argc != 2)
				usage();
			printf("%llu\n", cycles());
			return 0;
		default:
			usage();
		}
	}

	if (do_unload) {
		if (optind != argc || do_exec)
			usage();
		ret = syscall(SYS_kexec_file_load, -1, -1, 0UL, NULL,
			      (unsigned long)KEXEC_FILE_UNLOAD);
		if (ret)
			return fail("kexec_file_load", "(unload)");
		return 0;
	}

	if (optind == argc - 1) {
		const char *kernel = argv[optind];

		kfd = open(kernel, O_RDONLY | O_CLOEXEC);
		if (kfd < 0)
			return fail("open", kernel);
		if (initrd) {
			ifd = open(initrd, O_RDONLY | O_CLOEXEC);
			if (ifd < 0)
				return fail("open", initrd);
		} else {
			flags |= KEXEC_FILE_NO_INITRAMFS;
		}
		/* The length passed includes the terminating NUL. */
		ret = syscall(SYS_kexec_file_load, kfd, ifd,
			      strlen(cmdline) + 1, cmdline, flags);
		if (ret)
			return fail("kexec_file_load", kernel);
		close(kfd);
		if (ifd >= 0)
			close(ifd);
	} else if (optind != argc || !do_exec) {
		usage();
	}

	if (do_exec) {
		sync();
		printf("kexec-timing: user exec cycles=%llu\n", cycles());
		fflush(stdout);
		ret = syscall(SYS_reboot, LINUX_REBOOT_MAGIC1,
			      LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_KEXEC, NULL);
		/* Only returns on failure. */
		return fail("reboot", "(LINUX_REBOOT_CMD_KEXEC)");
	}
	return 0;
}
