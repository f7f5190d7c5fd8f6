// SPDX-License-Identifier: GPL-2.0
/*
 * kho_restore_time.c - time the restore of a KHO self test handover in
 * upstream Linux, for the project's bench only.
 *
 * scripts/kernel-build.sh builds it into a copy of upstream Linux 7.3
 * (variant "linux73bench"), which the bench boots in place of 7.3 itself.
 * It does nothing until /sys/kernel/debug/kho_restore_time/run is
 * written. Then it takes the "kho-selftest" subtree that this project's
 * kernel (kho_selftest=...) handed over, restores its folio list and
 * every folio in it with upstream's own kho_restore_vmalloc() and
 * kho_restore_folio(), frees them, and prints
 *   KHO-RESTORE-TIME: folios=N bytes=B failed=F restore_us=T
 * where restore_us is the time of the kho_restore_*() calls (the subtree,
 * the list, every folio), not of the frees after them: what the
 * project's self test times as restore_us. It only uses the public KHO
 * API.
 */

#define pr_fmt(fmt) "KHO-RESTORE-TIME: " fmt

#include <linux/debugfs.h>
#include <linux/init.h>
#include <linux/io.h>
#include <linux/kexec_handover.h>
#include <linux/kho/abi/kexec_handover.h>
#include <linux/libfdt.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/sched/clock.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#define RT_NODE		"kho-selftest"
#define RT_COMPAT	"kho-selftest-v1"

static DEFINE_MUTEX(rt_lock);
static bool rt_done;

static int rt_get(const void *fdt, const char *name, void *out, int size)
{
	int len;
	const void *p = fdt_getprop(fdt, 0, name, &len);

	if (!p || len != size)
		return -EINVAL;
	memcpy(out, p, size);
	return 0;
}

static void rt_restore(void)
{
	u64 nr, i, bytes = 0, failed = 0, start = local_clock(), ns;
	struct folio **folios = NULL;
	struct kho_vmalloc desc;
	phys_addr_t phys;
	const void *fdt;
	size_t size;
	u64 *list;

	if (kho_retrieve_subtree(RT_NODE, &phys, &size)) {
		pr_info("no self test handover\n");
		return;
	}
	fdt = phys_to_virt(phys);
	if (size < sizeof(struct fdt_header) || fdt_check_header(fdt) ||
	    fdt_totalsize(fdt) > size ||
	    fdt_node_check_compatible(fdt, 0, RT_COMPAT) ||
	    rt_get(fdt, "nr-folios", &nr, sizeof(nr)) ||
	    rt_get(fdt, "folio-list", &desc, sizeof(desc))) {
		pr_err("the self test subtree is malformed\n");
		return;
	}
	list = kho_restore_vmalloc(&desc);
	if (!list) {
		pr_err("cannot restore the folio list\n");
		return;
	}
	if (nr > (u64)desc.total_pages * (PAGE_SIZE / sizeof(u64))) {
		pr_err("%llu folios do not fit the list\n", nr);
		vfree(list);
		return;
	}
	ns = local_clock() - start;
	folios = kvmalloc_array(nr ?: 1, sizeof(*folios), GFP_KERNEL);
	if (!folios) {
		vfree(list);
		return;
	}
	/* Take every folio back (timed), then free them. */
	start = local_clock();
	for (i = 0; i < nr; i++)
		folios[i] = kho_restore_folio(list[i] & PAGE_MASK);
	ns += local_clock() - start;
	for (i = 0; i < nr; i++) {
		if (!folios[i]) {
			failed++;
			continue;
		}
		bytes += folio_size(folios[i]);
		folio_put(folios[i]);
	}
	kvfree(folios);
	vfree(list);
	pr_info("folios=%llu bytes=%llu failed=%llu restore_us=%llu\n", nr,
		bytes, failed, div_u64(ns, NSEC_PER_USEC));
}

static ssize_t rt_run_write(struct file *file, const char __user *buf,
			    size_t count, loff_t *ppos)
{
	mutex_lock(&rt_lock);
	if (!rt_done)
		rt_restore();
	rt_done = true;
	mutex_unlock(&rt_lock);
	return count;
}

static const struct file_operations rt_run_fops = {
	.owner = THIS_MODULE,
	.write = rt_run_write,
};

static int __init rt_init(void)
{
	struct dentry *dir = debugfs_create_dir("kho_restore_time", NULL);

	debugfs_create_file("run", 0200, dir, NULL, &rt_run_fops);
	return 0;
}
late_initcall(rt_init);
