// SPDX-License-Identifier: GPL-2.0
/*
 * DOC: pkernfs
 *
 * pkernfs is an in-memory file system whose files survive a kexec with
 * handover (KHO): guest RAM, device state, anything a workload wants to
 * find again, in place, after a kernel update. It is the file system the
 * pkernfs RFC proposed, without its boot-time carve-out: memory comes from
 * the page allocator as files grow, in 2 MiB folios where it can, and is
 * handed over to the next kernel at kexec.
 *
 * A mount names an instance: ``mount -t pkernfs -o name=vm0 none /mnt``.
 * Instances outlive their mounts: unmounting keeps the files (and their
 * memory) until the instance is mounted again or discarded through
 * /sys/fs/pkernfs/discard. At kexec every instance is written into the
 * handover; the next kernel rebuilds each one at boot and keeps it,
 * unmounted, until someone mounts the same name. One instance can be
 * mounted once at a time.
 */

#define pr_fmt(fmt) "pkernfs: " fmt

#include <linux/fs.h>
#include <linux/fs_context.h>
#include <linux/fs_parser.h>
#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/mm.h>
#include <linux/nodemask.h>
#include <linux/seq_file.h>
#include <linux/set_memory.h>
#include <linux/slab.h>
#include <linux/statfs.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "internal.h"

/* Serializes creating, finding, discarding and handing over instances. */
DEFINE_MUTEX(pkernfs_lock);
/* Every kept instance (struct pkernfs_sb.list), mounted or not. */
LIST_HEAD(pkernfs_instances);

/**
 * struct pkernfs_fs_context - mount options
 * @name:   name=
 * @size:   size= in bytes (0: no limit)
 * @nid:    node= or NUMA_NO_NODE
 * @mode:   mode= of the root directory
 * @uid:    uid= of the root directory
 * @gid:    gid= of the root directory
 * @secret: secret
 * @set:    which of the above were given (1 << Opt_*)
 * @in:     build the instance from this handover (kernel-internal mount)
 * @kern:   a mount for kernel users (pkernfs_kern_open()), not a user's
 */
struct pkernfs_fs_context {
	char name[PKERNFS_NAME_MAX + 1];
	u64 size;
	int nid;
	umode_t mode;
	kuid_t uid;
	kgid_t gid;
	bool secret;
	unsigned int set;
	struct pkernfs_in *in;
	bool kern;
};

enum { Opt_name, Opt_size, Opt_node, Opt_mode, Opt_uid, Opt_gid, Opt_secret };

static const struct fs_parameter_spec pkernfs_params[] = {
	fsparam_string("name", Opt_name),
	fsparam_string("size", Opt_size),
	fsparam_u32("node", Opt_node),
	fsparam_u32oct("mode", Opt_mode),
	fsparam_uid("uid", Opt_uid),
	fsparam_gid("gid", Opt_gid),
	fsparam_flag("secret", Opt_secret),
	{}
};

/**
 * pkernfs_valid_name - is @name usable as an instance name?
 * @name: the name
 *
 * Return: true for 1 to %PKERNFS_NAME_MAX characters out of [A-Za-z0-9._-].
 */
bool pkernfs_valid_name(const char *name)
{
	size_t i, len = strnlen(name, PKERNFS_NAME_MAX + 1);

	if (!len || len > PKERNFS_NAME_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (!isalnum(name[i]) && !strchr("._-", name[i]))
			return false;
	return true;
}

static int pkernfs_parse_param(struct fs_context *fc,
			       struct fs_parameter *param)
{
	struct pkernfs_fs_context *ctx = fc->fs_private;
	struct fs_parse_result result;
	char *rest;
	int opt;

	opt = fs_parse(fc, pkernfs_params, param, &result);
	if (opt < 0)
		return opt;
	switch (opt) {
	case Opt_name:
		if (!pkernfs_valid_name(param->string))
			return invalfc(fc, "name must be 1-%d of [A-Za-z0-9._-]",
				       PKERNFS_NAME_MAX);
		strscpy(ctx->name, param->string, sizeof(ctx->name));
		break;
	case Opt_size:
		ctx->size = memparse(param->string, &rest);
		if (*rest || !ctx->size)
			return invalfc(fc, "bad size=%s", param->string);
		break;
	case Opt_node:
		if (result.uint_32 >= MAX_NUMNODES ||
		    !node_state(result.uint_32, N_MEMORY))
			return invalfc(fc, "node %u has no memory", result.uint_32);
		ctx->nid = result.uint_32;
		break;
	case Opt_mode:
		ctx->mode = result.uint_32 & 07777;
		break;
	case Opt_uid:
		ctx->uid = result.uid;
		break;
	case Opt_gid:
		ctx->gid = result.gid;
		break;
	case Opt_secret:
		if (!can_set_direct_map())
			return invalfc(fc, "secret needs a direct map that can change");
		ctx->secret = true;
		break;
	}
	ctx->set |= 1U << opt;
	return 0;
}

static int pkernfs_statfs(struct dentry *dentry, struct kstatfs *buf)
{
	struct pkernfs_sb *sbi = PKERNFS_SB(dentry->d_sb);
	unsigned long used = atomic_long_read(&sbi->used);
	unsigned long total = sbi->max_pages ?: totalram_pages();

	buf->f_type = PKERNFS_MAGIC;
	buf->f_bsize = PAGE_SIZE;
	buf->f_namelen = NAME_MAX;
	buf->f_blocks = total;
	buf->f_bfree = total > used ? total - used : 0;
	buf->f_bavail = buf->f_bfree;
	buf->f_files = PKERNFS_KHO_MAX_INODES;
	buf->f_ffree = PKERNFS_KHO_MAX_INODES - sbi->nr_inodes;
	return 0;
}

static int pkernfs_show_options(struct seq_file *m, struct dentry *root)
{
	struct pkernfs_sb *sbi = PKERNFS_SB(root->d_sb);

	seq_printf(m, ",name=%s", sbi->name);
	if (sbi->max_pages)
		seq_printf(m, ",size=%luk", sbi->max_pages << (PAGE_SHIFT - 10));
	if (sbi->nid != NUMA_NO_NODE)
		seq_printf(m, ",node=%d", sbi->nid);
	if (sbi->secret)
		seq_puts(m, ",secret");
	return 0;
}

static const struct super_operations pkernfs_sops = {
	.alloc_inode	= pkernfs_alloc_inode,
	.free_inode	= pkernfs_free_inode,
	.evict_inode	= pkernfs_evict_inode,
	.statfs		= pkernfs_statfs,
	.show_options	= pkernfs_show_options,
	.drop_inode	= generic_delete_inode,
};

static int pkernfs_fill_super(struct super_block *sb, struct fs_context *fc)
{
	struct pkernfs_fs_context *ctx = fc->fs_private;
	struct pkernfs_sb *sbi = PKERNFS_SB(sb);
	struct inode *root;

	sb->s_maxbytes = MAX_LFS_FILESIZE;
	sb->s_blocksize = PAGE_SIZE;
	sb->s_blocksize_bits = PAGE_SHIFT;
	sb->s_magic = PKERNFS_MAGIC;
	sb->s_op = &pkernfs_sops;
	sb->s_time_gran = 1;
	sbi->sb = sb;
	if (ctx->in)
		return pkernfs_build_incoming(sb, ctx->in);

	sbi->max_pages = DIV_ROUND_UP(ctx->size, PAGE_SIZE);
	sbi->nid = ctx->nid;
	sbi->secret = ctx->secret;
	root = pkernfs_new_inode(sb, NULL, S_IFDIR | ctx->mode);
	if (!root)
		return -ENOMEM;
	root->i_uid = ctx->uid;
	root->i_gid = ctx->gid;
	sb->s_root = d_make_root(root);
	if (!sb->s_root)
		return -ENOMEM;
	PKERNFS_I(root)->dentry = sb->s_root;
	sbi->nr_inodes = 1;
	return 0;
}

/* Only instances that are still kept match: not one being discarded. */
static int pkernfs_test_super(struct super_block *sb, struct fs_context *fc)
{
	struct pkernfs_fs_context *ctx = fc->fs_private;
	struct pkernfs_sb *sbi = PKERNFS_SB(sb);

	return sbi->pinned && !strcmp(sbi->name, ctx->name);
}

static int pkernfs_set_super(struct super_block *sb, struct fs_context *fc)
{
	sb->s_fs_info = fc->s_fs_info;
	fc->s_fs_info = NULL;
	return set_anon_super(sb, NULL);
}

/* Mount options given for an instance that exists already. */
static int pkernfs_update(struct fs_context *fc, struct pkernfs_sb *sbi)
{
	struct pkernfs_fs_context *ctx = fc->fs_private;
	unsigned long pages = DIV_ROUND_UP(ctx->size, PAGE_SIZE);

	if ((ctx->set & BIT(Opt_secret)) && !sbi->secret)
		return invalfc(fc, "instance %s is not secret", sbi->name);
	if (ctx->set & BIT(Opt_size)) {
		if (pages < atomic_long_read(&sbi->used))
			return invalfc(fc, "instance %s holds more than size=",
				       sbi->name);
		sbi->max_pages = pages;
	}
	if (ctx->set & BIT(Opt_node))
		sbi->nid = ctx->nid;
	return 0;
}

static int pkernfs_get_tree(struct fs_context *fc)
{
	struct pkernfs_fs_context *ctx = fc->fs_private;
	struct pkernfs_sb *sbi;
	struct super_block *sb;
	int err;

	if (!ctx->name[0])
		return invalfc(fc, "name= is required");
	sbi = kzalloc(sizeof(*sbi), GFP_KERNEL);
	if (!sbi)
		return -ENOMEM;
	strscpy(sbi->name, ctx->name, sizeof(sbi->name));
	mutex_init(&sbi->tree_lock);
	sbi->nid = NUMA_NO_NODE;
	fc->s_fs_info = sbi;

	mutex_lock(&pkernfs_lock);
	sb = sget_fc(fc, pkernfs_test_super, pkernfs_set_super);
	if (IS_ERR(sb)) {
		mutex_unlock(&pkernfs_lock);
		return PTR_ERR(sb);
	}
	sbi = PKERNFS_SB(sb);
	if (sb->s_root) {
		/* Less ours, only the instance's and kernel users' are left? */
		if (ctx->in) {
			err = -EEXIST;
		} else if (!ctx->kern && pkernfs_user_mounts(sbi) > 1) {
			errorfc(fc, "instance %s is mounted already",
				sbi->name);
			err = -EBUSY;
		} else {
			err = pkernfs_update(fc, sbi);
		}
		if (err)
			goto fail;
	} else {
		err = pkernfs_fill_super(sb, fc);
		if (err)
			goto fail;
		sb->s_flags |= SB_ACTIVE;
		/* Kept until discarded, mounted or not. */
		atomic_inc(&sb->s_active);
		sbi->pinned = true;
		list_add_tail(&sbi->list, &pkernfs_instances);
	}
	sbi->incoming = !!ctx->in;
	mutex_unlock(&pkernfs_lock);
	fc->root = dget(sb->s_root);
	return 0;

fail:
	mutex_unlock(&pkernfs_lock);
	deactivate_locked_super(sb);
	return err;
}

static int pkernfs_reconfigure(struct fs_context *fc)
{
	struct pkernfs_sb *sbi = PKERNFS_SB(fc->root->d_sb);
	int err;

	sync_filesystem(fc->root->d_sb);
	mutex_lock(&pkernfs_lock);
	err = pkernfs_update(fc, sbi);
	mutex_unlock(&pkernfs_lock);
	return err;
}

static void pkernfs_free_fc(struct fs_context *fc)
{
	kfree(fc->s_fs_info);
	kfree(fc->fs_private);
}

static const struct fs_context_operations pkernfs_context_ops = {
	.free		= pkernfs_free_fc,
	.parse_param	= pkernfs_parse_param,
	.get_tree	= pkernfs_get_tree,
	.reconfigure	= pkernfs_reconfigure,
};

static int pkernfs_init_fs_context(struct fs_context *fc)
{
	struct pkernfs_fs_context *ctx;

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	ctx->nid = NUMA_NO_NODE;
	ctx->mode = 0755;
	ctx->uid = current_fsuid();
	ctx->gid = current_fsgid();
	fc->fs_private = ctx;
	fc->ops = &pkernfs_context_ops;
	return 0;
}

static void pkernfs_kill_sb(struct super_block *sb)
{
	struct pkernfs_sb *sbi = PKERNFS_SB(sb);

	kill_litter_super(sb);
	kfree(sbi);
}

struct file_system_type pkernfs_fs_type = {
	.owner			= THIS_MODULE,
	.name			= "pkernfs",
	.init_fs_context	= pkernfs_init_fs_context,
	.parameters		= pkernfs_params,
	.kill_sb		= pkernfs_kill_sb,
};

/**
 * pkernfs_create_incoming - rebuild an instance from the handover
 * @name: its name
 * @in:   its checked handover
 *
 * The instance is kept, unmounted, until it is mounted or discarded.
 *
 * Return: 0 or a negative errno.
 */
int pkernfs_create_incoming(const char *name, struct pkernfs_in *in)
{
	struct pkernfs_fs_context *ctx;
	struct fs_context *fc;
	int err;

	fc = fs_context_for_mount(&pkernfs_fs_type, SB_KERNMOUNT);
	if (IS_ERR(fc))
		return PTR_ERR(fc);
	ctx = fc->fs_private;
	strscpy(ctx->name, name, sizeof(ctx->name));
	ctx->in = in;
	err = vfs_get_tree(fc);
	if (!err)
		up_write(&fc->root->d_sb->s_umount);
	put_fs_context(fc);
	return err;
}

/**
 * pkernfs_mount_kern - a mount of an instance for kernel users
 * @name: the instance's name; created when missing
 *
 * Return: the mount or an ERR_PTR().
 */
struct vfsmount *pkernfs_mount_kern(const char *name)
{
	struct pkernfs_fs_context *ctx;
	struct vfsmount *mnt;
	struct fs_context *fc;

	fc = fs_context_for_mount(&pkernfs_fs_type, SB_KERNMOUNT);
	if (IS_ERR(fc))
		return ERR_CAST(fc);
	ctx = fc->fs_private;
	strscpy(ctx->name, name, sizeof(ctx->name));
	ctx->kern = true;
	mnt = fc_mount(fc);
	put_fs_context(fc);
	return mnt;
}

/* ---------------------------------------------------------------------- */
/* /sys/fs/pkernfs                                                         */

static ssize_t instances_show(struct kobject *kobj, struct kobj_attribute *attr,
			      char *buf)
{
	struct pkernfs_sb *sbi;
	int len = 0;

	mutex_lock(&pkernfs_lock);
	list_for_each_entry(sbi, &pkernfs_instances, list) {
		len += sysfs_emit_at(buf, len,
				     "%s %s%s used=%luk size=%luk node=%d%s\n",
				     sbi->name,
				     pkernfs_user_mounts(sbi) > 0 ?
				     "mounted" : "unmounted",
				     sbi->incoming ? " incoming" : "",
				     atomic_long_read(&sbi->used) <<
				     (PAGE_SHIFT - 10),
				     sbi->max_pages << (PAGE_SHIFT - 10),
				     sbi->nid, sbi->secret ? " secret" : "");
	}
	mutex_unlock(&pkernfs_lock);
	return len;
}

static ssize_t discard_store(struct kobject *kobj, struct kobj_attribute *attr,
			     const char *buf, size_t count)
{
	struct pkernfs_sb *sbi, *found = NULL;
	struct vfsmount *kern_mnt = NULL;
	char name[PKERNFS_NAME_MAX + 2];
	int err = -ENOENT;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	strscpy(name, buf, sizeof(name));
	strim(name);
	mutex_lock(&pkernfs_lock);
	list_for_each_entry(sbi, &pkernfs_instances, list) {
		if (strcmp(sbi->name, name))
			continue;
		err = -EBUSY;
		if (pkernfs_user_mounts(sbi) > 0)
			break;
		list_del_init(&sbi->list);
		sbi->pinned = false;
		/* Kernel users' open files keep what they use. */
		kern_mnt = sbi->kern_mnt;
		sbi->kern_mnt = NULL;
		found = sbi;
		err = 0;
		break;
	}
	mutex_unlock(&pkernfs_lock);
	if (err)
		return err;
	pr_info("instance %s discarded\n", name);
	if (kern_mnt)
		mntput(kern_mnt);
	deactivate_super(found->sb);
	return count;
}

static struct kobj_attribute pkernfs_instances_attr = __ATTR_RO(instances);
static struct kobj_attribute pkernfs_discard_attr = __ATTR_WO(discard);

static struct attribute *pkernfs_attrs[] = {
	&pkernfs_instances_attr.attr,
	&pkernfs_discard_attr.attr,
	NULL
};

static const struct attribute_group pkernfs_attr_group = {
	.attrs = pkernfs_attrs,
};

static int __init pkernfs_init(void)
{
	struct kobject *kobj;
	int err;

	err = pkernfs_inode_cache_init();
	if (err)
		return err;
	pkernfs_kho_init();
	err = register_filesystem(&pkernfs_fs_type);
	if (err)
		return err;
	kobj = kobject_create_and_add("pkernfs", fs_kobj);
	if (!kobj || sysfs_create_group(kobj, &pkernfs_attr_group))
		pr_warn("cannot create /sys/fs/pkernfs\n");
	return 0;
}
fs_initcall(pkernfs_init);
