/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_KHO_RADIX_TREE_H
#define _LINUX_KHO_RADIX_TREE_H

/*
 * The radix tree KHO uses to track preserved memory (layout in
 * include/linux/kho/abi/kexec_handover.h). Same API as upstream Linux
 * (include/linux/kho_radix_tree.h).
 */

#include <linux/err.h>
#include <linux/errno.h>
#include <linux/mutex_types.h>
#include <linux/types.h>

struct kho_radix_node;

struct kho_radix_tree {
	struct kho_radix_node *root;
	struct mutex lock;	/* protects the nodes and the root pointer */
};

/**
 * struct kho_radix_walk_cb - callbacks for kho_radix_walk_tree()
 * @leaf: called for every key present, in ascending key order
 * @node: called with the physical address of every node page, parents
 *        before their children
 *
 * A callback returning non-zero stops the walk with that value.
 */
struct kho_radix_walk_cb {
	int (*leaf)(unsigned long key, void *data);
	int (*node)(phys_addr_t phys, void *data);
};

#ifdef CONFIG_KEXEC_HANDOVER
int kho_radix_add_key(struct kho_radix_tree *tree, unsigned long key);
void kho_radix_del_key(struct kho_radix_tree *tree, unsigned long key);
int kho_radix_walk_tree(struct kho_radix_tree *tree,
			const struct kho_radix_walk_cb *cb, void *data);
int kho_radix_init_tree(struct kho_radix_tree *tree,
			struct kho_radix_node *root);
void kho_radix_destroy_tree(struct kho_radix_tree *tree);
#else
static inline int kho_radix_add_key(struct kho_radix_tree *tree,
				    unsigned long key)
{
	return -EOPNOTSUPP;
}

static inline void kho_radix_del_key(struct kho_radix_tree *tree,
				     unsigned long key) { }

static inline int kho_radix_walk_tree(struct kho_radix_tree *tree,
				      const struct kho_radix_walk_cb *cb,
				      void *data)
{
	return -EOPNOTSUPP;
}

static inline int kho_radix_init_tree(struct kho_radix_tree *tree,
				      struct kho_radix_node *root)
{
	return 0;
}

static inline void kho_radix_destroy_tree(struct kho_radix_tree *tree) { }
#endif /* CONFIG_KEXEC_HANDOVER */

#endif /* _LINUX_KHO_RADIX_TREE_H */
