// SPDX-License-Identifier: GPL-2.0
/*
 * pkernfs for kernel code: state a driver must find again after a kexec
 * (IOMMU page tables in the pkernfs RFC) kept in a pkernfs file. The
 * instance is handed over like any other; after the kexec the same
 * pkernfs_kern_open() finds the same file, with the same pages.
 */

#define pr_fmt(fmt) "pkernfs: " fmt

#include <linux/fs.h>
#include <linux/fs_context.h>
#include <linux/mm.h>
#include <linux/mount.h>
#include <linux/pagemap.h>
#include <linux/pkernfs.h>

#include "internal.h"

/* The instance's mount for kernel users: created once, kept. */
static struct vfsmount *pkernfs_kern_mount(const char *instance)
{
	struct pkernfs_sb *sbi;
	struct vfsmount *mnt;

	mnt = pkernfs_mount_kern(instance);
	if (IS_ERR(mnt))
		return mnt;
	sbi = PKERNFS_SB(mnt->mnt_sb);
	mutex_lock(&pkernfs_lock);
	if (!sbi->kern_mnt) {
		sbi->kern_mnt = mnt;
		mnt = NULL;
	}
	mutex_unlock(&pkernfs_lock);
	/* Someone made it first: ours goes. */
	if (mnt)
		mntput(mnt);
	return sbi->kern_mnt;
}

/**
 * pkernfs_kern_open - open a file of a pkernfs instance from kernel code
 * @instance: the instance's name; created, empty, when it does not exist
 * @path:     the file's path in the instance, relative to its root
 * @flags:    open flags (%O_RDWR, %O_CREAT, ...)
 * @mode:     permissions of a new file
 *
 * Kernel use is not a mount: the instance can be mounted by users at the
 * same time. Size the file with vfs_truncate() and get its pages with
 * pkernfs_kern_get_page().
 *
 * Return: the file, or an ERR_PTR().
 */
struct file *pkernfs_kern_open(const char *instance, const char *path,
			       int flags, umode_t mode)
{
	struct vfsmount *mnt;
	struct path root;

	if (!pkernfs_valid_name(instance))
		return ERR_PTR(-EINVAL);
	mnt = pkernfs_kern_mount(instance);
	if (IS_ERR(mnt))
		return ERR_CAST(mnt);
	root.mnt = mnt;
	root.dentry = mnt->mnt_root;
	return file_open_root(&root, path, flags | O_LARGEFILE, mode);
}
EXPORT_SYMBOL_GPL(pkernfs_kern_open);

/**
 * pkernfs_kern_get_page - a page of a pkernfs file, allocated if missing
 * @file:  a pkernfs file, from pkernfs_kern_open()
 * @index: the page's offset in the file, in pages; below the file's size
 *
 * The page is the file's: what is written to it is in the file, and goes
 * to the next kernel with it.
 *
 * Return: the page, with a reference (put_page() when done), or an
 * ERR_PTR(): -EINVAL for another file or an index past the end, -EPERM
 * for a file of a "secret" instance, -ENOSPC past the instance's size=,
 * -ENOMEM.
 */
struct page *pkernfs_kern_get_page(struct file *file, pgoff_t index)
{
	struct inode *inode = file_inode(file);
	struct address_space *mapping = inode->i_mapping;
	struct folio *folio;
	pgoff_t pages;

	if (inode->i_sb->s_type != &pkernfs_fs_type || !S_ISREG(inode->i_mode))
		return ERR_PTR(-EINVAL);
	/* Out of the direct map: the kernel must not touch it. */
	if (PKERNFS_SB(inode->i_sb)->secret)
		return ERR_PTR(-EPERM);
	filemap_invalidate_lock_shared(mapping);
	pages = DIV_ROUND_UP(i_size_read(inode), PAGE_SIZE);
	folio = index < pages ? pkernfs_get_folio(inode, index, pages) :
				ERR_PTR(-EINVAL);
	filemap_invalidate_unlock_shared(mapping);
	if (IS_ERR(folio))
		return ERR_CAST(folio);
	folio_unlock(folio);
	return folio_file_page(folio, index);
}
EXPORT_SYMBOL_GPL(pkernfs_kern_get_page);
