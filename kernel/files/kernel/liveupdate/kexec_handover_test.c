// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for kexec handover: key encoding, the radix tree, and the
 * checks applied to what a previous kernel hands over, fed with
 * well-formed and malformed input.
 */

#include <kunit/test.h>
#include <linux/bitmap.h>
#include <linux/kexec_handover.h>
#include <linux/kho/abi/kexec_metadata.h>
#include <linux/kho_radix_tree.h>
#include <linux/io.h>
#include <linux/libfdt.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "kexec_handover_internal.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

static void kho_test_key_roundtrip(struct kunit *test)
{
	static const phys_addr_t addrs[] = { 0, SZ_1G, SZ_4G - SZ_2M,
					     0x123456789000ULL };
	unsigned int i, order, got;

	for (i = 0; i < ARRAY_SIZE(addrs); i++) {
		for (order = 0; order <= 30; order++) {
			phys_addr_t p = ALIGN_DOWN(addrs[i], PAGE_SIZE << order);
			unsigned long key = kho_radix_encode_key(p, order);

			KUNIT_EXPECT_LE(test, fls64(key), KHO_RADIX_KEY_WIDTH);
			KUNIT_EXPECT_EQ(test, kho_radix_decode_key(key, &got), p);
			KUNIT_EXPECT_EQ(test, got, order);
		}
	}
	/* Different orders at the same address are different keys. */
	KUNIT_EXPECT_NE(test, kho_radix_encode_key(0, 0),
			kho_radix_encode_key(0, 1));
}

/* Build a root FDT like a KHO kernel does, with one subtree. */
static void *kho_test_fdt(struct kunit *test, const char *compat, u64 map,
			  bool subtree, bool nested)
{
	void *fdt = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	u64 phys = 0x100000, size = 64;
	int err;

	KUNIT_ASSERT_NOT_NULL(test, fdt);
	err = fdt_create(fdt, PAGE_SIZE);
	err |= fdt_finish_reservemap(fdt);
	err |= fdt_begin_node(fdt, "");
	err |= fdt_property_string(fdt, "compatible", compat);
	err |= fdt_property(fdt, KHO_FDT_MEMORY_MAP_PROP_NAME, &map, sizeof(map));
	if (subtree) {
		err |= fdt_begin_node(fdt, "blob");
		err |= fdt_property(fdt, KHO_SUB_TREE_PROP_NAME, &phys, sizeof(phys));
		err |= fdt_property(fdt, KHO_SUB_TREE_SIZE_PROP_NAME, &size,
				    sizeof(size));
		if (nested) {
			err |= fdt_begin_node(fdt, "inner");
			err |= fdt_end_node(fdt);
		}
		err |= fdt_end_node(fdt);
	}
	err |= fdt_end_node(fdt);
	err |= fdt_finish(fdt);
	KUNIT_ASSERT_EQ(test, err, 0);
	return fdt;
}

static void kho_test_fdt_checks(struct kunit *test)
{
	const char *reason;
	phys_addr_t map;
	void *fdt;

	fdt = kho_test_fdt(test, KHO_FDT_COMPATIBLE, 0x200000, true, false);
	KUNIT_EXPECT_EQ(test, kho_check_fdt(fdt, PAGE_SIZE, &map, &reason), 0);
	KUNIT_EXPECT_EQ(test, map, 0x200000);

	/* Buffer smaller than the header, or than totalsize. */
	KUNIT_EXPECT_EQ(test, kho_check_fdt(fdt, 16, &map, &reason), -EINVAL);
	KUNIT_EXPECT_EQ(test, kho_check_fdt(fdt, fdt_totalsize(fdt) - 1, &map,
					    &reason), -EINVAL);
	KUNIT_EXPECT_STREQ(test, reason,
			   "root FDT is larger than the handed over buffer");

	/* Bad magic. */
	fdt_set_magic(fdt, 0x12345678);
	KUNIT_EXPECT_EQ(test, kho_check_fdt(fdt, PAGE_SIZE, &map, &reason), -EINVAL);

	/* Other ABI versions are refused. */
	fdt = kho_test_fdt(test, "kho-v1", 0x200000, false, false);
	KUNIT_EXPECT_EQ(test, kho_check_fdt(fdt, PAGE_SIZE, &map, &reason), -EINVAL);
	KUNIT_EXPECT_STREQ(test, reason,
			   "root FDT is not compatible with " KHO_FDT_COMPATIBLE);

	/* Memory map missing, zero or misaligned. */
	fdt = kho_test_fdt(test, KHO_FDT_COMPATIBLE, 0x200008, false, false);
	KUNIT_EXPECT_EQ(test, kho_check_fdt(fdt, PAGE_SIZE, &map, &reason), -EINVAL);
	fdt = kho_test_fdt(test, KHO_FDT_COMPATIBLE, 0, false, false);
	KUNIT_EXPECT_EQ(test, kho_check_fdt(fdt, PAGE_SIZE, &map, &reason), -EINVAL);

	/* Nodes below a subtree node are not part of the format. */
	fdt = kho_test_fdt(test, KHO_FDT_COMPATIBLE, 0x200000, true, true);
	KUNIT_EXPECT_EQ(test, kho_check_fdt(fdt, PAGE_SIZE, &map, &reason), -EINVAL);

	/* A subtree without blob-size. */
	fdt = kho_test_fdt(test, KHO_FDT_COMPATIBLE, 0x200000, true, false);
	KUNIT_ASSERT_EQ(test, fdt_open_into(fdt, fdt, PAGE_SIZE), 0);
	KUNIT_ASSERT_EQ(test, fdt_delprop(fdt, fdt_subnode_offset(fdt, 0, "blob"),
					  KHO_SUB_TREE_SIZE_PROP_NAME), 0);
	KUNIT_EXPECT_EQ(test, kho_check_fdt(fdt, PAGE_SIZE, &map, &reason), -EINVAL);

	/* A struct block cut short by an early FDT_END. */
	fdt = kho_test_fdt(test, KHO_FDT_COMPATIBLE, 0x200000, true, false);
	*(fdt32_t *)(fdt + fdt_off_dt_struct(fdt) + 8) = cpu_to_fdt32(FDT_END);
	KUNIT_EXPECT_EQ(test, kho_check_fdt(fdt, PAGE_SIZE, &map, &reason), -EINVAL);

	/* A struct block that claims to run past the blob. */
	fdt = kho_test_fdt(test, KHO_FDT_COMPATIBLE, 0x200000, true, false);
	fdt_set_size_dt_struct(fdt, PAGE_SIZE * 4);
	KUNIT_EXPECT_EQ(test, kho_check_fdt(fdt, PAGE_SIZE, &map, &reason), -EINVAL);

	/* Misaligned struct block. */
	fdt = kho_test_fdt(test, KHO_FDT_COMPATIBLE, 0x200000, true, false);
	fdt_set_off_dt_struct(fdt, fdt_off_dt_struct(fdt) + 2);
	KUNIT_EXPECT_EQ(test, kho_check_fdt(fdt, PAGE_SIZE, &map, &reason), -EINVAL);
}

static void kho_test_scratch_checks(struct kunit *test)
{
	const u64 pb = PAGE_SIZE << pageblock_order;
	struct kho_scratch s[3] = {
		{ .addr = 16 * pb, .size = 4 * pb },
		{ .addr = 64 * pb, .size = 8 * pb },
		{ .addr = 128 * pb, .size = pb },
	};
	const char *reason;

	KUNIT_EXPECT_EQ(test, kho_check_scratch(s, 3, &reason), 0);
	KUNIT_EXPECT_EQ(test, kho_check_scratch(s, 0, &reason), -EINVAL);
	KUNIT_EXPECT_EQ(test, kho_check_scratch(s, KHO_MAX_SCRATCH_AREAS + 1,
						&reason), -EINVAL);

	s[1].addr = 18 * pb;			/* overlaps s[0] */
	KUNIT_EXPECT_EQ(test, kho_check_scratch(s, 3, &reason), -EINVAL);
	KUNIT_EXPECT_STREQ(test, reason, "scratch areas overlap");
	s[1].addr = 64 * pb + PAGE_SIZE;	/* misaligned */
	KUNIT_EXPECT_EQ(test, kho_check_scratch(s, 3, &reason), -EINVAL);
	s[1].addr = 64 * pb;
	s[2].size = 0;		/* empty, as upstream sends: ignored */
	KUNIT_EXPECT_EQ(test, kho_check_scratch(s, 3, &reason), 0);
	s[0].size = 0;
	s[1].size = 0;		/* but not all empty */
	KUNIT_EXPECT_EQ(test, kho_check_scratch(s, 3, &reason), -EINVAL);
	s[0].size = 4 * pb;
	s[1].size = 8 * pb;
	s[2].addr = ALIGN_DOWN(~0ULL, pb);	/* wraps */
	s[2].size = 2 * pb;
	KUNIT_EXPECT_EQ(test, kho_check_scratch(s, 3, &reason), -EINVAL);
}

/* Purgatory's digest is skipped only for segments wholly in scratch. */
static void kho_test_range_in_scratch(struct kunit *test)
{
	const u64 pb = PAGE_SIZE << pageblock_order;
	const struct kho_scratch s[2] = {
		{ .addr = 16 * pb, .size = 4 * pb },
		{ .addr = 64 * pb, .size = 0 },		/* empty, as upstream sends */
	};

	KUNIT_EXPECT_TRUE(test, kho_range_in_scratch(s, 2, 16 * pb, 4 * pb));
	KUNIT_EXPECT_TRUE(test, kho_range_in_scratch(s, 2, 19 * pb, pb));
	KUNIT_EXPECT_TRUE(test, kho_range_in_scratch(s, 2, 20 * pb - 1, 1));
	/* one byte out at either end, or longer than the area */
	KUNIT_EXPECT_FALSE(test, kho_range_in_scratch(s, 2, 16 * pb - 1, pb));
	KUNIT_EXPECT_FALSE(test, kho_range_in_scratch(s, 2, 19 * pb + 1, pb));
	KUNIT_EXPECT_FALSE(test, kho_range_in_scratch(s, 2, 16 * pb, 4 * pb + 1));
	/* a size that wraps the address space, an empty area, no areas */
	KUNIT_EXPECT_FALSE(test, kho_range_in_scratch(s, 2, 17 * pb, ~0ULL));
	KUNIT_EXPECT_FALSE(test, kho_range_in_scratch(s, 2, 64 * pb, 1));
	KUNIT_EXPECT_FALSE(test, kho_range_in_scratch(s, 0, 16 * pb, pb));
}

static bool kho_test_any(phys_addr_t phys, void *ctx)
{
	return true;
}

static bool kho_test_none(phys_addr_t phys, void *ctx)
{
	return false;
}

static bool kho_test_block_any(phys_addr_t phys, u64 size, void *ctx)
{
	return true;
}

static bool kho_test_block_below_4g(phys_addr_t phys, u64 size, void *ctx)
{
	return phys + size <= SZ_4G;
}

static void *kho_test_map(phys_addr_t phys, void *ctx)
{
	return phys_to_virt(phys);
}

struct kho_test_tree {
	struct kho_radix_tree tree;
	unsigned long *visited;
	unsigned long nbits;
	struct kho_in_check_ops ops;
};

static void kho_test_tree_init(struct kunit *test, struct kho_test_tree *t)
{
	KUNIT_ASSERT_EQ(test, kho_radix_init_tree(&t->tree, NULL), 0);
	t->nbits = max_pfn + 1;
	t->visited = bitmap_zalloc(t->nbits, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t->visited);
	t->ops.node_ok = kho_test_any;
	t->ops.block_ok = kho_test_block_any;
	t->ops.map = kho_test_map;
}

static long kho_test_check(struct kho_test_tree *t, struct kho_block *out,
			   unsigned long max)
{
	bitmap_zero(t->visited, t->nbits);
	return kho_check_tree(virt_to_phys(t->tree.root), t->visited, t->nbits,
			      out, max, &t->ops);
}

static void kho_test_tree_fini(struct kho_test_tree *t)
{
	kho_radix_destroy_tree(&t->tree);
	bitmap_free(t->visited);
}

static int kho_test_count_leaf(unsigned long key, void *data)
{
	unsigned long *last = data;

	/* Keys must come in ascending order. */
	if (last[0] && key <= last[1])
		return -EINVAL;
	last[0]++;
	last[1] = key;
	return 0;
}

static void kho_test_tree_walk(struct kunit *test)
{
	const struct kho_radix_walk_cb cb = { .leaf = kho_test_count_leaf };
	struct kho_test_tree t = {};
	struct kho_block blocks[8], tmp[8];
	unsigned long last[2] = {};
	long n;

	kho_test_tree_init(test, &t);
	/* Three orders, addresses far apart: several tree paths. */
	KUNIT_ASSERT_EQ(test, kho_radix_add_key(&t.tree,
			kho_radix_encode_key(SZ_1G, 0)), 0);
	KUNIT_ASSERT_EQ(test, kho_radix_add_key(&t.tree,
			kho_radix_encode_key(SZ_2M, 9)), 0);
	KUNIT_ASSERT_EQ(test, kho_radix_add_key(&t.tree,
			kho_radix_encode_key(SZ_4K * 3, 0)), 0);
	KUNIT_ASSERT_EQ(test, kho_radix_add_key(&t.tree,
			kho_radix_encode_key(SZ_8G, 2)), 0);

	KUNIT_EXPECT_EQ(test, kho_radix_walk_tree(&t.tree, &cb, last), 0);
	KUNIT_EXPECT_EQ(test, last[0], 4);

	n = kho_test_check(&t, blocks, ARRAY_SIZE(blocks));
	KUNIT_ASSERT_EQ(test, n, 4);
	KUNIT_EXPECT_EQ(test, kho_sort_blocks(blocks, tmp, n), 0);
	KUNIT_EXPECT_EQ(test, (u64)blocks[0].pfn, 3);
	KUNIT_EXPECT_EQ(test, (u64)blocks[1].pfn, SZ_2M >> PAGE_SHIFT);
	KUNIT_EXPECT_EQ(test, (u64)blocks[1].order, 9);
	KUNIT_EXPECT_EQ(test, (u64)blocks[3].pfn, SZ_8G >> PAGE_SHIFT);
	KUNIT_EXPECT_PTR_EQ(test, kho_find_block(blocks, n, (SZ_2M >> PAGE_SHIFT) + 17),
			    &blocks[1]);
	KUNIT_EXPECT_NULL(test, kho_find_block(blocks, n, 4));

	/* A block outside what block_ok accepts fails the whole tree. */
	t.ops.block_ok = kho_test_block_below_4g;
	KUNIT_EXPECT_EQ(test, kho_test_check(&t, NULL, 0), -EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, t.ops.reason);
	t.ops.block_ok = kho_test_block_any;

	/* Deleting a key removes it. */
	kho_radix_del_key(&t.tree, kho_radix_encode_key(SZ_8G, 2));
	KUNIT_EXPECT_EQ(test, kho_test_check(&t, NULL, 0), 3);
	kho_test_tree_fini(&t);
}

/* A walk that only counts (no block_ok, no output) counts leaf by leaf. */
static void kho_test_tree_count(struct kunit *test)
{
	struct kho_test_tree t = {};
	unsigned long i;

	kho_test_tree_init(test, &t);
	for (i = 0; i < 3000; i++)
		KUNIT_ASSERT_EQ(test, kho_radix_add_key(&t.tree,
				kho_radix_encode_key(SZ_64M + i * 2 * SZ_4K, 0)), 0);
	for (i = 0; i < 70; i++)
		KUNIT_ASSERT_EQ(test, kho_radix_add_key(&t.tree,
				kho_radix_encode_key(SZ_1G + i * SZ_4M, 9)), 0);
	KUNIT_EXPECT_EQ(test, kho_test_check(&t, NULL, 0), 3070);
	t.ops.block_ok = NULL;
	KUNIT_EXPECT_EQ(test, kho_test_check(&t, NULL, 0), 3070);
	kho_radix_del_key(&t.tree, kho_radix_encode_key(SZ_64M, 0));
	KUNIT_EXPECT_EQ(test, kho_test_check(&t, NULL, 0), 3069);
	kho_test_tree_fini(&t);
}

static void kho_test_tree_overlap(struct kunit *test)
{
	struct kho_test_tree t = {};
	struct kho_block blocks[4], tmp[4];
	long n;

	kho_test_tree_init(test, &t);
	/* An order-2 block and an order-0 page inside it. */
	KUNIT_ASSERT_EQ(test, kho_radix_add_key(&t.tree,
			kho_radix_encode_key(SZ_1M, 2)), 0);
	KUNIT_ASSERT_EQ(test, kho_radix_add_key(&t.tree,
			kho_radix_encode_key(SZ_1M + SZ_8K, 0)), 0);
	n = kho_test_check(&t, blocks, ARRAY_SIZE(blocks));
	KUNIT_ASSERT_EQ(test, n, 2);
	KUNIT_EXPECT_EQ(test, kho_sort_blocks(blocks, tmp, n), -EINVAL);
	kho_test_tree_fini(&t);
}

/* Find the level-1 node on the path of @key. */
static struct kho_radix_node *kho_test_level1(struct kho_radix_tree *tree,
					      unsigned long key)
{
	struct kho_radix_node *node = tree->root;
	unsigned int level;

	for (level = KHO_TREE_MAX_DEPTH - 1; level > 1; level--)
		node = phys_to_virt(node->table[kho_radix_table_index(key, level)]);
	return node;
}

static void kho_test_tree_malformed(struct kunit *test)
{
	unsigned long key = kho_radix_encode_key(SZ_16M, 0);
	struct kho_test_tree t = {};
	struct kho_radix_node *l1;
	unsigned int slot;
	u64 saved;

	kho_test_tree_init(test, &t);
	KUNIT_ASSERT_EQ(test, kho_radix_add_key(&t.tree, key), 0);
	KUNIT_ASSERT_EQ(test, kho_test_check(&t, NULL, 0), 1);
	l1 = kho_test_level1(&t.tree, key);
	slot = (kho_radix_table_index(key, 1) + 1) % 512;

	/* A cycle: a leaf slot pointing back at the root. */
	l1->table[slot] = virt_to_phys(t.tree.root);
	KUNIT_EXPECT_EQ(test, kho_test_check(&t, NULL, 0), -EINVAL);
	KUNIT_EXPECT_STREQ(test, t.ops.reason,
			   "the preserved-memory tree has a cycle or shared node");

	/* Two slots sharing one leaf. */
	l1->table[slot] = l1->table[kho_radix_table_index(key, 1)];
	KUNIT_EXPECT_EQ(test, kho_test_check(&t, NULL, 0), -EINVAL);

	/* A misaligned child pointer. */
	l1->table[slot] = virt_to_phys(t.tree.root) + 8;
	KUNIT_EXPECT_EQ(test, kho_test_check(&t, NULL, 0), -EINVAL);
	KUNIT_EXPECT_STREQ(test, t.ops.reason,
			   "a tree node lies outside usable memory");

	/* A child beyond the end of memory. */
	l1->table[slot] = PFN_PHYS(max_pfn + 16);
	KUNIT_EXPECT_EQ(test, kho_test_check(&t, NULL, 0), -EINVAL);
	l1->table[slot] = 0;

	/* A root slot that makes keys wider than the ABI allows. */
	saved = t.tree.root->table[511];
	t.tree.root->table[511] = t.tree.root->table[kho_radix_table_index(key,
						KHO_TREE_MAX_DEPTH - 1)];
	KUNIT_EXPECT_EQ(test, kho_test_check(&t, NULL, 0), -EINVAL);
	t.tree.root->table[511] = saved;

	KUNIT_EXPECT_EQ(test, kho_test_check(&t, NULL, 0), 1);

	/* Nodes rejected by node_ok. */
	t.ops.node_ok = kho_test_none;
	KUNIT_EXPECT_EQ(test, kho_test_check(&t, NULL, 0), -EINVAL);
	kho_test_tree_fini(&t);
}

static void kho_test_sort_runs(struct kunit *test)
{
	struct kho_block b[6] = {
		{ .pfn = 512, .order = 9 }, { .pfn = 4096, .order = 9 },
		{ .pfn = 2, .order = 1 }, { .pfn = 64, .order = 1 },
		{ .pfn = 0, .order = 0 }, { .pfn = 5000, .order = 0 },
	};
	struct kho_block tmp[6];
	unsigned int i;

	KUNIT_ASSERT_EQ(test, kho_sort_blocks(b, tmp, 6), 0);
	for (i = 1; i < 6; i++)
		KUNIT_EXPECT_LT(test, (u64)b[i - 1].pfn, (u64)b[i].pfn);
	KUNIT_EXPECT_EQ(test, (u64)b[0].pfn, 0);
	KUNIT_EXPECT_EQ(test, (u64)b[5].pfn, 5000);
}

/*
 * After boot released what nobody restored, subtrees are gone: their blobs
 * may be free memory now. Runs on a kernel booted by a handover.
 */
static void kho_test_retrieve_after_release(struct kunit *test)
{
	phys_addr_t phys = 0;

	if (!is_kho_boot())
		kunit_skip(test, "not booted by a handover");
	/*
	 * Boot lets the incoming state go once init runs, after the boot-time
	 * run of this suite. Not a skip then: KUnit never runs a skipped case
	 * again, and the debugfs run after the release must check.
	 */
	if (kho_hold_incoming()) {
		kho_put_incoming();
		kunit_info(test, "incoming state still held: nothing to check yet\n");
		return;
	}
	KUNIT_EXPECT_EQ(test, kho_retrieve_subtree(KHO_METADATA_NODE_NAME, &phys, NULL),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, phys, 0);
	kunit_info(test, "checked after the release\n");
}

static struct kunit_case kho_test_cases[] = {
	KUNIT_CASE(kho_test_key_roundtrip),
	KUNIT_CASE(kho_test_fdt_checks),
	KUNIT_CASE(kho_test_scratch_checks),
	KUNIT_CASE(kho_test_range_in_scratch),
	KUNIT_CASE(kho_test_tree_walk),
	KUNIT_CASE(kho_test_tree_count),
	KUNIT_CASE(kho_test_tree_overlap),
	KUNIT_CASE(kho_test_tree_malformed),
	KUNIT_CASE(kho_test_sort_runs),
	KUNIT_CASE(kho_test_retrieve_after_release),
	{}
};

static struct kunit_suite kho_test_suite = {
	.name = "kexec_handover",
	.test_cases = kho_test_cases,
};
kunit_test_suite(kho_test_suite);

MODULE_DESCRIPTION("KUnit tests for kexec handover");
MODULE_LICENSE("GPL");
