/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kfimg - the input of the fuzz targets that follow pointers: an image of
 * the previous kernel's memory, as the next kernel sees it after KHO
 * accepted the handover.
 *
 *   struct kfimg_hdr
 *   struct kfimg_block [nr_blocks]     preserved blocks (page, order)
 *   patches until the end:             u16 page, u16 offset, u16 len, bytes
 *
 * The arena starts zeroed; each patch writes bytes into one page. Only
 * what KHO itself guarantees to its users is enforced by the harness
 * (blocks inside RAM, aligned, disjoint; a subtree blob inside one block):
 * those are checked by kexec_handover.c, which has its own target.
 */
#ifndef KFIMG_H
#define KFIMG_H

#include "kshim.h"

struct kfimg_hdr {
	u16 nr_pages;		/* arena size; 1..KFIMG_MAX_PAGES */
	u16 nr_blocks;
	u32 knob;		/* for the target: switches, an index */
	u64 blob_phys;		/* the subtree's blob, or the handle */
	u64 blob_size;
} __packed;

struct kfimg_block {
	u16 page;
	u8 order;
	u8 unused;
} __packed;

struct kfimg_patch {
	u16 page;
	u16 off;
	u16 len;
} __packed;

#define KFIMG_MAX_PAGES		1024
#define KFIMG_MAX_BLOCKS	512

struct kfimg {
	struct kfimg_hdr hdr;
	struct kho_block *blocks;
	unsigned long nr_blocks;
	void *fdt;
};

/* Fuzzer side: 0 if the image is one KHO could have accepted. */
int kfimg_load(const u8 *data, size_t size, const char *subtree,
	       struct kfimg *img);
void kfimg_end_of_boot(struct kfimg *img);
/* The same image for KHO's own target: no handover is accepted yet. */
int kfimg_load_raw(const u8 *data, size_t size, struct kfimg *img);

/* Generator side: build the state with the kernel's writers, then save. */
void kfimg_gen_begin(unsigned long nr_pages);
int kfimg_gen_save(const char *path, u64 blob_phys, u64 blob_size, u32 knob);
/* Every non-zero page of the arena, and @nr ranges as the blocks. */
int kfimg_gen_save_all(const char *path, const struct kfimg_hdr *hdr,
		       const struct kfimg_block *b, unsigned int nr);

#endif /* KFIMG_H */
