// SPDX-License-Identifier: GPL-2.0
/*
 * pkernfs files and directories.
 *
 * File data lives in the page cache, in folios pkernfs allocates itself
 * (2 MiB where the file's extent allows it and memory is not too
 * fragmented, smaller otherwise), never written back and never reclaimed:
 * the page cache is the file. Every allocation is charged to the
 * instance, so size= is a hard limit. Holes read as zeroes without
 * allocating.
 *
 * Each inode also sits in its parent's list of entries, under the
 * instance's tree_lock, so that the handover can walk the tree without
 * the dcache.
 */

#define pr_fmt(fmt) "pkernfs: " fmt

#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/falloc.h>
#include <linux/migrate.h>
#include <linux/pagemap.h>
#include <linux/pagevec.h>
#include <linux/pfn_t.h>
#include <linux/sched/signal.h>
#include <linux/set_memory.h>
#include <linux/slab.h>
#include <linux/swap.h>
#include <linux/uio.h>

#include "internal.h"

static const struct address_space_operations pkernfs_aops;
static const struct file_operations pkernfs_file_fops;
static const struct inode_operations pkernfs_file_iops;

/* Orders tried for a new folio, largest first. */
static const unsigned int pkernfs_orders[] = { PMD_SHIFT - PAGE_SHIFT, 4, 0 };

static bool pkernfs_charge(struct pkernfs_sb *sbi, unsigned long pages)
{
	long used = atomic_long_add_return(pages, &sbi->used);

	if (sbi->max_pages && used > sbi->max_pages) {
		atomic_long_sub(pages, &sbi->used);
		return false;
	}
	return true;
}

static void pkernfs_uncharge(struct pkernfs_sb *sbi, unsigned long pages)
{
	atomic_long_sub(pages, &sbi->used);
}

/**
 * pkernfs_charge_restored - count folios a handover brought in
 * @sbi:   the instance
 * @pages: their pages
 *
 * Restored memory is the instance's whatever its size= says.
 */
void pkernfs_charge_restored(struct pkernfs_sb *sbi, unsigned long pages)
{
	atomic_long_add(pages, &sbi->used);
}

/*
 * A "secret" instance's file pages are out of the direct map while they
 * belong to a file, as memfd_secret() does.
 */
void pkernfs_secret_hide(struct folio *folio)
{
	unsigned long i, addr = (unsigned long)folio_address(folio);

	for (i = 0; i < folio_nr_pages(folio); i++)
		set_direct_map_invalid_noflush(folio_page(folio, i));
	flush_tlb_kernel_range(addr, addr + folio_size(folio));
}

/*
 * Clear a file's folios before they are freed (and give a secret file's
 * back to the direct map first).
 */
static void pkernfs_scrub(struct inode *inode)
{
	bool secret = PKERNFS_SB(inode->i_sb)->secret;
	struct folio_batch fbatch;
	pgoff_t index = 0;
	unsigned long i, k;

	folio_batch_init(&fbatch);
	while (filemap_get_folios(inode->i_mapping, &index, ULONG_MAX,
				  &fbatch)) {
		for (i = 0; i < folio_batch_count(&fbatch); i++) {
			struct folio *folio = fbatch.folios[i];

			for (k = 0; secret && k < folio_nr_pages(folio); k++)
				set_direct_map_default_noflush(folio_page(folio, k));
			folio_zero_range(folio, 0, folio_size(folio));
		}
		folio_batch_release(&fbatch);
		cond_resched();
	}
}

/**
 * pkernfs_add_folio - put a folio into a file's page cache
 * @inode: the file
 * @folio: the folio, zeroed or holding the file's data, one reference
 * @index: its place in the file, aligned to its size
 *
 * On success the page cache holds the folio and the caller's reference is
 * kept (the folio is returned unlocked). The instance is not charged.
 *
 * Return: 0 or a negative errno (-EEXIST if the range is taken).
 */
int pkernfs_add_folio(struct inode *inode, struct folio *folio,
		      pgoff_t index)
{
	struct address_space *mapping = inode->i_mapping;
	int err;

	err = filemap_add_folio(mapping, folio, index, mapping_gfp_mask(mapping));
	if (err)
		return err;
	folio_mark_uptodate(folio);
	if (PKERNFS_SB(inode->i_sb)->secret)
		pkernfs_secret_hide(folio);
	folio_unlock(folio);
	return 0;
}

/*
 * Allocate and insert the folio that will hold page @index of @inode,
 * whose allocated part may reach up to page @limit. Returns it locked,
 * with a reference, or an ERR_PTR(); -EEXIST if someone else got there.
 */
static struct folio *pkernfs_new_folio(struct inode *inode, pgoff_t index,
				       pgoff_t limit)
{
	struct pkernfs_sb *sbi = PKERNFS_SB(inode->i_sb);
	struct address_space *mapping = inode->i_mapping;
	unsigned int max = mapping_max_folio_order(mapping);
	gfp_t gfp = mapping_gfp_mask(mapping) | __GFP_ZERO;
	bool charged_any = false;
	struct folio *folio;
	int i, err;

	if (sbi->nid != NUMA_NO_NODE)
		gfp |= __GFP_THISNODE;
	for (i = 0; i < ARRAY_SIZE(pkernfs_orders); i++) {
		unsigned int order = pkernfs_orders[i];
		unsigned long nr = 1UL << order;
		pgoff_t base = round_down(index, nr);

		if (order > max || base + nr > limit || base + nr < base)
			continue;
		if (order && filemap_range_has_page(mapping,
				(loff_t)base << PAGE_SHIFT,
				((loff_t)(base + nr) << PAGE_SHIFT) - 1))
			continue;
		if (!pkernfs_charge(sbi, nr))
			continue;
		charged_any = true;
		folio = __folio_alloc_node(order ? gfp | __GFP_NORETRY |
					   __GFP_NOWARN : gfp, order,
					   sbi->nid == NUMA_NO_NODE ?
					   numa_node_id() : sbi->nid);
		if (!folio) {
			pkernfs_uncharge(sbi, nr);
			continue;
		}
		err = filemap_add_folio(mapping, folio, base, gfp);
		if (err) {
			pkernfs_uncharge(sbi, nr);
			folio_put(folio);
			return ERR_PTR(err);
		}
		folio_mark_uptodate(folio);
		if (sbi->secret)
			pkernfs_secret_hide(folio);
		return folio;
	}
	return ERR_PTR(charged_any ? -ENOMEM : -ENOSPC);
}

/*
 * The folio holding page @index of @inode, locked and with a reference;
 * allocated when missing and @limit (in pages) is past @index.
 */
struct folio *pkernfs_get_folio(struct inode *inode, pgoff_t index,
				pgoff_t limit)
{
	struct folio *folio;

	for (;;) {
		folio = filemap_lock_folio(inode->i_mapping, index);
		if (!IS_ERR(folio) || index >= limit)
			return folio;
		folio = pkernfs_new_folio(inode, index, limit);
		if (folio != ERR_PTR(-EEXIST))
			return folio;
	}
}

/*
 * Drop the page cache of bytes [@start, @end] (@end = -1: to the end) and
 * give the instance back what went.
 */
static void pkernfs_drop_range(struct inode *inode, loff_t start, loff_t end,
			       bool final)
{
	struct address_space *mapping = inode->i_mapping;
	unsigned long before = mapping->nrpages;

	if (final)
		truncate_inode_pages_final(mapping);
	else if (end < 0)
		truncate_pagecache(inode, start);
	else
		truncate_pagecache_range(inode, start, end);
	if (before > mapping->nrpages)
		pkernfs_uncharge(PKERNFS_SB(inode->i_sb),
				 before - mapping->nrpages);
}

/* ---------------------------------------------------------------------- */
/* Inodes and the tree                                                     */

/**
 * pkernfs_new_inode - a new pkernfs inode, not linked yet
 * @sb:   the instance's super block
 * @dir:  parent directory (for the owner), or %NULL for the root
 * @mode: S_IFREG or S_IFDIR and permissions
 *
 * Return: the inode or %NULL.
 */
struct inode *pkernfs_new_inode(struct super_block *sb, struct inode *dir,
				umode_t mode)
{
	struct inode *inode = new_inode(sb);

	if (!inode)
		return NULL;
	inode->i_ino = get_next_ino();
	inode_init_owner(&nop_mnt_idmap, inode, dir, mode);
	simple_inode_init_ts(inode);
	inode->i_mapping->a_ops = &pkernfs_aops;
	mapping_set_gfp_mask(inode->i_mapping, GFP_HIGHUSER);
	mapping_set_unevictable(inode->i_mapping);
	mapping_set_large_folios(inode->i_mapping);
	if (S_ISDIR(mode)) {
		inode->i_op = &pkernfs_dir_iops;
		inode->i_fop = &simple_dir_operations;
		inc_nlink(inode);
	} else {
		inode->i_op = &pkernfs_file_iops;
		inode->i_fop = &pkernfs_file_fops;
	}
	return inode;
}

/**
 * pkernfs_link - give a new inode its (pinned) dentry in @dir
 * @dir:    the parent directory
 * @dentry: the new entry
 * @inode:  the inode from pkernfs_new_inode()
 *
 * Called with the instance's tree_lock held.
 */
void pkernfs_link(struct inode *dir, struct dentry *dentry,
		  struct inode *inode)
{
	struct pkernfs_inode *pi = PKERNFS_I(inode);

	list_add_tail(&pi->sib, &PKERNFS_I(dir)->children);
	pi->dentry = dentry;
	PKERNFS_SB(dir->i_sb)->nr_inodes++;
	if (S_ISDIR(inode->i_mode))
		inc_nlink(dir);
	d_instantiate(dentry, inode);
	dget(dentry);
	inode_set_mtime_to_ts(dir, inode_set_ctime_current(dir));
}

static void pkernfs_unlinked(struct inode *inode)
{
	list_del_init(&PKERNFS_I(inode)->sib);
	PKERNFS_SB(inode->i_sb)->nr_inodes--;
}

static int pkernfs_mknod(struct mnt_idmap *idmap, struct inode *dir,
			 struct dentry *dentry, umode_t mode, dev_t dev)
{
	struct pkernfs_sb *sbi = PKERNFS_SB(dir->i_sb);
	struct inode *inode;
	int err = 0;

	/* Only what can be handed over: files and directories. */
	if (!S_ISREG(mode) && !S_ISDIR(mode))
		return -EOPNOTSUPP;
	mutex_lock(&sbi->tree_lock);
	if (sbi->nr_inodes >= PKERNFS_KHO_MAX_INODES) {
		err = -ENOSPC;
		goto out;
	}
	inode = pkernfs_new_inode(dir->i_sb, dir, mode);
	if (!inode) {
		err = -ENOMEM;
		goto out;
	}
	if (idmap != &nop_mnt_idmap)
		inode_init_owner(idmap, inode, dir, mode);
	pkernfs_link(dir, dentry, inode);
out:
	mutex_unlock(&sbi->tree_lock);
	return err;
}

static int pkernfs_create(struct mnt_idmap *idmap, struct inode *dir,
			  struct dentry *dentry, umode_t mode, bool excl)
{
	return pkernfs_mknod(idmap, dir, dentry, mode | S_IFREG, 0);
}

static int pkernfs_mkdir(struct mnt_idmap *idmap, struct inode *dir,
			 struct dentry *dentry, umode_t mode)
{
	return pkernfs_mknod(idmap, dir, dentry, mode | S_IFDIR, 0);
}

static int pkernfs_unlink(struct inode *dir, struct dentry *dentry)
{
	struct pkernfs_sb *sbi = PKERNFS_SB(dir->i_sb);

	mutex_lock(&sbi->tree_lock);
	pkernfs_unlinked(d_inode(dentry));
	simple_unlink(dir, dentry);
	mutex_unlock(&sbi->tree_lock);
	return 0;
}

static int pkernfs_rmdir(struct inode *dir, struct dentry *dentry)
{
	struct pkernfs_sb *sbi = PKERNFS_SB(dir->i_sb);
	struct inode *inode = d_inode(dentry);
	int err;

	mutex_lock(&sbi->tree_lock);
	err = simple_rmdir(dir, dentry);
	if (!err)
		pkernfs_unlinked(inode);
	mutex_unlock(&sbi->tree_lock);
	return err;
}

static int pkernfs_rename(struct mnt_idmap *idmap, struct inode *old_dir,
			  struct dentry *old_dentry, struct inode *new_dir,
			  struct dentry *new_dentry, unsigned int flags)
{
	struct pkernfs_sb *sbi = PKERNFS_SB(old_dir->i_sb);
	struct pkernfs_inode *old = PKERNFS_I(d_inode(old_dentry));
	struct inode *target = d_inode(new_dentry);
	int err;

	mutex_lock(&sbi->tree_lock);
	err = simple_rename(idmap, old_dir, old_dentry, new_dir, new_dentry,
			    flags);
	if (err)
		goto out;
	if (flags & RENAME_EXCHANGE) {
		/* Each goes where the other was. */
		list_move_tail(&old->sib, &PKERNFS_I(new_dir)->children);
		list_move_tail(&PKERNFS_I(target)->sib,
			       &PKERNFS_I(old_dir)->children);
		goto out;
	}
	if (target)
		pkernfs_unlinked(target);
	list_move_tail(&old->sib, &PKERNFS_I(new_dir)->children);
out:
	mutex_unlock(&sbi->tree_lock);
	return err;
}

static int pkernfs_tmpfile(struct mnt_idmap *idmap, struct inode *dir,
			   struct file *file, umode_t mode)
{
	/* A file with no name cannot be handed over. */
	return -EOPNOTSUPP;
}

const struct inode_operations pkernfs_dir_iops = {
	.lookup		= simple_lookup,
	.create		= pkernfs_create,
	.mkdir		= pkernfs_mkdir,
	.mknod		= pkernfs_mknod,
	.unlink		= pkernfs_unlink,
	.rmdir		= pkernfs_rmdir,
	.rename		= pkernfs_rename,
	.tmpfile	= pkernfs_tmpfile,
	.setattr	= simple_setattr,
};

/* ---------------------------------------------------------------------- */
/* File data                                                               */

static int pkernfs_setattr(struct mnt_idmap *idmap, struct dentry *dentry,
			   struct iattr *attr)
{
	struct inode *inode = d_inode(dentry);
	struct address_space *mapping = inode->i_mapping;
	int err;

	err = setattr_prepare(idmap, dentry, attr);
	if (err)
		return err;
	if ((attr->ia_valid & ATTR_SIZE) && attr->ia_size != inode->i_size) {
		loff_t old = inode->i_size;

		if (PKERNFS_SB(inode->i_sb)->secret && attr->ia_size < old)
			return -EPERM;
		err = inode_newsize_ok(inode, attr->ia_size);
		if (err)
			return err;
		filemap_invalidate_lock(mapping);
		i_size_write(inode, attr->ia_size);
		if (attr->ia_size < old)
			pkernfs_drop_range(inode, attr->ia_size, -1, false);
		filemap_invalidate_unlock(mapping);
		if (!(attr->ia_valid & (ATTR_MTIME | ATTR_CTIME)))
			inode_set_mtime_to_ts(inode,
					      inode_set_ctime_current(inode));
	}
	setattr_copy(idmap, inode, attr);
	return 0;
}

static int pkernfs_getattr(struct mnt_idmap *idmap, const struct path *path,
			   struct kstat *stat, u32 request_mask,
			   unsigned int query_flags)
{
	struct inode *inode = d_inode(path->dentry);

	generic_fillattr(idmap, request_mask, inode, stat);
	stat->blocks = inode->i_mapping->nrpages << (PAGE_SHIFT - 9);
	stat->blksize = PMD_SIZE;
	return 0;
}

static const struct inode_operations pkernfs_file_iops = {
	.setattr	= pkernfs_setattr,
	.getattr	= pkernfs_getattr,
};

static ssize_t pkernfs_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct file *file = iocb->ki_filp;
	struct inode *inode = file_inode(file);
	loff_t pos = iocb->ki_pos;
	ssize_t done = 0;

	if (PKERNFS_SB(inode->i_sb)->secret)
		return -EPERM;
	while (iov_iter_count(to)) {
		loff_t size = i_size_read(inode);
		struct folio *folio;
		size_t n, got;

		if (pos >= size)
			break;
		folio = filemap_get_folio(inode->i_mapping, pos >> PAGE_SHIFT);
		if (IS_ERR(folio)) {
			n = min_t(loff_t, PAGE_SIZE - offset_in_page(pos),
				  size - pos);
			got = iov_iter_zero(min(n, iov_iter_count(to)), to);
		} else {
			size_t off = offset_in_folio(folio, pos);

			n = min_t(loff_t, folio_size(folio) - off, size - pos);
			got = copy_folio_to_iter(folio, off, n, to);
			folio_put(folio);
		}
		pos += got;
		done += got;
		if (got < n && iov_iter_count(to)) {
			if (!done)
				done = -EFAULT;
			break;
		}
		if (fatal_signal_pending(current))
			break;
		cond_resched();
	}
	iocb->ki_pos = pos;
	file_accessed(file);
	return done;
}

static int pkernfs_write_begin(struct file *file,
			       struct address_space *mapping, loff_t pos,
			       unsigned int len, struct folio **foliop,
			       void **fsdata)
{
	struct inode *inode = mapping->host;
	loff_t end = max_t(loff_t, i_size_read(inode), pos + len);
	struct folio *folio;

	/* A file past 2 MiB grows by 2 MiB folios, as tmpfs huge=always. */
	if (end >= PMD_SIZE)
		end = round_up(end, PMD_SIZE);
	folio = pkernfs_get_folio(inode, pos >> PAGE_SHIFT,
				  DIV_ROUND_UP(end, PAGE_SIZE));
	if (IS_ERR(folio))
		return PTR_ERR(folio);
	*foliop = folio;
	return 0;
}

static int pkernfs_write_end(struct file *file, struct address_space *mapping,
			     loff_t pos, unsigned int len, unsigned int copied,
			     struct folio *folio, void *fsdata)
{
	struct inode *inode = mapping->host;

	if (pos + copied > inode->i_size)
		i_size_write(inode, pos + copied);
	folio_unlock(folio);
	folio_put(folio);
	return copied;
}

static ssize_t pkernfs_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	struct inode *inode = file_inode(iocb->ki_filp);
	ssize_t ret;

	if (PKERNFS_SB(inode->i_sb)->secret)
		return -EPERM;
	inode_lock(inode);
	ret = generic_write_checks(iocb, from);
	if (ret > 0)
		ret = file_remove_privs(iocb->ki_filp);
	if (!ret)
		ret = file_update_time(iocb->ki_filp);
	if (!ret && iov_iter_count(from))
		ret = generic_perform_write(iocb, from);
	inode_unlock(inode);
	if (ret > 0)
		ret = generic_write_sync(iocb, ret);
	return ret;
}

static vm_fault_t pkernfs_fault(struct vm_fault *vmf)
{
	struct inode *inode = file_inode(vmf->vma->vm_file);
	struct address_space *mapping = inode->i_mapping;
	struct folio *folio;
	pgoff_t pages;

	filemap_invalidate_lock_shared(mapping);
	pages = DIV_ROUND_UP(i_size_read(inode), PAGE_SIZE);
	folio = vmf->pgoff < pages ?
		pkernfs_get_folio(inode, vmf->pgoff, pages) :
		ERR_PTR(-EFAULT);
	filemap_invalidate_unlock_shared(mapping);
	if (IS_ERR(folio))
		return PTR_ERR(folio) == -ENOMEM ? VM_FAULT_OOM :
						    VM_FAULT_SIGBUS;
	if (PKERNFS_SB(inode->i_sb)->secret) {
		vm_fault_t ret;

		/*
		 * A special PTE: get_user_pages() cannot take the page (it
		 * is not in the direct map), nor can a core dump.
		 */
		ret = vmf_insert_mixed(vmf->vma, vmf->address,
				page_to_pfn_t(folio_file_page(folio, vmf->pgoff)));
		folio_unlock(folio);
		folio_put(folio);
		return ret;
	}
	vmf->page = folio_file_page(folio, vmf->pgoff);
	return VM_FAULT_LOCKED;
}

static const struct vm_operations_struct pkernfs_vm_ops = {
	.fault		= pkernfs_fault,
	.map_pages	= filemap_map_pages,
};

static const struct vm_operations_struct pkernfs_secret_vm_ops = {
	.fault		= pkernfs_fault,
};

static int pkernfs_mmap(struct file *file, struct vm_area_struct *vma)
{
	file_accessed(file);
	if (PKERNFS_SB(file_inode(file)->i_sb)->secret) {
		/* Pages the kernel must not reach: as memfd_secret(). */
		vm_flags_set(vma, VM_MIXEDMAP | VM_IO | VM_DONTDUMP |
			     VM_DONTEXPAND);
		vma->vm_ops = &pkernfs_secret_vm_ops;
		return 0;
	}
	vma->vm_ops = &pkernfs_vm_ops;
	return 0;
}

static long pkernfs_fallocate(struct file *file, int mode, loff_t off,
			      loff_t len)
{
	struct inode *inode = file_inode(file);
	struct address_space *mapping = inode->i_mapping;
	loff_t end = off + len;
	pgoff_t index, limit;
	long err = 0;

	if (mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE))
		return -EOPNOTSUPP;
	inode_lock(inode);
	if (mode & FALLOC_FL_PUNCH_HOLE) {
		if (PKERNFS_SB(inode->i_sb)->secret) {
			err = -EPERM;
			goto out;
		}
		filemap_invalidate_lock(mapping);
		pkernfs_drop_range(inode, off, end - 1, false);
		filemap_invalidate_unlock(mapping);
		goto out_time;
	}
	err = inode_newsize_ok(inode, end);
	if (err)
		goto out;
	limit = DIV_ROUND_UP(end, PAGE_SIZE);
	for (index = off >> PAGE_SHIFT; index < limit; ) {
		struct folio *folio = pkernfs_get_folio(inode, index, limit);

		if (IS_ERR(folio)) {
			err = PTR_ERR(folio);
			goto out;
		}
		index = folio_next_index(folio);
		folio_unlock(folio);
		folio_put(folio);
		if (fatal_signal_pending(current)) {
			err = -EINTR;
			goto out;
		}
		cond_resched();
	}
	if (!(mode & FALLOC_FL_KEEP_SIZE) && end > inode->i_size)
		i_size_write(inode, end);
out_time:
	inode_set_mtime_to_ts(inode, inode_set_ctime_current(inode));
out:
	inode_unlock(inode);
	return err;
}

static const struct file_operations pkernfs_file_fops = {
	.read_iter		= pkernfs_read_iter,
	.write_iter		= pkernfs_write_iter,
	.mmap			= pkernfs_mmap,
	.get_unmapped_area	= thp_get_unmapped_area,
	.fsync			= noop_fsync,
	.llseek			= generic_file_llseek,
	.fallocate		= pkernfs_fallocate,
};

#ifdef CONFIG_MIGRATION
/* Migration copies through the direct map: not for secret files. */
static int pkernfs_migrate_folio(struct address_space *mapping,
				 struct folio *dst, struct folio *src,
				 enum migrate_mode mode)
{
	if (PKERNFS_SB(mapping->host->i_sb)->secret)
		return -EBUSY;
	return filemap_migrate_folio(mapping, dst, src, mode);
}
#endif

static const struct address_space_operations pkernfs_aops = {
	.dirty_folio	= noop_dirty_folio,
#ifdef CONFIG_MIGRATION
	.migrate_folio	= pkernfs_migrate_folio,
#endif
	.write_begin	= pkernfs_write_begin,
	.write_end	= pkernfs_write_end,
};

/* ---------------------------------------------------------------------- */
/* Super block operations on inodes                                        */

static struct kmem_cache *pkernfs_inode_cache;

struct inode *pkernfs_alloc_inode(struct super_block *sb)
{
	struct pkernfs_inode *pi;

	pi = alloc_inode_sb(sb, pkernfs_inode_cache, GFP_KERNEL);
	if (!pi)
		return NULL;
	INIT_LIST_HEAD(&pi->children);
	INIT_LIST_HEAD(&pi->sib);
	pi->dentry = NULL;
	return &pi->vfs;
}

void pkernfs_free_inode(struct inode *inode)
{
	kmem_cache_free(pkernfs_inode_cache, PKERNFS_I(inode));
}

void pkernfs_evict_inode(struct inode *inode)
{
	struct pkernfs_sb *sbi = PKERNFS_SB(inode->i_sb);

	if (sbi->secret || sbi->scrub)
		pkernfs_scrub(inode);
	pkernfs_drop_range(inode, 0, -1, true);
	clear_inode(inode);
}

static void pkernfs_inode_init_once(void *p)
{
	struct pkernfs_inode *pi = p;

	inode_init_once(&pi->vfs);
}

int __init pkernfs_inode_cache_init(void)
{
	pkernfs_inode_cache = kmem_cache_create("pkernfs_inode_cache",
						sizeof(struct pkernfs_inode),
						0, SLAB_ACCOUNT,
						pkernfs_inode_init_once);
	return pkernfs_inode_cache ? 0 : -ENOMEM;
}
