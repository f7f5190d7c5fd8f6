// SPDX-License-Identifier: GPL-2.0
/*
 * A kernel user of pkernfs, for the tests: with pkernfs_selftest=SIZE the
 * kernel keeps a file "state" of SIZE bytes in the instance
 * "kernel-selftest", through pkernfs_kern_open() and
 * pkernfs_kern_get_page() only. When the file came from the previous
 * kernel, every page is checked against the pattern of the generation that
 * wrote it; then the next generation is written, for the next kernel.
 *
 * Also /sys/kernel/debug/pkernfs/probe: writing a file's path makes the
 * kernel try to read the first page of that file through the direct map
 * and say whether it could ("PKERNFS-SELFTEST: PROBE ..."), to show that
 * the pages of a "secret" instance are out of it.
 */

#define pr_fmt(fmt) "PKERNFS-SELFTEST: " fmt

#include <linux/debugfs.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/init.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/pkernfs.h>
#include <linux/uaccess.h>

static unsigned long pkernfs_selftest_size;

static int __init pkernfs_selftest_param(char *p)
{
	pkernfs_selftest_size = PAGE_ALIGN(memparse(p, &p));
	return 0;
}
early_param("pkernfs_selftest", pkernfs_selftest_param);

/* Word @i of page @index in generation @gen; word 0 of page 0 is @gen. */
static u64 pkernfs_selftest_word(u64 gen, pgoff_t index, unsigned int i)
{
	u64 x = (gen << 40) ^ ((u64)index << 10) ^ i;

	x *= 0x9e3779b97f4a7c15ULL;
	return index || i ? x ^ (x >> 29) : gen;
}

/* Check (@check) or write the pattern of @gen; returns bad pages. */
static long pkernfs_selftest_pass(struct file *file, pgoff_t pages, u64 gen,
				  bool check)
{
	unsigned int i, n = PAGE_SIZE / sizeof(u64);
	long bad = 0;
	pgoff_t index;

	for (index = 0; index < pages; index++) {
		struct page *page = pkernfs_kern_get_page(file, index);
		u64 *p;

		if (IS_ERR(page))
			return PTR_ERR(page);
		p = kmap_local_page(page);
		for (i = 0; i < n; i++) {
			u64 w = pkernfs_selftest_word(gen, index, i);

			if (!check) {
				p[i] = w;
			} else if (p[i] != w) {
				bad++;
				break;
			}
		}
		kunmap_local(p);
		put_page(page);
		cond_resched();
	}
	return bad;
}

static int __init pkernfs_selftest(void)
{
	pgoff_t pages = pkernfs_selftest_size >> PAGE_SHIFT;
	struct page *page;
	struct file *file;
	u64 gen = 0, *p;
	long bad;
	int err;

	if (!pages)
		return 0;
	file = pkernfs_kern_open("kernel-selftest", "state", O_RDWR | O_CREAT,
				 0600);
	if (IS_ERR(file)) {
		pr_err("FAILED: cannot open the file: %pe\n", file);
		return 0;
	}
	if (i_size_read(file_inode(file)) == pkernfs_selftest_size) {
		page = pkernfs_kern_get_page(file, 0);
		if (IS_ERR(page)) {
			pr_err("FAILED: no first page: %pe\n", page);
			goto out;
		}
		p = kmap_local_page(page);
		gen = p[0];
		kunmap_local(p);
		put_page(page);
		bad = pkernfs_selftest_pass(file, pages, gen, true);
		if (bad)
			pr_err("FAILED: generation %llu: %ld bad pages of %lu\n",
			       gen, bad, pages);
		else
			pr_info("VERIFIED generation %llu, %lu pages\n", gen,
				pages);
	} else {
		err = vfs_truncate(&file->f_path, pkernfs_selftest_size);
		if (err) {
			pr_err("FAILED: cannot size the file: %d\n", err);
			goto out;
		}
	}
	gen++;
	bad = pkernfs_selftest_pass(file, pages, gen, false);
	if (bad)
		pr_err("FAILED: cannot write generation %llu: %ld\n", gen, bad);
	else
		pr_info("WRITTEN generation %llu, %lu pages\n", gen, pages);
out:
	fput(file);
	return 0;
}
late_initcall_sync(pkernfs_selftest);

static ssize_t pkernfs_probe_write(struct file *f, const char __user *ubuf,
				   size_t len, loff_t *ppos)
{
	struct folio *folio;
	struct file *file;
	char path[256];
	long err;
	u64 v;

	if (len >= sizeof(path))
		return -ENAMETOOLONG;
	if (copy_from_user(path, ubuf, len))
		return -EFAULT;
	path[len] = '\0';
	strim(path);
	file = filp_open(path, O_RDONLY, 0);
	if (IS_ERR(file))
		return PTR_ERR(file);
	folio = filemap_get_folio(file->f_mapping, 0);
	if (IS_ERR(folio)) {
		pr_info("PROBE %s: no first page\n", path);
	} else {
		err = copy_from_kernel_nofault(&v, folio_address(folio),
					       sizeof(v));
		if (err)
			pr_info("PROBE %s: direct map unreadable (%ld)\n", path,
				err);
		else
			pr_info("PROBE %s: direct map readable: %016llx\n",
				path, v);
		folio_put(folio);
	}
	fput(file);
	return len;
}

static const struct file_operations pkernfs_probe_fops = {
	.write = pkernfs_probe_write,
};

static int __init pkernfs_selftest_debugfs(void)
{
	struct dentry *dir = debugfs_create_dir("pkernfs", NULL);

	debugfs_create_file("probe", 0200, dir, NULL, &pkernfs_probe_fops);
	return 0;
}
late_initcall(pkernfs_selftest_debugfs);
