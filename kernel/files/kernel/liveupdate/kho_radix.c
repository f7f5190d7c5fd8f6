// SPDX-License-Identifier: GPL-2.0
/*
 * kho_radix.c - the radix tree kexec handover tracks preserved memory in
 *
 * Nodes are whole pages so that the tree can be handed to the next kernel
 * as it is: interior nodes hold the physical addresses of their children,
 * leaves are bitmaps. The layout is part of the KHO ABI and documented in
 * include/linux/kho/abi/kexec_handover.h. Tracking is live: preserving a
 * page sets a bit, nothing is serialized at kexec time.
 */

#define pr_fmt(fmt) "KHO: " fmt

#include <linux/bitmap.h>
#include <linux/gfp.h>
#include <linux/kho_radix_tree.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/slab.h>

#include "kexec_handover_internal.h"

#define KHO_TOP_LEVEL	(KHO_TREE_MAX_DEPTH - 1)

static void *__ref kho_radix_node_alloc(void)
{
	if (slab_is_available())
		return (void *)get_zeroed_page(GFP_KERNEL);
	return memblock_alloc(PAGE_SIZE, PAGE_SIZE);
}

static void __ref kho_radix_node_free(void *node)
{
	if (slab_is_available())
		free_page((unsigned long)node);
	else
		memblock_free(node, PAGE_SIZE);
}

/**
 * kho_radix_init_tree - set up a radix tree
 * @tree: the tree
 * @root: an existing root node to adopt, or %NULL to allocate an empty one
 *
 * Return: 0 on success, -ENOMEM if no root could be allocated.
 */
int kho_radix_init_tree(struct kho_radix_tree *tree,
			struct kho_radix_node *root)
{
	if (!root)
		root = kho_radix_node_alloc();
	if (!root)
		return -ENOMEM;
	mutex_init(&tree->lock);
	tree->root = root;
	return 0;
}
EXPORT_SYMBOL_GPL(kho_radix_init_tree);

/**
 * kho_radix_add_key - mark @key present in @tree
 * @tree: the tree
 * @key: the key, at most %KHO_RADIX_KEY_WIDTH bits wide
 *
 * Allocates the interior nodes on the way down as needed. On failure the
 * tree is left exactly as it was.
 *
 * Return: 0 on success, -ERANGE for a key that is too wide, -ENOMEM.
 */
int kho_radix_add_key(struct kho_radix_tree *tree, unsigned long key)
{
	struct kho_radix_node *node, *first_parent = NULL;
	unsigned int level, idx, first_idx = 0;
	struct kho_radix_leaf *leaf;

	if (WARN_ON_ONCE(!tree->root))
		return -EINVAL;
	if (fls64(key) > KHO_RADIX_KEY_WIDTH)
		return -ERANGE;

	might_sleep();
	mutex_lock(&tree->lock);
	node = tree->root;
	for (level = KHO_TOP_LEVEL; level > 0; level--) {
		void *child;

		idx = kho_radix_table_index(key, level);
		if (node->table[idx]) {
			node = phys_to_virt(node->table[idx]);
			continue;
		}
		child = kho_radix_node_alloc();
		if (!child)
			goto undo;
		node->table[idx] = virt_to_phys(child);
		if (!first_parent) {
			first_parent = node;
			first_idx = idx;
		}
		node = child;
	}
	leaf = (struct kho_radix_leaf *)node;
	__set_bit(kho_radix_leaf_index(key), leaf->bitmap);
	mutex_unlock(&tree->lock);
	return 0;

undo:
	/* The new nodes form one chain below first_parent: free it. */
	if (first_parent) {
		phys_addr_t phys = first_parent->table[first_idx];

		first_parent->table[first_idx] = 0;
		while (phys) {
			struct kho_radix_node *n = phys_to_virt(phys);
			unsigned int i;

			phys = 0;
			for (i = 0; i < ARRAY_SIZE(n->table); i++) {
				if (n->table[i]) {
					phys = n->table[i];
					break;
				}
			}
			kho_radix_node_free(n);
		}
	}
	mutex_unlock(&tree->lock);
	return -ENOMEM;
}
EXPORT_SYMBOL_GPL(kho_radix_add_key);

/**
 * kho_radix_del_key - clear @key in @tree
 * @tree: the tree
 * @key: the key
 *
 * Interior nodes stay allocated. Deleting a key that is not present warns.
 */
void kho_radix_del_key(struct kho_radix_tree *tree, unsigned long key)
{
	struct kho_radix_node *node;
	struct kho_radix_leaf *leaf;
	unsigned int level, idx;

	if (WARN_ON_ONCE(!tree->root) || fls64(key) > KHO_RADIX_KEY_WIDTH)
		return;

	might_sleep();
	mutex_lock(&tree->lock);
	node = tree->root;
	for (level = KHO_TOP_LEVEL; level > 0; level--) {
		idx = kho_radix_table_index(key, level);
		if (WARN_ON_ONCE(!node->table[idx]))
			goto out;
		node = phys_to_virt(node->table[idx]);
	}
	leaf = (struct kho_radix_leaf *)node;
	WARN_ON_ONCE(!__test_and_clear_bit(kho_radix_leaf_index(key),
					   leaf->bitmap));
out:
	mutex_unlock(&tree->lock);
}
EXPORT_SYMBOL_GPL(kho_radix_del_key);

static int kho_radix_walk(struct kho_radix_node *node, unsigned int level,
			  unsigned long prefix,
			  const struct kho_radix_walk_cb *cb, void *data)
{
	unsigned int i;
	int err;

	if (cb->node) {
		err = cb->node(virt_to_phys(node), data);
		if (err)
			return err;
	}

	if (!level) {
		struct kho_radix_leaf *leaf = (struct kho_radix_leaf *)node;

		if (!cb->leaf)
			return 0;
		for_each_set_bit(i, leaf->bitmap, 1 << KHO_BITMAP_SIZE_LOG2) {
			err = cb->leaf(prefix | i, data);
			if (err)
				return err;
		}
		return 0;
	}

	for (i = 0; i < ARRAY_SIZE(node->table); i++) {
		unsigned int shift = KHO_BITMAP_SIZE_LOG2 +
				     (level - 1) * KHO_TABLE_SIZE_LOG2;

		if (!node->table[i])
			continue;
		err = kho_radix_walk(phys_to_virt(node->table[i]), level - 1,
				     prefix | ((unsigned long)i << shift), cb,
				     data);
		if (err)
			return err;
	}
	return 0;
}

/**
 * kho_radix_walk_tree - visit every node and key of a tree
 * @tree: the tree
 * @cb: callbacks (either may be %NULL)
 * @data: passed to the callbacks
 *
 * Keys are visited in ascending order. The tree must be trusted: use
 * kho_check_tree() for one handed over by another kernel.
 *
 * Return: 0, or the first non-zero value a callback returned.
 */
int kho_radix_walk_tree(struct kho_radix_tree *tree,
			const struct kho_radix_walk_cb *cb, void *data)
{
	int err;

	if (WARN_ON_ONCE(!tree->root))
		return -EINVAL;
	mutex_lock(&tree->lock);
	err = kho_radix_walk(tree->root, KHO_TOP_LEVEL, 0, cb, data);
	mutex_unlock(&tree->lock);
	return err;
}
EXPORT_SYMBOL_GPL(kho_radix_walk_tree);

static void kho_radix_free(struct kho_radix_node *node, unsigned int level)
{
	unsigned int i;

	for (i = 0; level && i < ARRAY_SIZE(node->table); i++)
		if (node->table[i])
			kho_radix_free(phys_to_virt(node->table[i]), level - 1);
	kho_radix_node_free(node);
}

/**
 * kho_radix_destroy_tree - free every node of a tree
 * @tree: the tree; its root is %NULL afterwards
 */
void kho_radix_destroy_tree(struct kho_radix_tree *tree)
{
	if (!tree->root)
		return;
	kho_radix_free(tree->root, KHO_TOP_LEVEL);
	tree->root = NULL;
}
EXPORT_SYMBOL_GPL(kho_radix_destroy_tree);
