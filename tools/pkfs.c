// SPDX-License-Identifier: GPL-2.0
/*
 * pkfs: exercise pkernfs from the command line (static, for the
 * initramfs).
 *
 *   pkfs fill FILE MIB SEED [write]  create FILE of MIB MiB holding a
 *                                    pattern made from SEED, written
 *                                    through a shared mapping (or write())
 *   pkfs check FILE MIB SEED [mmap]  compare every byte of FILE with the
 *                                    pattern, through a mapping and read()
 *                                    (only the mapping with "mmap")
 *   pkfs pmd FILE                    map FILE, touch every page and report
 *                                    how much of it is mapped by PMDs
 *   pkfs try OP ARGS...              do one thing and print its errno:
 *        mount OPTIONS DIR           mount -t pkernfs none DIR
 *        fifo PATH | symlink PATH | link OLD NEW | tmpfile DIR
 *        create PATH | read PATH | write PATH
 *        fill PATH MIB               write MIB MiB of zeroes
 *        mmap-read PATH              read the first byte through a mapping
 *        procmem PATH                read it through /proc/self/mem
 *        falloc PATH OFF LEN | punch PATH OFF LEN   fallocate()
 *   pkfs as UID GID try OP ARGS...   the same as that user
 *
 * Lines starting "PKFS:" report results.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void die(const char *what)
{
	printf("PKFS: error: %s: %s\n", what, strerror(errno));
	exit(1);
}

static uint64_t word(uint64_t seed, uint64_t off)
{
	uint64_t x = seed ^ (off * 0x9e3779b97f4a7c15ULL);

	x ^= x >> 29;
	x *= 0xbf58476d1ce4e5b9ULL;
	return x ^ (x >> 32);
}

static int cmd_fill(const char *path, size_t size, uint64_t seed, int use_write)
{
	uint64_t *p, i, buf[512];
	double t0 = now_ms();
	int fd;

	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		die("open");
	if (use_write) {
		for (i = 0; i < size / 8; i++) {
			buf[i % 512] = word(seed, i * 8);
			if (i % 512 == 511 &&
			    write(fd, buf, sizeof(buf)) != sizeof(buf))
				die("write");
		}
	} else {
		if (ftruncate(fd, size))
			die("ftruncate");
		p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED)
			die("mmap");
		for (i = 0; i < size / 8; i++)
			p[i] = word(seed, i * 8);
		munmap(p, size);
	}
	close(fd);
	printf("PKFS: filled %s, %zu MiB, in %.0f ms\n", path, size >> 20,
	       now_ms() - t0);
	return 0;
}

static int cmd_check(const char *path, size_t size, uint64_t seed,
		     int mmap_only)
{
	uint64_t *p, i, bad = 0, buf[512];
	double t0 = now_ms();
	struct stat st;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		die("open");
	if (fstat(fd, &st))
		die("fstat");
	if ((size_t)st.st_size != size) {
		printf("PKFS: FAIL %s has %lld bytes, expected %zu\n", path,
		       (long long)st.st_size, size);
		return 1;
	}
	p = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("mmap");
	for (i = 0; i < size / 8; i++)
		if (p[i] != word(seed, i * 8) && !bad++)
			printf("PKFS: FAIL first bad word at %#llx\n",
			       (unsigned long long)i * 8);
	munmap(p, size);
	/* And through read(), which takes another path in the kernel. */
	for (i = 0; !mmap_only && i < size / 8; i += 512) {
		n = pread(fd, buf, sizeof(buf), i * 8);
		if (n != sizeof(buf))
			die("pread");
		for (unsigned int k = 0; k < 512; k++)
			if (buf[k] != word(seed, (i + k) * 8) && !bad++)
				printf("PKFS: FAIL read() differs at %#llx\n",
				       (unsigned long long)(i + k) * 8);
	}
	close(fd);
	printf("PKFS: compared %s, %zu MiB, in %.0f ms: %llu bad words\n",
	       path, size >> 20, now_ms() - t0, (unsigned long long)bad);
	printf("PKFS: check %s\n", bad ? "FAILED" : "passed");
	return !!bad;
}

static int cmd_pmd(const char *path)
{
	char line[256], *p;
	long kb = 0, v;
	struct stat st;
	volatile char *m;
	FILE *f;
	int fd;

	fd = open(path, O_RDWR);
	if (fd < 0 || fstat(fd, &st))
		die("open");
	m = mmap(NULL, st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		die("mmap");
	for (off_t o = 0; o < st.st_size; o += 4096)
		m[o] = m[o];
	f = fopen("/proc/self/smaps", "r");
	if (!f)
		die("smaps");
	while (fgets(line, sizeof(line), f)) {
		p = strstr(line, "FilePmdMapped:");
		if (p && sscanf(p + 14, "%ld", &v) == 1)
			kb += v;
	}
	fclose(f);
	printf("PKFS: %s: %ld kB of %lld kB mapped by PMDs\n", path, kb,
	       (long long)st.st_size >> 10);
	return 0;
}

static int try_op(int argc, char **argv)
{
	const char *op = argv[0];
	char buf[4096];
	int fd, ret = 0;

	errno = 0;
	if (!strcmp(op, "mount") && argc == 3) {
		ret = mount("none", argv[2], "pkernfs", 0, argv[1]);
	} else if (!strcmp(op, "fifo") && argc == 2) {
		ret = mknod(argv[1], S_IFIFO | 0600, 0);
	} else if (!strcmp(op, "symlink") && argc == 2) {
		ret = symlink("target", argv[1]);
	} else if (!strcmp(op, "link") && argc == 3) {
		ret = link(argv[1], argv[2]);
	} else if (!strcmp(op, "tmpfile") && argc == 2) {
		ret = open(argv[1], O_TMPFILE | O_RDWR, 0600);
	} else if (!strcmp(op, "create") && argc == 2) {
		ret = open(argv[1], O_CREAT | O_RDWR, 0600);
	} else if (!strcmp(op, "read") && argc == 2) {
		fd = open(argv[1], O_RDONLY);
		ret = fd < 0 ? -1 : read(fd, buf, sizeof(buf));
	} else if (!strcmp(op, "write") && argc == 2) {
		fd = open(argv[1], O_WRONLY);
		ret = fd < 0 ? -1 : write(fd, "x", 1);
	} else if (!strcmp(op, "fill") && argc == 3) {
		long left = atol(argv[2]) * 256;

		memset(buf, 0, sizeof(buf));
		fd = open(argv[1], O_WRONLY | O_CREAT, 0600);
		ret = fd < 0 ? -1 : 0;
		while (!ret && left-- > 0)
			if (write(fd, buf, sizeof(buf)) != sizeof(buf))
				ret = -1;
	} else if ((!strcmp(op, "falloc") || !strcmp(op, "punch")) &&
		   argc == 4) {
		fd = open(argv[1], O_RDWR | O_CREAT, 0644);
		ret = fd < 0 ? -1 :
		      fallocate(fd, strcmp(op, "punch") ? 0 :
				FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
				strtoll(argv[2], NULL, 0),
				strtoll(argv[3], NULL, 0));
	} else if (!strcmp(op, "procmem") && argc == 2) {
		volatile char *m;
		int mem;

		/* What a debugger or /proc reader gets of the mapping. */
		fd = open(argv[1], O_RDONLY);
		m = fd < 0 ? MAP_FAILED :
		    mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
		mem = open("/proc/self/mem", O_RDONLY);
		ret = m == MAP_FAILED || mem < 0 ? -1 :
		      pread(mem, buf, 8, (off_t)(unsigned long)m);
	} else if (!strcmp(op, "mmap-read") && argc == 2) {
		volatile char *m;

		fd = open(argv[1], O_RDONLY);
		m = fd < 0 ? MAP_FAILED :
		    mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
		ret = m == MAP_FAILED ? -1 : m[0];
	} else {
		fprintf(stderr, "pkfs try: unknown operation %s\n", op);
		return 2;
	}
	printf("PKFS: %s -> %s\n", op,
	       ret < 0 && errno ? strerrorname_np(errno) : "OK");
	return 0;
}

int main(int argc, char **argv)
{
	if ((argc == 5 || argc == 6) && !strcmp(argv[1], "fill"))
		return cmd_fill(argv[2], strtoull(argv[3], NULL, 0) << 20,
				strtoull(argv[4], NULL, 0),
				argc == 6 && !strcmp(argv[5], "write"));
	if ((argc == 5 || argc == 6) && !strcmp(argv[1], "check"))
		return cmd_check(argv[2], strtoull(argv[3], NULL, 0) << 20,
				 strtoull(argv[4], NULL, 0),
				 argc == 6 && !strcmp(argv[5], "mmap"));
	if (argc == 3 && !strcmp(argv[1], "pmd"))
		return cmd_pmd(argv[2]);
	if (argc >= 3 && !strcmp(argv[1], "try"))
		return try_op(argc - 2, argv + 2);
	if (argc >= 6 && !strcmp(argv[1], "as") && !strcmp(argv[4], "try")) {
		if (setgroups(0, NULL) || setgid(atoi(argv[3])) ||
		    setuid(atoi(argv[2])))
			die("setuid");
		return try_op(argc - 5, argv + 5);
	}
	fprintf(stderr,
		"usage: pkfs fill FILE MIB SEED [write]\n"
		"       pkfs check FILE MIB SEED [mmap]\n"
		"       pkfs pmd FILE\n"
		"       pkfs [as UID GID] try OP ARGS...\n");
	return 2;
}
