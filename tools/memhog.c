// SPDX-License-Identifier: GPL-2.0
/*
 * memhog: put the kernel under memory pressure (static, for the
 * initramfs).
 *
 *   memhog MIB    allocate MIB MiB of anonymous memory, write every page,
 *                 say so, and hold it until killed
 *
 * The pages are written with a changing pattern so that nothing (zero
 * page, KSM) can share them.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned long mib, i, page = sysconf(_SC_PAGESIZE);
	unsigned char *p;

	if (argc != 2 || !(mib = strtoul(argv[1], NULL, 0))) {
		fprintf(stderr, "usage: memhog MIB\n");
		return 2;
	}
	p = mmap(NULL, mib << 20, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("memhog: mmap");
		return 1;
	}
	for (i = 0; i < (mib << 20); i += page)
		p[i] = (unsigned char)(i / page);
	printf("MEMHOG: holding %lu MiB\n", mib);
	fflush(stdout);
	for (;;)
		pause();
}
