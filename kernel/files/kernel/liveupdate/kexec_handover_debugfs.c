// SPDX-License-Identifier: GPL-2.0
/*
 * kexec_handover_debugfs.c - the handover trees in debugfs
 *
 * /sys/kernel/debug/kho/out/fdt              root FDT handed to the next kernel
 * /sys/kernel/debug/kho/out/sub_fdts/NAME    blobs published with kho_add_subtree()
 * /sys/kernel/debug/kho/out/scratch_phys     scratch area addresses, one per line
 * /sys/kernel/debug/kho/out/scratch_len      scratch area sizes, one per line
 * /sys/kernel/debug/kho/in/fdt               root FDT received from the previous kernel
 * /sys/kernel/debug/kho/in/sub_fdts/NAME     copies of the blobs received
 *
 * The paths are those of upstream Linux. FDT blobs read with
 * "dtc -I dtb -O dts".
 */

#define pr_fmt(fmt) "KHO: " fmt

#include <linux/debugfs.h>
#include <linux/io.h>
#include <linux/libfdt.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/unaligned.h>

#include "kexec_handover_internal.h"

/* Received blobs bigger than this are not copied for debugfs. */
#define KHO_DEBUGFS_COPY_MAX	SZ_1M

static struct dentry *kho_debugfs_root;

struct kho_debugfs_blob {
	struct list_head list;
	struct debugfs_blob_wrapper wrapper;
	struct dentry *file;
	const void *blob;
	void *copy;
};

static int kho_debugfs_add(struct kho_debugfs *dbg, struct dentry *dir,
			   const char *name, const void *blob, size_t size,
			   void *copy)
{
	struct kho_debugfs_blob *b = kzalloc(sizeof(*b), GFP_KERNEL);

	if (!b)
		return -ENOMEM;
	b->blob = blob;
	b->copy = copy;
	b->wrapper.data = copy ?: (void *)blob;
	b->wrapper.size = size;
	b->file = debugfs_create_blob(name, 0400, dir, &b->wrapper);
	if (IS_ERR(b->file)) {
		int err = PTR_ERR(b->file);

		kfree(b);
		return err;
	}
	list_add(&b->list, &dbg->blobs);
	return 0;
}

/**
 * kho_debugfs_blob_add - show a blob of the outgoing handover
 * @dbg: the outgoing debugfs state
 * @name: file name
 * @blob: the blob
 * @size: its size
 * @root: true for the root FDT, false for a subtree
 *
 * Return: 0 or a negative errno.
 */
int kho_debugfs_blob_add(struct kho_debugfs *dbg, const char *name,
			 const void *blob, size_t size, bool root)
{
	if (!dbg->dir)
		return 0;
	return kho_debugfs_add(dbg, root ? dbg->dir : dbg->sub_fdt_dir, name,
			       blob, size, NULL);
}

/**
 * kho_debugfs_blob_remove - remove the file showing @blob
 * @dbg: the outgoing debugfs state
 * @blob: the blob given to kho_debugfs_blob_add()
 */
void kho_debugfs_blob_remove(struct kho_debugfs *dbg, const void *blob)
{
	struct kho_debugfs_blob *b;

	if (!dbg->dir)
		return;
	list_for_each_entry(b, &dbg->blobs, list) {
		if (b->blob == blob) {
			debugfs_remove(b->file);
			list_del(&b->list);
			kvfree(b->copy);
			kfree(b);
			return;
		}
	}
}

static int kho_scratch_phys_show(struct seq_file *m, void *v)
{
	unsigned int i;

	for (i = 0; i < kho_scratch_cnt; i++)
		seq_printf(m, "0x%llx\n", (u64)kho_scratch[i].addr);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(kho_scratch_phys);

static int kho_scratch_len_show(struct seq_file *m, void *v)
{
	unsigned int i;

	for (i = 0; i < kho_scratch_cnt; i++)
		seq_printf(m, "0x%llx\n", (u64)kho_scratch[i].size);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(kho_scratch_len);

static int kho_debugfs_dirs(struct kho_debugfs *dbg, const char *name)
{
	INIT_LIST_HEAD(&dbg->blobs);
	dbg->dir = debugfs_create_dir(name, kho_debugfs_root);
	if (IS_ERR(dbg->dir))
		goto fail;
	dbg->sub_fdt_dir = debugfs_create_dir("sub_fdts", dbg->dir);
	if (IS_ERR(dbg->sub_fdt_dir)) {
		debugfs_remove_recursive(dbg->dir);
		goto fail;
	}
	return 0;
fail:
	dbg->dir = NULL;
	return -ENOMEM;
}

/**
 * kho_out_debugfs_init - create /sys/kernel/debug/kho/out
 * @dbg: the outgoing debugfs state
 *
 * Return: 0 or a negative errno.
 */
int kho_out_debugfs_init(struct kho_debugfs *dbg)
{
	if (!kho_debugfs_root)
		return -ENOENT;
	if (kho_debugfs_dirs(dbg, "out"))
		return -ENOMEM;
	debugfs_create_file("scratch_phys", 0400, dbg->dir, NULL,
			    &kho_scratch_phys_fops);
	debugfs_create_file("scratch_len", 0400, dbg->dir, NULL,
			    &kho_scratch_len_fops);
	return 0;
}

/**
 * kho_in_debugfs_init - create /sys/kernel/debug/kho/in
 * @dbg: the incoming debugfs state
 * @fdt: the received root FDT, already checked
 *
 * Subtree blobs belong to their subsystems, which may free them at any
 * time, so debugfs shows copies taken now.
 */
void kho_in_debugfs_init(struct kho_debugfs *dbg, const void *fdt)
{
	int off;

	if (!kho_debugfs_root || kho_debugfs_dirs(dbg, "in"))
		return;
	if (kho_debugfs_add(dbg, dbg->dir, "fdt", fdt, fdt_totalsize(fdt), NULL))
		pr_warn("cannot show the received root FDT\n");

	fdt_for_each_subnode(off, fdt, 0) {
		const char *name = fdt_get_name(fdt, off, NULL);
		const void *phys = fdt_getprop(fdt, off, KHO_SUB_TREE_PROP_NAME,
					       NULL);
		const void *size = fdt_getprop(fdt, off,
					       KHO_SUB_TREE_SIZE_PROP_NAME, NULL);
		u64 len;
		void *copy;

		if (!name || !phys || !size)
			continue;
		len = get_unaligned((const u64 *)size);
		if (len > KHO_DEBUGFS_COPY_MAX)
			continue;
		copy = kvmalloc(len, GFP_KERNEL);
		if (!copy)
			continue;
		memcpy(copy, phys_to_virt(get_unaligned((const u64 *)phys)), len);
		if (kho_debugfs_add(dbg, dbg->sub_fdt_dir, name, NULL, len, copy))
			kvfree(copy);
	}
}

/**
 * kho_debugfs_init - create /sys/kernel/debug/kho
 *
 * Return: 0 or -ENOENT.
 */
int kho_debugfs_init(void)
{
	kho_debugfs_root = debugfs_create_dir("kho", NULL);
	if (IS_ERR(kho_debugfs_root)) {
		kho_debugfs_root = NULL;
		return -ENOENT;
	}
	return 0;
}
