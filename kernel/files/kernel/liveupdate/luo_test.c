// SPDX-License-Identifier: GPL-2.0
/*
 * Live Update Orchestrator: fault injection for tests.
 *
 * /sys/kernel/debug/liveupdate/freeze_fault: write N, and freezing the
 * N-th preserved file in the next reboot fails with -EIO (once), which
 * must abort the kexec and leave every session as it was.
 *
 * /sys/kernel/debug/liveupdate/corrupt: write the name of a corruption;
 * it is applied to the serialized state right after a successful
 * serialization, so that the next kernel receives malformed LUO state.
 */

#define pr_fmt(fmt) "liveupdate: " fmt

#include <linux/debugfs.h>
#include <linux/init.h>
#include <linux/io.h>
#include <linux/kho/abi/luo.h>
#include <linux/kho/abi/memfd.h>
#include <linux/mm.h>
#include <linux/string.h>

#include "luo_internal.h"

static u32 luo_freeze_fault;
static char luo_corrupt_mode[32];

/**
 * luo_test_freeze_fault - should the next freeze fail?
 *
 * Return: -EIO when the armed count runs out, else 0.
 */
int luo_test_freeze_fault(void)
{
	if (!luo_freeze_fault)
		return 0;
	return --luo_freeze_fault ? 0 : -EIO;
}

static void *luo_va(u64 pa)
{
	return pa ? phys_to_virt(pa) : NULL;
}

static struct luo_session_ser *luo_test_session(struct luo_ser *ser,
						unsigned int i)
{
	struct kho_block_header_ser *hdr = luo_va(ser->sessions_pa);

	if (!hdr || hdr->count <= i)
		return NULL;
	return (struct luo_session_ser *)(hdr + 1) + i;
}

static struct luo_file_ser *luo_test_file(struct luo_ser *ser, unsigned int i)
{
	struct luo_session_ser *s = luo_test_session(ser, 0);
	struct kho_block_header_ser *hdr = s ? luo_va(s->file_set_ser.files) :
					       NULL;

	if (!hdr || hdr->count <= i)
		return NULL;
	return (struct luo_file_ser *)(hdr + 1) + i;
}

/**
 * luo_test_corrupt - apply the armed corruption to the outgoing state
 * @ser: the serialized root
 */
void luo_test_corrupt(struct luo_ser *ser)
{
	struct luo_session_ser *s0 = luo_test_session(ser, 0);
	struct luo_session_ser *s1 = luo_test_session(ser, 1);
	struct luo_file_ser *f0 = luo_test_file(ser, 0);
	struct luo_file_ser *f1 = luo_test_file(ser, 1);
	const char *m = luo_corrupt_mode;
	struct memfd_luo_ser *mser = f0 ? luo_va(f0->data) : NULL;
	struct kho_vmalloc_chunk *chunk = mser ? luo_va(mser->folios.first.phys) :
					  NULL;
	struct memfd_luo_folio_ser *table = chunk ? luo_va(chunk->phys[0]) : NULL;
	bool done = true;

	if (!*m)
		return;
	if (!strcmp(m, "compatible"))
		ser->compatible[1] = 'X';
	else if (!strcmp(m, "session-chain"))
		ser->sessions_pa = virt_to_phys(empty_zero_page);
	else if (!strcmp(m, "session-loop") && s0)
		((struct kho_block_header_ser *)s0 - 1)->next = ser->sessions_pa;
	else if (!strcmp(m, "session-count") && s0)
		((struct kho_block_header_ser *)s0 - 1)->count = 1000;
	else if (!strcmp(m, "session-name") && s0)
		memset(s0->name, 'A', sizeof(s0->name));
	else if (!strcmp(m, "session-dup") && s1)
		memcpy(s1->name, s0->name, sizeof(s1->name));
	else if (!strcmp(m, "file-count") && s0)
		s0->file_set_ser.count++;
	else if (!strcmp(m, "file-loop") && f0)
		((struct kho_block_header_ser *)f0 - 1)->next =
			s0->file_set_ser.files;
	else if (!strcmp(m, "file-compat") && f0)
		memset(f0->compatible, 'B', sizeof(f0->compatible));
	else if (!strcmp(m, "file-dup") && f1)
		f1->token = f0->token;
	else if (!strcmp(m, "memfd-data") && f0)
		f0->data = virt_to_phys(empty_zero_page);
	else if (!strcmp(m, "memfd-index") && table && mser->nr_folios > 1)
		table[1].index = table[0].index;
	else if (!strcmp(m, "memfd-folios") && mser)
		mser->nr_folios++;
	else
		done = false;
	pr_warn("test: %s corruption \"%s\" of the outgoing state\n",
		done ? "applied" : "could not apply", m);
}

static ssize_t luo_corrupt_write(struct file *file, const char __user *ubuf,
				 size_t len, loff_t *ppos)
{
	char buf[sizeof(luo_corrupt_mode)];

	if (!len || len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = 0;
	strim(buf);
	mutex_lock(&luo_mutex);
	strscpy(luo_corrupt_mode, buf, sizeof(luo_corrupt_mode));
	mutex_unlock(&luo_mutex);
	return len;
}

static const struct file_operations luo_corrupt_fops = {
	.write = luo_corrupt_write,
	.llseek = noop_llseek,
};

static int __init luo_test_init(void)
{
	struct dentry *dir;

	if (!liveupdate_enabled())
		return 0;
	dir = luo_debugfs_dir();
	debugfs_create_u32("freeze_fault", 0600, dir, &luo_freeze_fault);
	debugfs_create_file("corrupt", 0200, dir, NULL, &luo_corrupt_fops);
	return 0;
}
late_initcall_sync(luo_test_init);
