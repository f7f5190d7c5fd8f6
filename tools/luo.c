// SPDX-License-Identifier: GPL-2.0
/*
 * luo: drive /dev/liveupdate from the command line (static, for the
 * initramfs).
 *
 *   luo hold SESSION MIB [SEED]   fill a MIB memfd with a pattern, preserve
 *                                 it in SESSION (token 1, with a small text
 *                                 memfd as token 2), then keep the session
 *                                 open in a background process
 *   luo check SESSION MIB [SEED] [keep|punch]
 *                                 retrieve SESSION, check size, position
 *                                 and every byte of both memfds, finish
 *                                 the session; with "keep", preserve the
 *                                 memfd again for one more kexec; with
 *                                 "punch", punch a hole in it and cut it
 *                                 short inside (large) folios, and check
 *                                 what is left
 *   luo many hold|check NSESSIONS NFILES
 *                                 many sessions of many small memfds
 *   luo misuse                    every misuse of the uAPI gets its errno
 *   luo list                      the sessions the previous kernel handed
 *                                 over and their state (debugfs)
 *   luo drop SESSION              retrieve SESSION and finish it without
 *                                 taking its files: their memory is freed
 *   luo vm SESSION MIB -- CMD ARGS...
 *                                 run CMD (a VMM such as QEMU) with a new
 *                                 MIB MiB memfd as fd 10 (guest RAM:
 *                                 mem-path=/proc/self/fd/10) and an empty
 *                                 memfd as fd 11 (for its saved state);
 *                                 when CMD exits, preserve both in SESSION
 *                                 (tokens 1 and 2) and hold the session
 *   luo vm-resume SESSION -- CMD ARGS...
 *                                 retrieve both memfds of SESSION, finish
 *                                 it and run CMD with them as fds 10 and
 *                                 11; when CMD exits, preserve them again
 *
 * Lines starting "LUO:" report results and timings.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/liveupdate.h>

#define DEV "/dev/liveupdate"
#define TEXT "handed over by the previous kernel"

static int failures;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("LUO: error: ");
	vprintf(fmt, ap);
	printf(" (%s)\n", strerror(errno));
	va_end(ap);
	exit(1);
}

static int luo_open(void)
{
	int fd = open(DEV, O_RDWR);

	if (fd < 0)
		die("open " DEV);
	return fd;
}

static int create_session(int luo, const char *name)
{
	struct liveupdate_ioctl_create_session a = { .size = sizeof(a) };

	snprintf((char *)a.name, sizeof(a.name), "%s", name);
	if (ioctl(luo, LIVEUPDATE_IOCTL_CREATE_SESSION, &a) < 0)
		return -errno;
	return a.fd;
}

static int retrieve_session(int luo, const char *name)
{
	struct liveupdate_ioctl_retrieve_session a = { .size = sizeof(a) };

	snprintf((char *)a.name, sizeof(a.name), "%s", name);
	if (ioctl(luo, LIVEUPDATE_IOCTL_RETRIEVE_SESSION, &a) < 0)
		return -errno;
	return a.fd;
}

static int preserve_fd(int session, int fd, uint64_t token)
{
	struct liveupdate_session_preserve_fd a = {
		.size = sizeof(a), .fd = fd, .token = token,
	};

	return ioctl(session, LIVEUPDATE_SESSION_PRESERVE_FD, &a) < 0 ? -errno : 0;
}

static int retrieve_fd(int session, uint64_t token)
{
	struct liveupdate_session_retrieve_fd a = {
		.size = sizeof(a), .token = token,
	};

	if (ioctl(session, LIVEUPDATE_SESSION_RETRIEVE_FD, &a) < 0)
		return -errno;
	return a.fd;
}

static int finish_session(int session)
{
	struct liveupdate_session_finish a = { .size = sizeof(a) };

	return ioctl(session, LIVEUPDATE_SESSION_FINISH, &a) < 0 ? -errno : 0;
}

/* The pattern: every 8-byte word is a function of the seed and its offset. */
static uint64_t word(uint64_t seed, uint64_t off)
{
	uint64_t x = seed ^ (off * 0x9e3779b97f4a7c15ULL);

	x ^= x >> 31;
	return x * 0xbf58476d1ce4e5b9ULL;
}

static void *map(int fd, size_t size, int prot)
{
	void *p = mmap(NULL, size, prot, MAP_SHARED, fd, 0);

	if (p == MAP_FAILED)
		die("mmap");
	return p;
}

static int make_memfd(const char *name, size_t size)
{
	int fd = memfd_create(name, 0);

	if (fd < 0)
		die("memfd_create");
	if (ftruncate(fd, size))
		die("ftruncate");
	return fd;
}

/* Keep the session descriptors open in a child that outlives us. */
static void hold_in_background(void)
{
	pid_t pid;
	int null;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid) {
		printf("LUO: held by pid %d\n", pid);
		exit(0);
	}
	/* Let whoever reads our output see its end. */
	null = open("/dev/null", O_RDWR);
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		if (null > 2)
			close(null);
	}
	setsid();
	for (;;)
		pause();
}

static size_t mib(const char *s)
{
	return strtoull(s, NULL, 0) << 20;
}

static int cmd_hold(const char *name, size_t size, uint64_t seed,
		    int src, int luo)
{
	double t0, t1, t2;
	uint64_t *p, i;
	int s, fd, txt, err;

	if (src < 0) {
		fd = make_memfd("guest-ram", size);
		t0 = now_ms();
		p = map(fd, size, PROT_READ | PROT_WRITE);
		for (i = 0; i < size / 8; i++)
			p[i] = word(seed, i * 8);
		munmap(p, size);
		printf("LUO: filled %zu MiB in %.0f ms\n", size >> 20,
		       now_ms() - t0);
		if (lseek(fd, size / 3 + 5, SEEK_SET) < 0)
			die("lseek");
	} else {
		fd = src;
	}
	txt = make_memfd("text", 0);
	if (write(txt, TEXT, sizeof(TEXT)) != sizeof(TEXT))
		die("write");
	if (luo < 0)
		luo = luo_open();
	t0 = now_ms();
	s = create_session(luo, name);
	if (s < 0) {
		errno = -s;
		die("create session %s", name);
	}
	err = preserve_fd(s, fd, 1);
	t1 = now_ms();
	if (!err)
		err = preserve_fd(s, txt, 2);
	t2 = now_ms();
	if (err) {
		errno = -err;
		die("preserve");
	}
	printf("LUO: preserved %zu MiB in %.1f ms (text memfd %.1f ms)\n",
	       size >> 20, t1 - t0, t2 - t1);
	close(luo);
	hold_in_background();
	return 0;
}

/*
 * Work on retrieved memory where large folios must split: punch a page
 * out of the second MiB and cut the file short in the middle of a folio,
 * then check the hole reads as zeroes and everything else is intact.
 */
static void punch_and_cut(int fd, size_t size, uint64_t seed)
{
	size_t hole = (1 << 20) + 4096, cut = size - (1 << 20) - 12288;
	uint64_t *p, i, want, bad = 0;
	struct stat st;

	if (size < (4 << 20)) {
		printf("LUO: FAIL punch needs at least 4 MiB\n");
		failures++;
		return;
	}
	if (fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
		      hole, 4096))
		die("punch a hole at %zu", hole);
	if (ftruncate(fd, cut))
		die("ftruncate to %zu", cut);
	if (fstat(fd, &st))
		die("fstat");
	if ((size_t)st.st_size != cut) {
		printf("LUO: FAIL size %lld after cut, expected %zu\n",
		       (long long)st.st_size, cut);
		failures++;
	}
	p = map(fd, cut, PROT_READ);
	for (i = 0; i < cut / 8; i++) {
		want = i * 8 >= hole && i * 8 < hole + 4096 ? 0 :
		       word(seed, i * 8);
		if (p[i] != want && !bad++)
			printf("LUO: FAIL after punch, bad word at %#llx\n",
			       (unsigned long long)i * 8);
	}
	munmap(p, cut);
	printf("LUO: punched a page, cut to %zu bytes: %llu bad words\n",
	       cut, (unsigned long long)bad);
	failures += !!bad;
}

static int cmd_check(const char *name, size_t size, uint64_t seed,
		     const char *mode)
{
	double t0, t1, t2;
	uint64_t *p, i, bad = 0;
	char buf[64] = "";
	struct stat st;
	int luo, s, fd, txt, err;
	off_t pos;

	luo = luo_open();
	t0 = now_ms();
	s = retrieve_session(luo, name);
	if (s < 0) {
		errno = -s;
		die("retrieve session %s", name);
	}
	fd = retrieve_fd(s, 1);
	t1 = now_ms();
	if (fd < 0) {
		errno = -fd;
		die("retrieve token 1");
	}
	printf("LUO: retrieved %zu MiB in %.1f ms\n", size >> 20, t1 - t0);
	if (fstat(fd, &st))
		die("fstat");
	if ((size_t)st.st_size != size) {
		printf("LUO: FAIL size %lld, expected %zu\n",
		       (long long)st.st_size, size);
		failures++;
	}
	pos = lseek(fd, 0, SEEK_CUR);
	if (pos != (off_t)(size / 3 + 5)) {
		printf("LUO: FAIL position %lld, expected %zu\n",
		       (long long)pos, size / 3 + 5);
		failures++;
	}
	p = map(fd, size, PROT_READ | PROT_WRITE);
	for (i = 0; i < size / 8; i++)
		if (p[i] != word(seed, i * 8) && !bad++)
			printf("LUO: FAIL first bad word at offset %#llx\n",
			       (unsigned long long)i * 8);
	t2 = now_ms();
	printf("LUO: compared %zu MiB in %.0f ms: %llu bad words\n",
	       size >> 20, t2 - t1, (unsigned long long)bad);
	failures += !!bad;

	/* The workload goes on: the memory is ours again. */
	p[0] ^= 1;
	p[0] ^= 1;
	munmap(p, size);

	txt = retrieve_fd(s, 2);
	if (txt < 0 || pread(txt, buf, sizeof(buf), 0) != sizeof(TEXT) ||
	    strcmp(buf, TEXT)) {
		printf("LUO: FAIL text memfd: '%s'\n", buf);
		failures++;
	}
	err = finish_session(s);
	if (err) {
		printf("LUO: FAIL finish: %s\n", strerror(-err));
		failures++;
	}
	close(txt);
	close(s);
	if (!strcmp(mode, "punch"))
		punch_and_cut(fd, size, seed);
	printf("LUO: check %s\n", failures ? "FAILED" : "passed");
	if (failures)
		return 1;
	if (!strcmp(mode, "keep"))
		return cmd_hold(name, size, seed, fd, luo);
	close(fd);
	return 0;
}

static int cmd_many(const char *what, int nsess, int nfiles)
{
	char name[64], buf[64], want[64];
	int luo = luo_open(), i, j, s, fd, bad = 0;
	double t0 = now_ms();

	for (i = 0; i < nsess; i++) {
		snprintf(name, sizeof(name), "many-%d", i);
		s = !strcmp(what, "hold") ? create_session(luo, name) :
					    retrieve_session(luo, name);
		if (s < 0) {
			errno = -s;
			die("session %s", name);
		}
		for (j = 0; j < nfiles; j++) {
			int len = snprintf(want, sizeof(want), "session %d file %d", i, j) + 1;

			if (!strcmp(what, "hold")) {
				fd = make_memfd("many", 0);
				if (write(fd, want, len) != len)
					die("write");
				if (preserve_fd(s, fd, 1000 + j))
					die("preserve %s/%d", name, j);
				close(fd);
				continue;
			}
			fd = retrieve_fd(s, 1000 + j);
			memset(buf, 0, sizeof(buf));
			if (fd < 0 || pread(fd, buf, sizeof(buf), 0) != len ||
			    strcmp(buf, want)) {
				if (!bad++)
					printf("LUO: FAIL %s file %d: '%s'\n",
					       name, j, buf);
			}
			close(fd);
		}
		if (strcmp(what, "hold")) {
			if (finish_session(s))
				bad++;
			close(s);
		}
	}
	printf("LUO: %s %d sessions x %d files in %.0f ms, %d bad\n", what,
	       nsess, nfiles, now_ms() - t0, bad);
	if (bad)
		return 1;
	if (!strcmp(what, "hold")) {
		close(luo);
		hold_in_background();
	}
	return 0;
}

/* ---------------------------------------------------------------------- */

static void expect(const char *what, int got, int want)
{
	if (got == want) {
		printf("LUO: ok %s (%s)\n", what, want ? strerror(want) : "0");
	} else {
		printf("LUO: FAIL %s: got %s, expected %s\n", what,
		       got ? strerror(got) : "success", strerror(want));
		failures++;
	}
}

static int neg(int ret)
{
	return ret < 0 ? -ret : 0;
}

static int raw_ioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) < 0 ? errno : 0;
}

static int cmd_misuse(void)
{
	struct liveupdate_ioctl_create_session cs;
	struct {
		struct liveupdate_session_preserve_fd a;
		uint64_t extra;
	} big;
	struct liveupdate_session_finish fin = { .size = sizeof(fin) };
	int luo, s, s2, mfd, mfd2, pfd[2], ret;

	luo = luo_open();
	ret = open(DEV, O_RDWR);
	expect("second opener", ret < 0 ? errno : 0, EBUSY);

	s = create_session(luo, "misuse");
	expect("create session", neg(s), 0);
	expect("duplicate session name", neg(create_session(luo, "misuse")),
	       EEXIST);
	expect("empty session name", neg(create_session(luo, "")), EINVAL);
	memset(&cs, 'x', sizeof(cs));
	cs.size = sizeof(cs);
	expect("unterminated session name",
	       raw_ioctl(luo, LIVEUPDATE_IOCTL_CREATE_SESSION, &cs), EINVAL);
	cs.size = 4;
	expect("struct size too small",
	       raw_ioctl(luo, LIVEUPDATE_IOCTL_CREATE_SESSION, &cs), EINVAL);
	expect("unknown device ioctl",
	       raw_ioctl(luo, _IO(LIVEUPDATE_IOCTL_TYPE, 0x07), &cs), EINVAL);
	expect("retrieve missing session",
	       neg(retrieve_session(luo, "no-such-session")), ENOENT);

	mfd = make_memfd("misuse", 8192);
	expect("preserve bad fd", neg(preserve_fd(s, 1000, 1)), EBADF);
	if (pipe(pfd))
		die("pipe");
	expect("preserve unsupported fd (pipe)", neg(preserve_fd(s, pfd[0], 1)),
	       ENOENT);
	mfd2 = memfd_create("huge", MFD_HUGETLB);
	if (mfd2 >= 0) {
		expect("preserve hugetlb memfd", neg(preserve_fd(s, mfd2, 1)),
		       ENOENT);
		close(mfd2);
	} else {
		printf("LUO: info no hugetlb memfds in this kernel (%s)\n",
		       strerror(errno));
	}
	expect("preserve memfd", neg(preserve_fd(s, mfd, 1)), 0);
	mfd2 = make_memfd("misuse2", 4096);
	expect("duplicate token", neg(preserve_fd(s, mfd2, 1)), EEXIST);
	expect("same memfd twice in a session", neg(preserve_fd(s, mfd, 2)),
	       EBUSY);
	s2 = create_session(luo, "misuse-2");
	expect("same memfd in another session", neg(preserve_fd(s2, mfd, 1)),
	       EBUSY);

	memset(&big, 0, sizeof(big));
	big.a.size = sizeof(big);
	big.a.fd = mfd2;
	big.a.token = 5;
	big.extra = 1;
	expect("larger struct with non-zero tail",
	       raw_ioctl(s, LIVEUPDATE_SESSION_PRESERVE_FD, &big), E2BIG);
	big.extra = 0;
	expect("larger struct with zero tail",
	       raw_ioctl(s, LIVEUPDATE_SESSION_PRESERVE_FD, &big), 0);

	expect("finish an outgoing session",
	       raw_ioctl(s, LIVEUPDATE_SESSION_FINISH, &fin), EINVAL);
	expect("retrieve fd from an outgoing session", neg(retrieve_fd(s, 1)),
	       EINVAL);

	/* A preserved memfd keeps its size and holes. */
	expect("truncate preserved memfd", ftruncate(mfd, 4096) ? errno : 0,
	       EPERM);
	expect("grow preserved memfd", ftruncate(mfd, 1 << 20) ? errno : 0,
	       EPERM);
	expect("fallocate preserved memfd",
	       fallocate(mfd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0,
			 4096) ? errno : 0, EPERM);
	expect("write inside preserved memfd",
	       pwrite(mfd, "abc", 3, 10) == 3 ? 0 : errno, 0);

	/* Closing the session unpreserves: the memfd is free again. */
	close(s);
	expect("truncate after session closed",
	       ftruncate(mfd, 4096) ? errno : 0, 0);
	expect("preserve again in another session", neg(preserve_fd(s2, mfd, 1)),
	       0);
	close(s2);
	expect("session name reusable after close",
	       neg(s = create_session(luo, "misuse")), 0);
	close(s);
	close(mfd);
	close(mfd2);
	close(luo);
	printf("LUO: misuse %s\n", failures ? "FAILED" : "passed");
	return !!failures;
}

#define VM_RAM_FD	10
#define VM_STATE_FD	11

/*
 * Run @cmd with the guest RAM and state memfds as fds 10 and 11; when it
 * exits, preserve both in session @name and hold the session.
 */
static int run_vm(const char *name, int ram, int state, char **cmd)
{
	int luo, s, status, err;
	pid_t pid;

	if (dup2(ram, VM_RAM_FD) < 0 || dup2(state, VM_STATE_FD) < 0)
		die("dup2");
	close(ram);
	close(state);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		execvp(cmd[0], cmd);
		die("exec %s", cmd[0]);
	}
	printf("LUO: %s runs as pid %d, guest RAM in a memfd of %lld MiB\n",
	       cmd[0], pid, (long long)lseek(VM_RAM_FD, 0, SEEK_END) >> 20);
	fflush(stdout);
	if (waitpid(pid, &status, 0) < 0)
		die("waitpid");
	printf("LUO: %s exited (status %d)\n", cmd[0], status);
	luo = luo_open();
	s = create_session(luo, name);
	if (s < 0) {
		errno = -s;
		die("create session %s", name);
	}
	err = preserve_fd(s, VM_RAM_FD, 1);
	if (!err)
		err = preserve_fd(s, VM_STATE_FD, 2);
	if (err) {
		errno = -err;
		die("preserve");
	}
	printf("LUO: preserved guest RAM and %lld bytes of VM state in %s\n",
	       (long long)lseek(VM_STATE_FD, 0, SEEK_END), name);
	close(luo);
	hold_in_background();
	return 0;
}

static int cmd_vm(const char *name, size_t size, char **cmd)
{
	return run_vm(name, make_memfd("guest-ram", size),
		      make_memfd("vm-state", 0), cmd);
}

static int cmd_vm_resume(const char *name, char **cmd)
{
	int luo, s, ram, state, err;

	luo = luo_open();
	s = retrieve_session(luo, name);
	if (s < 0) {
		errno = -s;
		die("retrieve session %s", name);
	}
	ram = retrieve_fd(s, 1);
	state = retrieve_fd(s, 2);
	if (ram < 0 || state < 0) {
		errno = -(ram < 0 ? ram : state);
		die("retrieve the memfds");
	}
	err = finish_session(s);
	if (err) {
		errno = -err;
		die("finish");
	}
	close(s);
	close(luo);
	printf("LUO: retrieved guest RAM and VM state from %s\n", name);
	return run_vm(name, ram, state, cmd);
}

static int cmd_list(void)
{
	const char *path = "/sys/kernel/debug/liveupdate/incoming_sessions";
	char line[256];
	FILE *f = fopen(path, "r");

	if (!f)
		die("open %s", path);
	while (fgets(line, sizeof(line), f))
		fputs(line, stdout);
	fclose(f);
	return 0;
}

static int cmd_drop(const char *name)
{
	int luo = luo_open(), s, err;

	s = retrieve_session(luo, name);
	if (s < 0) {
		errno = -s;
		die("retrieve session %s", name);
	}
	err = finish_session(s);
	if (err) {
		errno = -err;
		die("finish session %s", name);
	}
	close(s);
	close(luo);
	printf("LUO: dropped session %s\n", name);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "hold"))
		return cmd_hold(argv[2], mib(argv[3]),
				argc > 4 ? strtoull(argv[4], NULL, 0) : 1, -1, -1);
	if (argc >= 4 && !strcmp(argv[1], "check"))
		return cmd_check(argv[2], mib(argv[3]),
				 argc > 4 ? strtoull(argv[4], NULL, 0) : 1,
				 argc > 5 ? argv[5] : "");
	if (argc == 5 && !strcmp(argv[1], "many"))
		return cmd_many(argv[2], atoi(argv[3]), atoi(argv[4]));
	if (argc == 2 && !strcmp(argv[1], "misuse"))
		return cmd_misuse();
	if (argc == 2 && !strcmp(argv[1], "list"))
		return cmd_list();
	if (argc == 3 && !strcmp(argv[1], "drop"))
		return cmd_drop(argv[2]);
	if (argc >= 6 && !strcmp(argv[1], "vm") && !strcmp(argv[4], "--"))
		return cmd_vm(argv[2], mib(argv[3]), argv + 5);
	if (argc >= 5 && !strcmp(argv[1], "vm-resume") && !strcmp(argv[3], "--"))
		return cmd_vm_resume(argv[2], argv + 4);
	fprintf(stderr,
		"usage: luo hold SESSION MIB [SEED]\n"
		"       luo check SESSION MIB [SEED] [keep|punch]\n"
		"       luo many hold|check NSESSIONS NFILES\n"
		"       luo vm SESSION MIB -- CMD ARGS...\n"
		"       luo vm-resume SESSION -- CMD ARGS...\n"
		"       luo misuse\n"
		"       luo list\n"
		"       luo drop SESSION\n");
	return 2;
}
