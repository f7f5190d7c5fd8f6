/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LINUX_KEXEC_HANDOVER_INTERNAL_H
#define LINUX_KEXEC_HANDOVER_INTERNAL_H

#include <linux/kexec_handover.h>
#include <linux/kho/abi/kexec_handover.h>
#include <linux/list.h>
#include <linux/types.h>

/* Largest number of scratch areas we accept from a previous kernel. */
#define KHO_MAX_SCRATCH_AREAS	(MAX_NUMNODES + 2)

/* Radix keys: a block of 2^order pages at @phys (see the ABI header). */
static inline unsigned long kho_radix_encode_key(phys_addr_t phys,
						 unsigned int order)
{
	unsigned int shift = PAGE_SHIFT + order;

	return (1UL << (64 - shift)) | (phys >> shift);
}

/* Reverse of kho_radix_encode_key(); @key must be non-zero. */
static inline phys_addr_t kho_radix_decode_key(unsigned long key,
					       unsigned int *order)
{
	unsigned int top = fls64(key) - 1;

	*order = 64 - PAGE_SHIFT - top;
	return (phys_addr_t)(key & ~(1UL << top)) << (PAGE_SHIFT + *order);
}

/* Slot of @key in a table node of level @level (1 = just above leaves). */
static inline unsigned int kho_radix_table_index(unsigned long key,
						 unsigned int level)
{
	unsigned int shift = KHO_BITMAP_SIZE_LOG2 +
			     (level - 1) * KHO_TABLE_SIZE_LOG2;

	return (key >> shift) & ((1UL << KHO_TABLE_SIZE_LOG2) - 1);
}

static inline unsigned int kho_radix_leaf_index(unsigned long key)
{
	return key & ((1UL << KHO_BITMAP_SIZE_LOG2) - 1);
}

/**
 * struct kho_block - one preserved block found in an incoming handover
 * @pfn: first page frame
 * @order: the block is 2^@order pages
 */
struct kho_block {
	u64 pfn:58;
	u64 order:6;
};

static inline u64 kho_block_end(const struct kho_block *b)
{
	return b->pfn + (1ULL << b->order);
}

/**
 * struct kho_in_check_ops - what the incoming-tree checker may rely on
 * @node_ok: may a tree node page live at this physical address?
 * @block_ok: may a preserved block of this size live here? (%NULL: do not
 *	check blocks, for a walk that repeats one that did)
 * @map: turn a node's physical address into a pointer
 * @reason: set to a description of the first problem found
 *
 * Boot code checks against memblock and the scratch areas; the KUnit
 * tests supply their own.
 */
struct kho_in_check_ops {
	bool (*node_ok)(phys_addr_t phys, void *ctx);
	bool (*block_ok)(phys_addr_t phys, u64 size, void *ctx);
	void *(*map)(phys_addr_t phys, void *ctx);
	void *ctx;
	const char *reason;
};

/* Static unless KUnit tests them (VISIBLE_IF_KUNIT). */
#if IS_ENABLED(CONFIG_KUNIT)
int kho_check_fdt(const void *fdt, u64 buf_size, phys_addr_t *mem_map,
		  const char **reason);
int kho_check_scratch(const struct kho_scratch *areas, unsigned int nr,
		      const char **reason);
long kho_check_tree(phys_addr_t root, unsigned long *visited,
		    unsigned long nr_visited_bits, struct kho_block *out,
		    unsigned long max_blocks, struct kho_in_check_ops *ops);
int kho_sort_blocks(struct kho_block *blocks, struct kho_block *tmp,
		    unsigned long nr);
const struct kho_block *kho_find_block(const struct kho_block *blocks,
				       unsigned long nr, u64 pfn);
bool kho_range_in_scratch(const struct kho_scratch *areas, unsigned int nr,
			  phys_addr_t phys, u64 size);
#endif

int kho_selftest_corrupt(const char *what);
void kho_wait_boot_done(void);

extern struct kho_scratch *kho_scratch;
extern unsigned int kho_scratch_cnt;


#ifdef CONFIG_KEXEC_HANDOVER_DEBUGFS
#include <linux/debugfs.h>

struct kho_debugfs {
	struct dentry *dir;
	struct dentry *sub_fdt_dir;
	struct list_head blobs;
};

int kho_debugfs_init(void);
void kho_in_debugfs_init(struct kho_debugfs *dbg, const void *fdt);
int kho_out_debugfs_init(struct kho_debugfs *dbg);
int kho_debugfs_blob_add(struct kho_debugfs *dbg, const char *name,
			 const void *blob, size_t size, bool root);
void kho_debugfs_blob_remove(struct kho_debugfs *dbg, const void *blob);
#else
struct kho_debugfs {};

static inline int kho_debugfs_init(void) { return 0; }
static inline void kho_in_debugfs_init(struct kho_debugfs *dbg,
				       const void *fdt) { }
static inline int kho_out_debugfs_init(struct kho_debugfs *dbg) { return 0; }
static inline int kho_debugfs_blob_add(struct kho_debugfs *dbg,
				       const char *name, const void *blob,
				       size_t size, bool root) { return 0; }
static inline void kho_debugfs_blob_remove(struct kho_debugfs *dbg,
					   const void *blob) { }
#endif

#endif /* LINUX_KEXEC_HANDOVER_INTERNAL_H */
