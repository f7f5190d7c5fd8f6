/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _FS_PKERNFS_INTERNAL_H
#define _FS_PKERNFS_INTERNAL_H

#include <linux/fs.h>
#include <linux/kho/abi/pkernfs.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/pkernfs.h>

#define PKERNFS_MAGIC	0x504b4653	/* "PKFS" */

struct pkernfs_in;

/**
 * struct pkernfs_sb - one instance: a named file system that outlives its
 * mounts (and the kernel)
 * @list:       in the list of instances
 * @name:       its name
 * @sb:         its super block, kept alive by one active reference of its
 *              own until the instance is discarded
 * @tree_lock:  serializes changes to the tree and its handover
 * @used:       pages held by its files
 * @max_pages:  size= in pages; 0 for no limit
 * @nr_inodes:  inodes, the root included
 * @nid:        node= or NUMA_NO_NODE
 * @secret:     file pages are out of the direct map
 * @incoming:   came from the previous kernel and not mounted since
 * @pinned:     the instance's own active reference is held
 * @scrub:      clear file pages before freeing them (a failed rebuild)
 * @kern_mnt:   the mount kernel users open files through, if any
 */
struct pkernfs_sb {
	struct list_head list;
	char name[PKERNFS_NAME_MAX + 1];
	struct super_block *sb;
	struct mutex tree_lock;
	atomic_long_t used;
	unsigned long max_pages;
	unsigned long nr_inodes;
	int nid;
	bool secret;
	bool incoming;
	bool pinned;
	bool scrub;
	struct vfsmount *kern_mnt;
};

/* Mounts by users (not the instance's own reference nor kernel users). */
static inline int pkernfs_user_mounts(struct pkernfs_sb *sbi)
{
	return atomic_read(&sbi->sb->s_active) - 1 - !!sbi->kern_mnt;
}

/**
 * struct pkernfs_inode - a pkernfs inode
 * @children: entries of a directory (struct pkernfs_inode.sib)
 * @sib:      in the parent's @children
 * @dentry:   its one dentry (no hard links), pinned while linked
 * @vfs:      the VFS inode
 */
struct pkernfs_inode {
	struct list_head children;
	struct list_head sib;
	struct dentry *dentry;
	struct inode vfs;
};

static inline struct pkernfs_sb *PKERNFS_SB(struct super_block *sb)
{
	return sb->s_fs_info;
}

static inline struct pkernfs_inode *PKERNFS_I(struct inode *inode)
{
	return container_of(inode, struct pkernfs_inode, vfs);
}

/* super.c */
extern struct mutex pkernfs_lock;
extern struct list_head pkernfs_instances;
extern struct file_system_type pkernfs_fs_type;
int pkernfs_create_incoming(const char *name, struct pkernfs_in *in);
bool pkernfs_valid_name(const char *name);
struct vfsmount *pkernfs_mount_kern(const char *name);

/* inode.c */
int __init pkernfs_inode_cache_init(void);
struct inode *pkernfs_alloc_inode(struct super_block *sb);
void pkernfs_free_inode(struct inode *inode);
void pkernfs_evict_inode(struct inode *inode);
extern const struct inode_operations pkernfs_dir_iops;
struct inode *pkernfs_new_inode(struct super_block *sb, struct inode *dir,
				umode_t mode);
struct folio *pkernfs_get_folio(struct inode *inode, pgoff_t index,
				pgoff_t limit);
void pkernfs_link(struct inode *dir, struct dentry *dentry,
		  struct inode *inode);
int pkernfs_add_folio(struct inode *inode, struct folio *folio,
		      pgoff_t index);
void pkernfs_charge_restored(struct pkernfs_sb *sbi, unsigned long pages);
void pkernfs_secret_hide(struct folio *folio);

/* kho.c */
int pkernfs_build_incoming(struct super_block *sb, struct pkernfs_in *in);
void pkernfs_kexec_cancel_locked(void);
void __init pkernfs_kho_init(void);

/**
 * typedef pkernfs_preserved_fn - is a block preserved memory?
 * @pfn:   first page frame
 * @order: its order
 * @ctx:   caller's context
 *
 * Return: true if exactly this block was preserved and is still there.
 */
typedef bool (*pkernfs_preserved_fn)(u64 pfn, unsigned int order, void *ctx);

int pkernfs_check_stream(const void *stream, u64 bytes,
			 pkernfs_preserved_fn preserved, void *ctx,
			 const char **reason);

#endif /* _FS_PKERNFS_INTERNAL_H */
