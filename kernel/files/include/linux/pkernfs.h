/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_PKERNFS_H
#define _LINUX_PKERNFS_H

/*
 * pkernfs: an in-memory file system whose files survive a kexec with
 * handover. See Documentation/filesystems/pkernfs.rst.
 */

#include <linux/err.h>
#include <linux/types.h>

struct file;
struct page;

#ifdef CONFIG_PKERNFS_FS
int pkernfs_kexec_prepare(void);
void pkernfs_kexec_cancel(void);
struct file *pkernfs_kern_open(const char *instance, const char *path,
			       int flags, umode_t mode);
struct page *pkernfs_kern_get_page(struct file *file, pgoff_t index);
#else
static inline int pkernfs_kexec_prepare(void)
{
	return 0;
}

static inline void pkernfs_kexec_cancel(void) { }

static inline struct file *pkernfs_kern_open(const char *instance,
					     const char *path, int flags,
					     umode_t mode)
{
	return ERR_PTR(-EOPNOTSUPP);
}

static inline struct page *pkernfs_kern_get_page(struct file *file,
						 pgoff_t index)
{
	return ERR_PTR(-EOPNOTSUPP);
}
#endif

#endif /* _LINUX_PKERNFS_H */
