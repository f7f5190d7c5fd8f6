// SPDX-License-Identifier: GPL-2.0
/*
 * kfvfs.c - dentries for the shim: allocated, named and counted, freed
 * only when the fuzz target tears its super block down.
 */
#include "kshim.h"

struct dentry *d_make_root(struct inode *inode)
{
	struct dentry *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->d_inode = inode;
	d->d_sb = inode->i_sb;
	d->d_parent = d;
	d->d_count = 1;
	d->d_name.name = (const unsigned char *)"/";
	d->d_name.len = 1;
	return d;
}

struct dentry *d_alloc(struct dentry *parent, const struct qstr *name)
{
	struct dentry *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	/* The name is copied, as the dcache does. */
	d->d_iname = kmemdup_nul((const char *)name->name, name->len,
				 GFP_KERNEL);
	d->d_name = *name;
	d->d_name.name = d->d_iname;
	d->d_parent = parent;
	d->d_sb = parent->d_sb;
	d->d_count = 1;
	return d;
}

void d_instantiate(struct dentry *dentry, struct inode *inode)
{
	dentry->d_inode = inode;
}

void d_rehash(struct dentry *dentry)
{
}

struct dentry *dget(struct dentry *dentry)
{
	dentry->d_count++;
	return dentry;
}

void dput(struct dentry *dentry)
{
	if (dentry && --dentry->d_count < 0)
		kf_die("dput() of a dentry with no reference");
}

void kf_dentry_free(struct dentry *dentry)
{
	if (!dentry)
		return;
	free(dentry->d_iname);
	free(dentry);
}
