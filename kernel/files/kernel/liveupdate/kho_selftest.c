// SPDX-License-Identifier: GPL-2.0
/*
 * kho_selftest.c - a built-in kexec handover user for testing
 *
 * Boot with kho=on kho_selftest=SIZE[,scatter|,order=N|,contig][,nofill].
 * At late_initcall this
 *  1. restores what the previous kernel's self test preserved, if any,
 *     and compares every byte with the pattern it was filled with;
 *  2. preserves SIZE bytes for the next kernel: folios of mixed orders
 *     (or, with "scatter", single 4 KiB pages with a gap after each; with
 *     "order=N", folios of order N only; with "contig", one physically
 *     contiguous range preserved with kho_preserve_pages()), a vmalloc
 *     area listing them, a 1 MiB patterned vmalloc area, and a subtree
 *     "kho-selftest" describing it all, one generation further.
 * "nofill" skips writing and checking the pattern (for timing handover
 * itself). With "defer", boot only holds the incoming memory and both
 * steps run when /sys/kernel/debug/kho_selftest/run is written. It also checks that a page and a subtree withdrawn before kexec
 * do not arrive, and that a kho_restore_pages() call that fails half way
 * leaves the range restorable. Results are printed as lines starting
 * "KHO-SELFTEST:".
 *
 * /sys/kernel/debug/kho_selftest/corrupt takes the name of a deliberate
 * corruption of the outgoing handover (see kho_selftest_corrupt()).
 */

#define pr_fmt(fmt) "KHO-SELFTEST: " fmt

#include <linux/debugfs.h>
#include <linux/kexec_handover.h>
#include <linux/kho/abi/kexec_handover.h>
#include <linux/io.h>
#include <linux/libfdt.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/random.h>
#include <linux/sched/clock.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/unaligned.h>
#include <linux/vmalloc.h>

#include "kexec_handover_internal.h"

#define SELFTEST_NODE		"kho-selftest"
#define SELFTEST_COMPAT		"kho-selftest-v1"
#define SELFTEST_VMALLOC_SIZE	SZ_1M
#define SELFTEST_VMALLOC_ID	0xffffffffUL
#define SELFTEST_WITHDRAWN	"kho-selftest-withdrawn"

static unsigned long selftest_size __ro_after_init;
static bool selftest_scatter __ro_after_init;
static bool selftest_fill __ro_after_init = true;
static int selftest_order __ro_after_init = -1;
static bool selftest_contig __ro_after_init;
static bool selftest_defer __ro_after_init;
static bool selftest_pending;	/* "defer": waiting for "run" */
static bool selftest_hold;	/* ... holding the incoming memory */
static DEFINE_MUTEX(selftest_lock);

static int __init selftest_param(char *p)
{
	char *opt;
	int order;

	selftest_size = memparse(p, &p);
	while ((opt = strsep(&p, ",")) != NULL) {
		if (!*opt)
			continue;
		if (!strcmp(opt, "scatter"))
			selftest_scatter = true;
		else if (!strcmp(opt, "nofill"))
			selftest_fill = false;
		else if (!strcmp(opt, "contig"))
			selftest_contig = true;
		else if (!strcmp(opt, "defer"))
			selftest_defer = true;
		else if (!strncmp(opt, "order=", 6) &&
			 !kstrtoint(opt + 6, 10, &order) &&
			 order >= 0 && order <= MAX_PAGE_ORDER)
			selftest_order = order;
		else
			pr_warn("unknown option '%s'\n", opt);
	}
	return 0;
}
early_param("kho_selftest", selftest_param);

/* The pattern: word @i of block @id, for a given seed. */
static inline u64 selftest_word(u64 seed, unsigned long id, unsigned long i)
{
	return (seed ^ ((u64)id << 32) ^ i) * 0x9e3779b97f4a7c15ULL;
}

static void selftest_fill_area(void *addr, size_t size, u64 seed,
			       unsigned long id)
{
	u64 *w = addr;
	size_t i;

	for (i = 0; i < size / sizeof(u64); i++)
		w[i] = selftest_word(seed, id, i);
}

/* Return the number of 8-byte words that differ from the pattern. */
static size_t selftest_check_area(const void *addr, size_t size, u64 seed,
				  unsigned long id)
{
	const u64 *w = addr;
	size_t i, bad = 0;

	for (i = 0; i < size / sizeof(u64); i++)
		if (w[i] != selftest_word(seed, id, i))
			bad++;
	return bad;
}

static int selftest_get_u64(const void *fdt, const char *name, u64 *v)
{
	int len;
	const void *p = fdt_getprop(fdt, 0, name, &len);

	if (!p || len != sizeof(u64))
		return -EINVAL;
	*v = get_unaligned((const u64 *)p);
	return 0;
}

static int selftest_get_vmalloc(const void *fdt, const char *name,
				       struct kho_vmalloc *v)
{
	int len;
	const void *p = fdt_getprop(fdt, 0, name, &len);

	if (!p || len != sizeof(*v))
		return -EINVAL;
	memcpy(v, p, sizeof(*v));
	return 0;
}

/*
 * The probes of selftest_probes(): the withdrawn page and subtree must be
 * gone, and a restore of three pages of which only two were preserved
 * must fail without taking them. Returns the number of failures.
 */
static unsigned int selftest_check_probes(const void *fdt)
{
	unsigned int failed = 0;
	phys_addr_t p;
	u64 withdrawn, pair;

	if (selftest_get_u64(fdt, "withdrawn", &withdrawn) ||
	    selftest_get_u64(fdt, "pair", &pair))
		return 1;
	if (!kho_retrieve_subtree(SELFTEST_WITHDRAWN, &p, NULL) ||
	    (withdrawn && kho_restore_folio(withdrawn))) {
		pr_err("FAIL a withdrawn page or subtree was handed over\n");
		failed++;
	}
	if (pair && kho_restore_pages(pair, 3)) {
		pr_err("FAIL restored a range that was only partly preserved\n");
		failed++;
	}
	if (pair) {
		struct page *page = kho_restore_pages(pair, 2);

		if (page) {
			__free_page(page);
			__free_page(page + 1);
		} else {
			pr_err("FAIL a failed restore left its range unrestorable\n");
			failed++;
		}
	}
	return failed;
}

/*
 * Take back the contiguous range of a "contig" generation (the time of
 * the restore itself is added to @ns), check it against the pattern of
 * @seed (0: not filled) and free it. Returns the number of failures;
 * words that differ are added to @bad.
 */
static unsigned int selftest_restore_contig(phys_addr_t phys,
						   u64 nr_pages, u64 seed,
						   u64 *bad, u64 *ns)
{
	u64 t0 = local_clock();
	struct page *page = kho_restore_pages(phys, nr_pages);

	*ns += local_clock() - t0;
	if (!page) {
		pr_err("FAIL cannot restore the contiguous range\n");
		return 1;
	}
	if (seed)
		*bad += selftest_check_area(page_address(page),
					    nr_pages << PAGE_SHIFT, seed, 0);
	free_contig_range(page_to_pfn(page), nr_pages);
	return 0;
}

/*
 * Restore and verify the previous generation. Returns its number or 0.
 * restore_us is the time spent taking memory back: the subtree, the
 * folio list and every folio or range (the kho_restore_*() calls), not
 * the pattern checks and frees that follow, as tests/bench's timer in
 * upstream Linux measures it.
 */
static u64 selftest_restore(void)
{
	struct kho_vmalloc list_desc, data_desc;
	u64 gen, seed, nr, fill, i, bytes = 0, bad = 0, failed = 0;
	u64 start = local_clock(), ns = 0, contig;
	struct folio **folios = NULL;
	phys_addr_t phys;
	size_t size;
	const void *fdt;
	u64 *list;
	void *data;

	if (kho_retrieve_subtree(SELFTEST_NODE, &phys, &size)) {
		pr_info("no handover data from a previous self test\n");
		return 0;
	}
	fdt = phys_to_virt(phys);
	if (size < sizeof(struct fdt_header) || fdt_check_header(fdt) ||
	    fdt_totalsize(fdt) > size ||
	    fdt_node_check_compatible(fdt, 0, SELFTEST_COMPAT) ||
	    selftest_get_u64(fdt, "generation", &gen) ||
	    selftest_get_u64(fdt, "seed", &seed) ||
	    selftest_get_u64(fdt, "nr-folios", &nr) ||
	    selftest_get_u64(fdt, "fill", &fill) ||
	    selftest_get_vmalloc(fdt, "folio-list", &list_desc) ||
	    selftest_get_vmalloc(fdt, "data", &data_desc)) {
		pr_err("FAIL subtree is malformed\n");
		return 0;
	}
	/* Older generations have no contiguous range. */
	if (selftest_get_u64(fdt, "contig-pages", &contig))
		contig = 0;

	list = kho_restore_vmalloc(&list_desc);
	if (!list) {
		pr_err("FAIL cannot restore the folio list\n");
		return 0;
	}
	if (nr > list_desc.total_pages * (PAGE_SIZE / sizeof(u64))) {
		pr_err("FAIL folio count %llu does not fit the list\n", nr);
		vfree(list);
		return 0;
	}
	ns += local_clock() - start;
	if (contig) {
		failed += selftest_restore_contig(list[0] & PAGE_MASK, contig,
						  fill ? seed : 0, &bad, &ns);
		bytes = contig << PAGE_SHIFT;
		nr = 0;
	}
	/* Without it no PASS line: the allocator has said why. */
	folios = nr ? kvmalloc_array(nr, sizeof(*folios), GFP_KERNEL) : NULL;
	if (nr && !folios) {
		vfree(list);
		return 0;
	}
	/* First take every folio back (timed), then check and free them. */
	start = local_clock();
	for (i = 0; i < nr; i++)
		folios[i] = kho_restore_folio(list[i] & PAGE_MASK);
	ns += local_clock() - start;
	for (i = 0; i < nr; i++) {
		unsigned int order = list[i] & ~PAGE_MASK;
		struct folio *folio = folios[i];

		if (!folio) {
			failed++;
			continue;
		}
		if (folio_order(folio) != order)
			failed++;
		if (i == 0 && kho_restore_folio(list[i] & PAGE_MASK)) {
			pr_err("FAIL a folio could be restored twice\n");
			failed++;
		}
		if (fill)
			bad += selftest_check_area(folio_address(folio),
						   folio_size(folio), seed, i);
		bytes += folio_size(folio);
		folio_put(folio);
	}
	kvfree(folios);
	vfree(list);

	data = kho_restore_vmalloc(&data_desc);
	if (!data) {
		failed++;
	} else {
		if (fill)
			bad += selftest_check_area(data, SELFTEST_VMALLOC_SIZE,
						   seed, SELFTEST_VMALLOC_ID);
		vfree(data);
	}
	failed += selftest_check_probes(fdt);
	kho_restore_free((void *)fdt);

	if (failed || bad) {
		pr_err("FAIL generation=%llu: %llu blocks not restored, %llu words differ\n",
		       gen, failed, bad);
		return 0;
	}
	pr_info("PASS generation=%llu folios=%llu bytes=%llu vmalloc=%u checked=%s restore_us=%llu\n",
		gen, nr, bytes, SELFTEST_VMALLOC_SIZE, fill ? "all" : "none",
		div_u64(ns, NSEC_PER_USEC));
	return gen;
}

/*
 * Set up the probes: a page and a subtree preserved and withdrawn again,
 * and two pages preserved as a pair followed by one that is not. The
 * pages stay allocated until kexec so nothing else can preserve them.
 */
static void selftest_probes(u64 *withdrawn, u64 *pair)
{
	struct folio *folio = folio_alloc(GFP_KERNEL | __GFP_ZERO, 0);
	struct page *pages = alloc_pages(GFP_KERNEL, 2);

	*withdrawn = 0;
	*pair = 0;
	if (folio && !kho_preserve_folio(folio)) {
		if (!kho_add_subtree(SELFTEST_WITHDRAWN, folio_address(folio),
				     PAGE_SIZE))
			kho_remove_subtree(folio_address(folio));
		kho_unpreserve_folio(folio);
		*withdrawn = PFN_PHYS(folio_pfn(folio));
	}
	if (pages && !kho_preserve_pages(pages, 2))
		*pair = page_to_phys(pages);
}

static int selftest_fdt(void *fdt, u64 gen, u64 seed, u64 nr,
			       u64 contig, const struct kho_vmalloc *list,
			       const struct kho_vmalloc *data)
{
	u64 fill = selftest_fill, withdrawn, pair;
	int err;

	selftest_probes(&withdrawn, &pair);
	err = fdt_create(fdt, PAGE_SIZE);
	err |= fdt_finish_reservemap(fdt);
	err |= fdt_begin_node(fdt, "");
	err |= fdt_property_string(fdt, "compatible", SELFTEST_COMPAT);
	err |= fdt_property(fdt, "generation", &gen, sizeof(gen));
	err |= fdt_property(fdt, "seed", &seed, sizeof(seed));
	err |= fdt_property(fdt, "nr-folios", &nr, sizeof(nr));
	err |= fdt_property(fdt, "contig-pages", &contig, sizeof(contig));
	err |= fdt_property(fdt, "fill", &fill, sizeof(fill));
	err |= fdt_property(fdt, "withdrawn", &withdrawn, sizeof(withdrawn));
	err |= fdt_property(fdt, "pair", &pair, sizeof(pair));
	err |= fdt_property(fdt, "folio-list", list, sizeof(*list));
	err |= fdt_property(fdt, "data", data, sizeof(*data));
	err |= fdt_end_node(fdt);
	err |= fdt_finish(fdt);
	return err ? -EINVAL : 0;
}

/* Allocate the next block: mixed orders, or one page with a gap after. */
static struct folio *selftest_alloc(unsigned long i, unsigned long left)
{
	static const unsigned int orders[] = { 0, 3, 1, 9, 0, 2, 5, 0, 4 };
	unsigned int order;
	struct page *page;

	if (selftest_scatter) {
		page = alloc_pages(GFP_KERNEL | __GFP_NORETRY, 1);
		if (!page)
			return NULL;
		split_page(page, 1);
		__free_page(page + 1);
		return page_folio(page);
	}
	order = selftest_order >= 0 ? selftest_order :
		orders[i % ARRAY_SIZE(orders)];
	while (order && (PAGE_SIZE << order) > left)
		order--;
	return folio_alloc(GFP_KERNEL | __GFP_NORETRY, order);
}

/* Allocate, fill and preserve one contiguous range; its address in @list. */
static int selftest_preserve_contig(u64 *list, unsigned long nr_pages,
					   u64 seed)
{
	struct page *page = alloc_contig_pages(nr_pages, GFP_KERNEL | __GFP_NOWARN,
					       numa_mem_id(), NULL);
	int err;

	if (!page)
		return -ENOMEM;
	if (selftest_fill)
		selftest_fill_area(page_address(page), nr_pages << PAGE_SHIFT,
				   seed, 0);
	err = kho_preserve_pages(page, nr_pages);
	if (err) {
		free_contig_range(page_to_pfn(page), nr_pages);
		return err;
	}
	list[0] = page_to_phys(page);
	return 0;
}

static int selftest_preserve(u64 gen)
{
	struct kho_vmalloc list_desc, data_desc;
	unsigned long max = selftest_size >> PAGE_SHIFT, nr = 0, contig = 0, i;
	u64 seed = get_random_u64(), total = 0;
	u64 start = local_clock();
	void *fdt, *data;
	u64 *list;
	int err;

	/* A contiguous range needs one entry. */
	list = vzalloc((selftest_contig ? 1 : max) * sizeof(*list));
	data = vmalloc(SELFTEST_VMALLOC_SIZE);
	fdt = kho_alloc_preserve(PAGE_SIZE);
	err = -ENOMEM;
	if (!list || !data || IS_ERR(fdt))
		goto free;

	if (selftest_contig) {
		contig = max;
		err = selftest_preserve_contig(list, contig, seed);
		if (err)
			goto free;
		nr = 1;
		total = selftest_size;
	}
	while (!contig && total < selftest_size && nr < max) {
		struct folio *folio = selftest_alloc(nr, selftest_size - total);

		if (!folio)
			break;
		if (selftest_fill)
			selftest_fill_area(folio_address(folio),
					   folio_size(folio), seed, nr);
		err = kho_preserve_folio(folio);
		if (err) {
			folio_put(folio);
			goto unpreserve;
		}
		list[nr++] = PFN_PHYS(folio_pfn(folio)) | folio_order(folio);
		total += folio_size(folio);
	}
	selftest_fill_area(data, SELFTEST_VMALLOC_SIZE, seed,
			   SELFTEST_VMALLOC_ID);

	err = kho_preserve_vmalloc(list, &list_desc);
	if (err)
		goto unpreserve;
	err = kho_preserve_vmalloc(data, &data_desc);
	if (err)
		goto unpreserve_list;
	err = selftest_fdt(fdt, gen, seed, nr, contig, &list_desc, &data_desc);
	if (!err)
		err = kho_add_subtree(SELFTEST_NODE, fdt, fdt_totalsize(fdt));
	if (err)
		goto unpreserve_data;

	/* The memory stays allocated and preserved until kexec. */
	pr_info("PRESERVED generation=%llu folios=%lu bytes=%llu vmalloc=%u preserve_us=%llu\n",
		gen, nr, total, SELFTEST_VMALLOC_SIZE,
		div_u64(local_clock() - start, NSEC_PER_USEC));
	return 0;

unpreserve_data:
	kho_unpreserve_vmalloc(&data_desc);
unpreserve_list:
	kho_unpreserve_vmalloc(&list_desc);
unpreserve:
	if (contig) {
		struct page *page = pfn_to_page(PHYS_PFN(list[0]));

		kho_unpreserve_pages(page, contig);
		free_contig_range(page_to_pfn(page), contig);
		nr = 0;
	}
	for (i = 0; i < nr; i++) {
		struct folio *folio = pfn_folio(PHYS_PFN(list[i] & PAGE_MASK));

		kho_unpreserve_folio(folio);
		folio_put(folio);
	}
free:
	if (!IS_ERR_OR_NULL(fdt))
		kho_unpreserve_free(fdt);
	vfree(data);
	vfree(list);
	pr_err("FAIL cannot preserve: %d\n", err);
	return err;
}

static ssize_t corrupt_write(struct file *file, const char __user *ubuf,
			     size_t len, loff_t *ppos)
{
	char buf[32];
	int err;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	strim(buf);
	err = kho_selftest_corrupt(buf);
	if (err) {
		pr_warn("corruption '%s' failed: %d\n", buf, err);
		return err;
	}
	pr_info("CORRUPTED %s\n", buf);
	return len;
}

static const struct file_operations corrupt_fops = {
	.owner = THIS_MODULE,
	.write = corrupt_write,
};

/* Restore the previous generation, preserve the next one; once. */
static void selftest_run(void)
{
	u64 gen = selftest_restore();

	if (kho_is_enabled() && selftest_size)
		selftest_preserve(gen + 1);
}

/*
 * With "defer", boot only keeps the incoming memory (a hold) and the work
 * runs when "run" is written, after /init: so that a benchmark can time
 * the kexec without the test's own restore and preserve in it.
 */
static ssize_t run_write(struct file *file, const char __user *ubuf,
			 size_t len, loff_t *ppos)
{
	bool hold;

	mutex_lock(&selftest_lock);
	if (!selftest_pending) {
		mutex_unlock(&selftest_lock);
		return -EALREADY;
	}
	/* Time the restore alone, not beside KHO's own boot-done work. */
	kho_wait_boot_done();
	selftest_run();
	selftest_pending = false;
	hold = selftest_hold;
	selftest_hold = false;
	mutex_unlock(&selftest_lock);
	if (hold)
		kho_put_incoming();
	return len;
}

static const struct file_operations run_fops = {
	.owner = THIS_MODULE,
	.write = run_write,
};

static int __init kho_selftest_init(void)
{
	struct dentry *dir = NULL;

	if (!is_kho_boot() && !selftest_size)
		return 0;

	if (kho_is_enabled()) {
		dir = debugfs_create_dir("kho_selftest", NULL);
		if (!IS_ERR(dir))
			debugfs_create_file("corrupt", 0200, dir, NULL, &corrupt_fops);
	}
	if (selftest_defer && !IS_ERR_OR_NULL(dir)) {
		selftest_pending = true;
		selftest_hold = kho_hold_incoming();
		debugfs_create_file("run", 0200, dir, NULL, &run_fops);
		return 0;
	}
	selftest_run();
	return 0;
}
late_initcall(kho_selftest_init);
