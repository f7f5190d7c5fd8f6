// SPDX-License-Identifier: GPL-2.0
/*
 * Live Update Orchestrator (LUO): userspace state across kexec.
 *
 * A process opens /dev/liveupdate (one at a time), creates named sessions
 * and preserves file descriptors in them under tokens. Everything stays
 * live until the reboot path: kernel_kexec() calls liveupdate_reboot(),
 * which lets every file handler freeze its file and writes the session and
 * file tables into KHO-preserved pages hanging off the "LUO" KHO subtree.
 * If that fails, the kexec is aborted with the error and every session is
 * as it was. In the next kernel a process retrieves the sessions by name,
 * the files by token, and finishes each session.
 *
 * Everything that arrives from the previous kernel is checked before use:
 * every page must be memory the previous kernel preserved (and is taken
 * exactly once, which also catches loops), every count must match, names
 * and compatible strings must be terminated and unique. Malformed state is
 * refused as a whole with a message; the memory behind it is cleared
 * before anyone else can get it. Upstream Linux panics in that case.
 *
 * The user interface (include/uapi/linux/liveupdate.h) and the wire
 * format (include/linux/kho/abi/luo.h, "luo-v5") are those of upstream
 * Linux, so programs and preserved state move between this kernel and
 * upstream kernels in both directions.
 *
 * Enable with liveupdate=on together with kho=on.
 */

#define pr_fmt(fmt) "liveupdate: " fmt

#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/init.h>
#include <linux/io.h>
#include <linux/kexec_handover.h>
#include <linux/kho/abi/luo.h>
#include <linux/liveupdate.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "luo_internal.h"

DEFINE_MUTEX(luo_mutex);
bool luo_serialized;

static struct {
	bool enabled;
	u64 liveupdate_num;
	struct luo_ser *ser_out;
} luo_global;

static int __init liveupdate_setup(char *arg)
{
	return kstrtobool(arg, &luo_global.enabled);
}
early_param("liveupdate", liveupdate_setup);

/**
 * liveupdate_enabled - is the Live Update Orchestrator active?
 *
 * Return: true if it was enabled on the command line and KHO works.
 */
bool liveupdate_enabled(void)
{
	return luo_global.enabled;
}
EXPORT_SYMBOL_GPL(liveupdate_enabled);

/* ---------------------------------------------------------------------- */
/* Page chains                                                             */

static unsigned long luo_chain_per_page(size_t entry_size)
{
	return (KHO_BLOCK_SIZE - sizeof(struct kho_block_header_ser)) /
	       entry_size;
}

/**
 * luo_chain_build - allocate a chain of preserved blocks for @nr entries
 * @entry_size: bytes per entry
 * @nr: entries
 *
 * Headers are filled in (counts and links); entries are zero.
 *
 * Return: the chain, or an ERR_PTR().
 */
struct luo_chain *luo_chain_build(size_t entry_size, unsigned long nr)
{
	unsigned long per = luo_chain_per_page(entry_size), i;
	struct kho_block_header_ser *hdr;
	struct luo_chain *chain;

	chain = kzalloc(sizeof(*chain), GFP_KERNEL);
	if (!chain)
		return ERR_PTR(-ENOMEM);
	chain->pages = kcalloc(DIV_ROUND_UP(nr, per), sizeof(void *),
			       GFP_KERNEL);
	if (!chain->pages && nr) {
		kfree(chain);
		return ERR_PTR(-ENOMEM);
	}
	for (i = 0; i < DIV_ROUND_UP(nr, per); i++) {
		hdr = kho_alloc_preserve(KHO_BLOCK_SIZE);
		if (IS_ERR(hdr)) {
			luo_chain_free(chain);
			return ERR_CAST(hdr);
		}
		hdr->count = min(per, nr - i * per);
		if (i) {
			struct kho_block_header_ser *prev = chain->pages[i - 1];

			prev->next = virt_to_phys(hdr);
		}
		chain->pages[chain->nr_pages++] = hdr;
	}
	return chain;
}

/**
 * luo_chain_entry - address of entry @i of a chain
 * @chain: the chain
 * @entry_size: bytes per entry, as built
 * @i: index
 *
 * Return: the entry.
 */
void *luo_chain_entry(struct luo_chain *chain, size_t entry_size,
		      unsigned long i)
{
	unsigned long per = luo_chain_per_page(entry_size);
	struct kho_block_header_ser *hdr = chain->pages[i / per];

	return (void *)(hdr + 1) + (i % per) * entry_size;
}

/**
 * luo_chain_head - physical address of a chain's first block
 * @chain: the chain, or %NULL
 *
 * Return: the address, 0 for an empty chain.
 */
u64 luo_chain_head(struct luo_chain *chain)
{
	return chain && chain->nr_pages ? virt_to_phys(chain->pages[0]) : 0;
}

/**
 * luo_chain_free - unpreserve and free an outgoing chain
 * @chain: the chain, or %NULL
 */
void luo_chain_free(struct luo_chain *chain)
{
	unsigned long i;

	if (!chain)
		return;
	for (i = 0; i < chain->nr_pages; i++)
		kho_unpreserve_free(chain->pages[i]);
	kfree(chain->pages);
	kfree(chain);
}

/**
 * luo_free_incoming_page - free a page taken back from the previous kernel
 * @addr: its address
 *
 * The page is cleared first: what the previous kernel left there is not
 * for whoever gets the page next.
 */
void luo_free_incoming_page(void *addr)
{
	clear_page(addr);
	free_page((unsigned long)addr);
}

/**
 * luo_chain_read - take back and read an incoming chain
 * @head: physical address of the first block, 0 for none
 * @entry_size: bytes per entry
 * @total: entries the chain must hold, or %U64_MAX for any number
 * @fn: called on each entry in order; a non-zero return stops the walk
 * @arg: passed to @fn
 *
 * Every block must be a preserved page not taken before (so a loop
 * fails), hold 1 to a page's worth of entries, and the counts must add up
 * to @total. Blocks read are freed; on failure the rest of the chain is
 * left to KHO, which clears it.
 *
 * Return: 0, -EINVAL for a malformed chain, or what @fn returned.
 */
int luo_chain_read(u64 head, size_t entry_size, u64 total,
		   int (*fn)(const void *entry, void *arg), void *arg)
{
	unsigned long per = luo_chain_per_page(entry_size), i;
	struct kho_block_header_ser *hdr;
	struct folio *folio;
	u64 seen = 0, count;
	int err = 0;

	while (head) {
		folio = PAGE_ALIGNED(head) ? kho_restore_folio(head) : NULL;
		if (!folio || folio_order(folio)) {
			pr_warn("block %#llx is not a page preserved by the previous kernel\n",
				head);
			if (folio) {
				folio_zero_range(folio, 0, folio_size(folio));
				folio_put(folio);
			}
			return -EINVAL;
		}
		hdr = folio_address(folio);
		count = hdr->count;
		head = hdr->next;
		if (!count || count > per || count > total - seen) {
			pr_warn("block %#llx holds %llu entries (1 to %llu allowed)\n",
				(u64)folio_pfn(folio) << PAGE_SHIFT, count,
				min_t(u64, per, total - seen));
			err = -EINVAL;
		}
		for (i = 0; !err && i < count; i++)
			err = fn((void *)(hdr + 1) + i * entry_size, arg);
		luo_free_incoming_page(hdr);
		if (err)
			return err;
		seen += count;
	}
	if (total != U64_MAX && seen != total) {
		pr_warn("chain holds %llu entries, %llu expected\n", seen, total);
		return -EINVAL;
	}
	return 0;
}

/* ---------------------------------------------------------------------- */
/* State from the previous kernel, state for the next one                  */

/*
 * Upstream kernels always send an FLB header, usually empty. This kernel
 * has no FLB users: take the header back, say if it listed anything, and
 * leave the objects' own memory to KHO, which clears and frees it.
 */
static void __init luo_incoming_flbs(u64 phys)
{
	struct luo_flb_header_ser hdr;
	struct folio *folio;

	if (!phys)
		return;
	folio = PAGE_ALIGNED(phys) ? kho_restore_folio(phys) : NULL;
	if (!folio) {
		pr_warn("FLB header of the previous kernel is not preserved memory\n");
		return;
	}
	memcpy(&hdr, folio_address(folio), sizeof(hdr));
	folio_zero_range(folio, 0, folio_size(folio));
	folio_put(folio);
	if (hdr.count)
		pr_warn("ignoring %llu file-lifecycle-bound objects of the previous kernel: not supported\n",
			hdr.count);
}

static int __init luo_incoming(void)
{
	struct luo_ser ser;
	struct folio *folio;
	phys_addr_t phys;
	size_t size, fsize;
	int err;

	err = kho_retrieve_subtree(LUO_KHO_ENTRY_NAME, &phys, &size);
	if (err == -ENOENT)
		return 0;
	if (err) {
		pr_warn("refusing the previous kernel's state: its KHO node is malformed\n");
		return err;
	}
	folio = PAGE_ALIGNED(phys) ? kho_restore_folio(phys) : NULL;
	if (!folio) {
		pr_warn("refusing the previous kernel's state: its root is not preserved memory\n");
		return -EINVAL;
	}
	fsize = folio_size(folio);
	if (size >= sizeof(ser) && size <= fsize)
		memcpy(&ser, folio_address(folio), sizeof(ser));
	folio_zero_range(folio, 0, fsize);
	folio_put(folio);
	if (size < sizeof(ser) || size > fsize) {
		pr_warn("refusing the previous kernel's state: root of %zu bytes\n",
			size);
		return -EINVAL;
	}

	if (memcmp(ser.compatible, LUO_ABI_COMPATIBLE,
		   sizeof(LUO_ABI_COMPATIBLE))) {
		pr_warn("refusing the previous kernel's state: format \"%.*s\", expected \"%s\"\n",
			(int)strnlen(ser.compatible, sizeof(ser.compatible)),
			ser.compatible, LUO_ABI_COMPATIBLE);
		return -EINVAL;
	}
	luo_global.liveupdate_num = ser.liveupdate_num;
	luo_incoming_flbs(ser.flbs_pa);

	err = luo_sessions_deserialize(ser.sessions_pa);
	if (err) {
		pr_warn("refusing the previous kernel's state: malformed session data\n");
		return err;
	}
	pr_info("live update %llu: state of the previous kernel accepted\n",
		ser.liveupdate_num);
	return 0;
}

static int __init luo_outgoing(void)
{
	struct luo_ser *ser;
	int err;

	ser = kho_alloc_preserve(sizeof(*ser));
	if (IS_ERR(ser))
		return PTR_ERR(ser);
	strscpy(ser->compatible, LUO_ABI_COMPATIBLE, sizeof(ser->compatible));
	ser->liveupdate_num = luo_global.liveupdate_num + 1;
	err = kho_add_subtree(LUO_KHO_ENTRY_NAME, ser, sizeof(*ser));
	if (err) {
		kho_unpreserve_free(ser);
		return err;
	}
	luo_global.ser_out = ser;
	return 0;
}

/**
 * liveupdate_reboot - serialize every session for the kernel being kexeced
 *
 * Called by kernel_kexec() before anything is shut down. On failure every
 * file is unfrozen, nothing stays preserved that was not before, and the
 * kexec must be aborted with the error.
 *
 * Return: 0 or a negative errno.
 */
int liveupdate_reboot(void)
{
	int err;

	if (!liveupdate_enabled())
		return 0;
	mutex_lock(&luo_mutex);
	if (luo_serialized) {
		mutex_unlock(&luo_mutex);
		return 0;
	}
	err = luo_sessions_serialize(&luo_global.ser_out->sessions_pa);
	if (!err) {
		luo_serialized = true;
		luo_test_corrupt(luo_global.ser_out);
	}
	mutex_unlock(&luo_mutex);
	if (err)
		pr_err("cannot hand the sessions over (%pe): kexec aborted\n",
		       ERR_PTR(err));
	return err;
}

/* ---------------------------------------------------------------------- */
/* ioctls                                                                  */

/**
 * luo_ucmd_respond - copy an ioctl's results back to userspace
 * @ucmd: the call
 * @size: size of the kernel's structure
 *
 * Return: 0 or -EFAULT.
 */
int luo_ucmd_respond(struct luo_ucmd *ucmd, size_t size)
{
	if (copy_to_user(ucmd->ubuffer, ucmd->cmd,
			 min_t(size_t, ucmd->user_size, size)))
		return -EFAULT;
	return 0;
}

/* The largest argument structure of any LUO ioctl. */
union luo_ioctl_buffer {
	struct liveupdate_ioctl_create_session create;
	struct liveupdate_ioctl_retrieve_session retrieve;
	struct liveupdate_session_preserve_fd preserve;
	struct liveupdate_session_retrieve_fd retrieve_fd;
	struct liveupdate_session_finish finish;
	struct liveupdate_session_get_name get_name;
};

/**
 * luo_ioctl_run - check and run one ioctl
 * @ops: table indexed by command number minus @base
 * @nr_ops: its size
 * @base: first command number
 * @cmd: ioctl number
 * @arg: user pointer
 * @obj: passed to the handler
 * @incoming: @obj is an incoming session (for the scope check)
 *
 * Errors are those of upstream: EINVAL for an unknown number, a command
 * the session does not accept or a too small structure, ENOTTY for a
 * wrong ioctl encoding, E2BIG for non-zero bytes past what the kernel
 * knows, EFAULT.
 *
 * Return: what the handler returned, or the error.
 */
long luo_ioctl_run(const struct luo_ioctl_op *ops, unsigned int nr_ops,
		   unsigned int base, unsigned int cmd, unsigned long arg,
		   void *obj, bool incoming)
{
	unsigned int nr = _IOC_NR(cmd);
	const struct luo_ioctl_op *op;
	union luo_ioctl_buffer buf;
	struct luo_ucmd ucmd = {
		.ubuffer = (void __user *)arg,
		.cmd = &buf,
	};
	int err;

	if (nr < base || nr - base >= nr_ops || !ops[nr - base].execute)
		return -EINVAL;
	op = &ops[nr - base];
	if (get_user(ucmd.user_size, (u32 __user *)ucmd.ubuffer))
		return -EFAULT;
	if (op->cmd != cmd)
		return -ENOIOCTLCMD;
	if ((op->scope == LUO_SCOPE_INCOMING && !incoming) ||
	    (op->scope == LUO_SCOPE_OUTGOING && incoming))
		return -EINVAL;
	if (ucmd.user_size < op->min_size)
		return -EINVAL;
	if (WARN_ON_ONCE(op->size > sizeof(buf)))
		return -EINVAL;
	err = copy_struct_from_user(&buf, op->size, ucmd.ubuffer,
				    ucmd.user_size);
	if (err)
		return err;
	return op->execute(obj, &ucmd);
}

static int luo_fd_respond(struct luo_ucmd *ucmd, size_t size, int fd,
			  struct file *file)
{
	int err = luo_ucmd_respond(ucmd, size);

	if (err) {
		fput(file);
		put_unused_fd(fd);
		return err;
	}
	fd_install(fd, file);
	return 0;
}

static int luo_ioctl_create_session(void *obj, struct luo_ucmd *ucmd)
{
	struct liveupdate_ioctl_create_session *argp = ucmd->cmd;
	struct file *file;
	int err;

	argp->fd = get_unused_fd_flags(O_CLOEXEC);
	if (argp->fd < 0)
		return argp->fd;
	err = luo_session_create((const char *)argp->name, &file);
	if (err) {
		put_unused_fd(argp->fd);
		return err;
	}
	return luo_fd_respond(ucmd, sizeof(*argp), argp->fd, file);
}

static int luo_ioctl_retrieve_session(void *obj, struct luo_ucmd *ucmd)
{
	struct liveupdate_ioctl_retrieve_session *argp = ucmd->cmd;
	struct file *file;
	int err;

	argp->fd = get_unused_fd_flags(O_CLOEXEC);
	if (argp->fd < 0)
		return argp->fd;
	/*
	 * Answer first: dropping a retrieved session's file would finish
	 * the session and lose its files.
	 */
	err = luo_ucmd_respond(ucmd, sizeof(*argp));
	if (!err)
		err = luo_session_retrieve((const char *)argp->name, &file);
	if (err) {
		put_unused_fd(argp->fd);
		return err;
	}
	fd_install(argp->fd, file);
	return 0;
}

static const struct luo_ioctl_op luo_dev_ops[] = {
	LUO_IOCTL_OP(LIVEUPDATE_IOCTL_CREATE_SESSION, luo_ioctl_create_session,
		     struct liveupdate_ioctl_create_session, name,
		     LUO_SCOPE_ANY),
	LUO_IOCTL_OP(LIVEUPDATE_IOCTL_RETRIEVE_SESSION,
		     luo_ioctl_retrieve_session,
		     struct liveupdate_ioctl_retrieve_session, name,
		     LUO_SCOPE_ANY),
};

static atomic_t luo_dev_in_use = ATOMIC_INIT(0);

static int luo_dev_open(struct inode *inode, struct file *file)
{
	if (atomic_cmpxchg(&luo_dev_in_use, 0, 1))
		return -EBUSY;
	return 0;
}

static int luo_dev_release(struct inode *inode, struct file *file)
{
	atomic_set(&luo_dev_in_use, 0);
	return 0;
}

static long luo_dev_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	return luo_ioctl_run(luo_dev_ops, ARRAY_SIZE(luo_dev_ops),
			     LIVEUPDATE_CMD_BASE, cmd, arg, NULL, false);
}

static const struct file_operations luo_dev_fops = {
	.owner		= THIS_MODULE,
	.open		= luo_dev_open,
	.release	= luo_dev_release,
	.unlocked_ioctl	= luo_dev_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
};

static struct miscdevice luo_miscdev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "liveupdate",
	.fops	= &luo_dev_fops,
};

/**
 * luo_debugfs_dir - the debugfs directory "liveupdate", made on first use
 *
 * Return: the directory, or an error pointer debugfs calls accept.
 */
struct dentry *luo_debugfs_dir(void)
{
	static struct dentry *dir;

	if (!dir)
		dir = debugfs_create_dir("liveupdate", NULL);
	return dir;
}

static int __init liveupdate_init(void)
{
	int err;

	if (!luo_global.enabled)
		return 0;
	if (!kho_is_enabled()) {
		pr_warn("disabled: it needs kexec handover (kho=on)\n");
		luo_global.enabled = false;
		return 0;
	}
	if (luo_incoming())
		luo_sessions_drop_incoming();

	err = luo_outgoing();
	if (err)
		goto fail;
	err = misc_register(&luo_miscdev);
	if (err)
		goto fail;
	luo_sessions_debugfs_init();
	pr_info("enabled: /dev/liveupdate, live update number %llu\n",
		luo_global.ser_out->liveupdate_num);
	return 0;
fail:
	pr_err("cannot start (%pe); live update disabled\n", ERR_PTR(err));
	luo_sessions_drop_incoming();
	if (luo_global.ser_out) {
		kho_remove_subtree(luo_global.ser_out);
		kho_unpreserve_free(luo_global.ser_out);
		luo_global.ser_out = NULL;
	}
	luo_global.enabled = false;
	return err;
}
late_initcall(liveupdate_init);
