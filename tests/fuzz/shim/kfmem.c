// SPDX-License-Identifier: GPL-2.0
/*
 * kfmem.c - the shim's model of the kernel: physical memory as an arena of
 * pages owned by the fuzzer, struct pages for it, the heap, strings,
 * sorting and printing.
 *
 * Physical address KF_PHYS_BASE + n * PAGE_SIZE is arena page n. Turning
 * any other physical address into a pointer (phys_to_virt(),
 * pfn_to_page(), early_memremap()) aborts: a parser did that with an
 * address it had not checked. Freed pages are poisoned for AddressSanitizer,
 * so reading a page after giving it back is reported as well.
 */
#include "kshim.h"

#include <sanitizer/asan_interface.h>
#include <sys/mman.h>

u8 *kf_mem;
unsigned long kf_npages;
struct page *kf_pages;
unsigned long kf_totalram;
unsigned long max_pfn;
unsigned long node_states[2] = { 1, 1 };
bool kexec_in_progress;
struct uts_namespace init_uts_ns = { .name = { .release = "6.12.0-fuzz" } };
struct user_namespace init_user_ns;

static bool kf_is_verbose(void)
{
	static int v = -1;

	if (v < 0)
		v = getenv("KF_VERBOSE") != NULL;
	return v;
}

void kf_printk(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	/* Formatted even when quiet: a bad %s argument is a bug too. */
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (kf_is_verbose())
		fprintf(stderr, "%s", buf);
}

void kf_die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "\n==KFUZZ== ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	abort();
}

bool kf_warn(bool cond, const char *what, const char *file, int line)
{
	if (cond)
		kf_die("WARNING (panic_on_warn): %s at %s:%d", what, file, line);
	return cond;
}

/* ---------------------------------------------------------------------- */
/* The arena                                                               */

void kf_mem_setup(unsigned long npages)
{
	if (!npages || npages > KF_MAX_PAGES)
		kf_die("arena of %lu pages", npages);
	if (!kf_mem) {
		kf_mem = mmap(NULL, KF_MAX_PAGES * PAGE_SIZE,
			      PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		kf_pages = calloc(KF_MAX_PAGES, sizeof(*kf_pages));
		if (kf_mem == MAP_FAILED || !kf_pages)
			kf_die("no memory for the arena");
	}
	/* Zero pages again at the cost of the pages the last run touched. */
	madvise(kf_mem, KF_MAX_PAGES * PAGE_SIZE, MADV_DONTNEED);
	ASAN_UNPOISON_MEMORY_REGION(kf_mem, npages * PAGE_SIZE);
	/* Past the end of RAM: any access is a bug. */
	ASAN_POISON_MEMORY_REGION(kf_mem + npages * PAGE_SIZE,
				  (KF_MAX_PAGES - npages) * PAGE_SIZE);
	memset(kf_pages, 0, npages * sizeof(*kf_pages));
	kf_npages = npages;
	kf_totalram = npages;
	max_pfn = KF_PFN_BASE + npages;
}

void kf_mem_teardown(void)
{
	if (kf_mem)
		ASAN_UNPOISON_MEMORY_REGION(kf_mem, KF_MAX_PAGES * PAGE_SIZE);
}

bool kf_phys_in_arena(phys_addr_t phys, u64 size)
{
	return phys >= KF_PHYS_BASE && size <= kf_npages * PAGE_SIZE &&
	       phys - KF_PHYS_BASE <= kf_npages * PAGE_SIZE - size;
}

unsigned long kf_page_to_pfn(const struct page *page, const char *who)
{
	if (page < kf_pages || page >= kf_pages + kf_npages)
		kf_die("%s: struct page %p is not one of the arena's", who, page);
	return KF_PFN_BASE + (page - kf_pages);
}

struct page *kf_pfn_to_page(unsigned long pfn, const char *who)
{
	if (pfn < KF_PFN_BASE || pfn - KF_PFN_BASE >= kf_npages)
		kf_die("%s: pfn %#lx outside RAM (unchecked address from the handover?)",
		       who, pfn);
	return &kf_pages[pfn - KF_PFN_BASE];
}

struct page *pfn_to_online_page(unsigned long pfn)
{
	if (pfn < KF_PFN_BASE || pfn - KF_PFN_BASE >= kf_npages)
		return NULL;
	return &kf_pages[pfn - KF_PFN_BASE];
}

void *kf_phys_to_virt(phys_addr_t phys, const char *who)
{
	if (!kf_phys_in_arena(phys, 1))
		kf_die("%s: physical address %#llx outside RAM (unchecked address from the handover?)",
		       who, (unsigned long long)phys);
	return kf_mem + (phys - KF_PHYS_BASE);
}

phys_addr_t kf_virt_to_phys(const void *v, const char *who)
{
	const u8 *p = v;

	if (p < kf_mem || p >= kf_mem + kf_npages * PAGE_SIZE)
		kf_die("%s: %p is not in the direct map", who, v);
	return KF_PHYS_BASE + (p - kf_mem);
}

unsigned long totalram_pages(void)
{
	return kf_totalram;
}

void *early_memremap(phys_addr_t phys, unsigned long size)
{
	if (!kf_phys_in_arena(phys, size))
		kf_die("early_memremap(%#llx, %lu) outside RAM",
		       (unsigned long long)phys, size);
	return kf_phys_to_virt(phys, __func__);
}

void early_memunmap(void *addr, unsigned long size)
{
}

/* ---------------------------------------------------------------------- */
/* Pages                                                                   */

void kf_page_freed(struct page *page)
{
	if (page->flags & KF_PG_FREE)
		kf_die("page %#lx freed twice", page_to_pfn(page));
	page->flags = KF_PG_FREE;
	page->_refcount = 0;
	page->private = 0;
	page->head = NULL;
	page->order = 0;
	page->mapping = NULL;
	ASAN_POISON_MEMORY_REGION(page_address(page), PAGE_SIZE);
}

void prep_compound_page(struct page *page, unsigned int order)
{
	unsigned long i;

	page->flags |= KF_PG_HEAD;
	page->order = order;
	for (i = 1; i < (1UL << order); i++) {
		page[i].flags |= KF_PG_TAIL;
		page[i].head = page;
	}
}

static void kf_free_block(struct page *page, unsigned int order)
{
	unsigned long i;

	for (i = 0; i < (1UL << order); i++)
		kf_page_freed(page + i);
}

void folio_put(struct folio *folio)
{
	struct page *page = &folio->page;

	if (page->flags & KF_PG_TAIL)
		kf_die("folio_put() on a tail page %#lx", page_to_pfn(page));
	if (page->flags & KF_PG_FREE || page->_refcount <= 0)
		kf_die("folio_put() on free page %#lx", page_to_pfn(page));
	if (--page->_refcount)
		return;
	kf_free_block(page, folio_order(folio));
}

void put_page(struct page *page)
{
	folio_put(page_folio(page));
}

void __free_pages(struct page *page, unsigned int order)
{
	if (page->flags & KF_PG_FREE || page->_refcount <= 0)
		kf_die("freeing free page %#lx", page_to_pfn(page));
	if (--page->_refcount)
		return;
	kf_free_block(page, order);
}

void __free_page(struct page *page)
{
	__free_pages(page, 0);
}

void free_page(unsigned long addr)
{
	if (addr)
		__free_page(virt_to_page((void *)addr));
}

void free_reserved_page(struct page *page)
{
	if (page->flags & KF_PG_FREE)
		kf_die("freeing free page %#lx", page_to_pfn(page));
	kf_page_freed(page);
}

unsigned long free_reserved_area(void *start, void *end, int poison,
				 const char *s)
{
	unsigned long n = 0;
	u8 *p;

	for (p = start; p < (u8 *)end; p += PAGE_SIZE, n++)
		free_reserved_page(virt_to_page(p));
	return n;
}

void adjust_managed_page_count(struct page *page, long count)
{
	unsigned long i;

	/* The page leaves the previous kernel's reserved memory. */
	for (i = 0; i < (unsigned long)(count > 0 ? count : 0); i++)
		page[i].flags &= ~KF_PG_RESERVED;
}

static struct zone kf_zone;

struct zone *page_zone(const struct page *page)
{
	(void)page;
	return &kf_zone;
}

void totalram_pages_add(long count)
{
	kf_totalram += count;
}

void clear_highpage(struct page *page)
{
	memset(page_address(page), 0, PAGE_SIZE);
}

void folio_zero_range(struct folio *folio, size_t start, size_t len)
{
	if (start > folio_size(folio) || len > folio_size(folio) - start)
		kf_die("folio_zero_range(%zu, %zu) past a folio of %lu bytes",
		       start, len, folio_size(folio));
	memset((u8 *)folio_address(folio) + start, 0, len);
}

/* The allocator: first fit over free arena pages, naturally aligned. */
struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	unsigned long n = 1UL << order, i, j;

	for (i = 0; i + n <= kf_npages; i += n) {
		for (j = 0; j < n; j++)
			if (!(kf_pages[i + j].flags & KF_PG_FREE))
				break;
		if (j < n)
			continue;
		for (j = 0; j < n; j++) {
			memset(&kf_pages[i + j], 0, sizeof(kf_pages[0]));
			ASAN_UNPOISON_MEMORY_REGION(kf_mem + (i + j) * PAGE_SIZE,
						    PAGE_SIZE);
		}
		kf_pages[i]._refcount = 1;
		if (gfp & __GFP_ZERO)
			memset(kf_mem + i * PAGE_SIZE, 0, n * PAGE_SIZE);
		if (gfp & __GFP_COMP && order)
			prep_compound_page(&kf_pages[i], order);
		else
			for (j = 1; j < n; j++)
				kf_pages[i + j]._refcount = 1;
		return &kf_pages[i];
	}
	return NULL;
}

struct folio *folio_alloc(gfp_t gfp, unsigned int order)
{
	struct page *page = alloc_pages(gfp | __GFP_COMP, order);

	return page ? page_folio(page) : NULL;
}

unsigned long get_zeroed_page(gfp_t gfp)
{
	struct page *page = alloc_pages(gfp | __GFP_ZERO, 0);

	return page ? (unsigned long)page_address(page) : 0;
}

unsigned long __get_free_page(gfp_t gfp)
{
	struct page *page = alloc_pages(gfp, 0);

	return page ? (unsigned long)page_address(page) : 0;
}

void init_deferred_page(unsigned long pfn, int nid)
{
}

/* Struct pages here are always initialised; reserved ones are not told. */
void reserve_bootmem_region(phys_addr_t start, phys_addr_t end, int nid)
{
}

void init_cma_reserved_pageblock(struct page *page)
{
}

/* ---------------------------------------------------------------------- */
/* The heap                                                                */

/* Beyond these the kernel WARNs (a huge kmalloc, or kvmalloc > INT_MAX). */
#define KF_KMALLOC_MAX	(PAGE_SIZE << MAX_PAGE_ORDER)

static void *kf_alloc(size_t size, gfp_t gfp)
{
	void *p;

	if (!size)
		return (void *)16;	/* ZERO_SIZE_PTR */
	p = malloc(size);
	if (p && gfp & __GFP_ZERO)
		memset(p, 0, size);
	return p;
}

void *kmalloc(size_t size, gfp_t gfp)
{
	if (size == SIZE_MAX)
		return NULL;	/* an overflowing kmalloc_array() */
	if (size > KF_KMALLOC_MAX && !(gfp & __GFP_NOWARN))
		kf_die("WARNING (panic_on_warn): kmalloc(%zu) above the page allocator's largest order", size);
	if (size > KF_KMALLOC_MAX)
		return NULL;
	return kf_alloc(size, gfp);
}

void *kvmalloc(size_t size, gfp_t gfp)
{
	if (size == SIZE_MAX)
		return NULL;
	if (size > INT_MAX)
		kf_die("WARNING (panic_on_warn): kvmalloc(%zu) above INT_MAX", size);
	return kf_alloc(size, gfp);
}

/* krealloc() and kvrealloc(): the kernel keeps the old block on failure. */
void *krealloc(const void *p, size_t size, gfp_t gfp)
{
	void *n;

	if (size == SIZE_MAX)
		return NULL;
	if ((unsigned long)p <= 16)
		return kf_alloc(size, gfp);
	n = realloc((void *)p, size ?: 1);
	return n;
}

void kfree(const void *p)
{
	if ((unsigned long)p > 16)
		free((void *)p);
}

/* As in the kernel: vmalloc memory goes back with vfree(). */
void kvfree(const void *p)
{
	if (p && is_vmalloc_addr(p))
		vfree(p);
	else
		kfree(p);
}

void *kmemdup(const void *src, size_t len, gfp_t gfp)
{
	void *p = kmalloc(len, gfp);

	if (p && len)
		memcpy(p, src, len);
	return p;
}

char *kmemdup_nul(const char *s, size_t len, gfp_t gfp)
{
	char *p = kmalloc(len + 1, gfp);

	if (p) {
		memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}

char *kstrdup(const char *s, gfp_t gfp)
{
	return s ? kmemdup_nul(s, strlen(s), gfp) : NULL;
}

char *kasprintf(gfp_t gfp, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	if (vasprintf(&p, fmt, ap) < 0)
		p = NULL;
	va_end(ap);
	return p;
}

/* vmalloc: contiguous arena pages, listed for find_vm_area() */
struct kf_vm {
	struct vm_struct vm;
	bool copy;		/* vmap() of scattered pages: a heap copy */
	struct kf_vm *next;
};
static struct kf_vm *kf_vms;

void *vmalloc(unsigned long size)
{
	unsigned long n = DIV_ROUND_UP(size, PAGE_SIZE), i, j, k;
	struct kf_vm *v;

	if (!size || n > kf_npages)
		return NULL;
	for (i = 0; i + n <= kf_npages; i++) {
		for (j = 0; j < n; j++)
			if (!(kf_pages[i + j].flags & KF_PG_FREE))
				break;
		if (j < n) {
			i += j;
			continue;
		}
		v = calloc(1, sizeof(*v));
		v->vm.pages = calloc(n, sizeof(struct page *));
		for (k = 0; k < n; k++) {
			struct page *page = &kf_pages[i + k];

			memset(page, 0, sizeof(*page));
			page->_refcount = 1;
			ASAN_UNPOISON_MEMORY_REGION(kf_mem + (i + k) * PAGE_SIZE,
						    PAGE_SIZE);
			v->vm.pages[k] = page;
		}
		v->vm.addr = kf_mem + i * PAGE_SIZE;
		v->vm.size = n * PAGE_SIZE;
		v->vm.nr_pages = n;
		v->vm.flags = VM_ALLOC;
		v->next = kf_vms;
		kf_vms = v;
		return v->vm.addr;
	}
	return NULL;
}

void *vzalloc(unsigned long size)
{
	void *p = vmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

void *vcalloc(size_t n, size_t size)
{
	return size_mul(n, size) == SIZE_MAX ? NULL : vzalloc(n * size);
}

/*
 * vmap() of pages handed over: a copy on the heap, exactly @count pages
 * long, so that reading past the area's end is caught.
 */
void *vmap(struct page **pages, unsigned int count, unsigned long flags,
	   kf_pgprot_t prot)
{
	struct kf_vm *v;
	unsigned int i;
	u8 *p;

	if (!count)
		return NULL;
	p = malloc((size_t)count * PAGE_SIZE);
	v = calloc(1, sizeof(*v));
	if (!p || !v)
		kf_die("vmap: no memory");
	for (i = 0; i < count; i++)
		memcpy(p + (size_t)i * PAGE_SIZE, page_address(pages[i]),
		       PAGE_SIZE);
	v->vm.addr = p;
	v->vm.size = (size_t)count * PAGE_SIZE;
	v->vm.flags = flags;
	v->vm.pages = pages;
	v->vm.nr_pages = count;
	v->copy = true;
	v->next = kf_vms;
	kf_vms = v;
	return p;
}

struct vm_struct *find_vm_area(const void *addr)
{
	struct kf_vm *v;

	for (v = kf_vms; v; v = v->next)
		if ((const u8 *)addr >= (u8 *)v->vm.addr &&
		    (const u8 *)addr < (u8 *)v->vm.addr + v->vm.size)
			return &v->vm;
	return NULL;
}

bool is_vmalloc_addr(const void *addr)
{
	return find_vm_area(addr) != NULL;
}

void vfree(const void *addr)
{
	struct kf_vm **pp, *v;
	unsigned int i;

	if (!addr)
		return;
	for (pp = &kf_vms; (v = *pp); pp = &v->next)
		if (v->vm.addr == addr)
			break;
	if (!v)
		kf_die("vfree(%p): not a vmalloc area", addr);
	*pp = v->next;
	if (v->copy) {
		/* VM_MAP_PUT_PAGES: the pages and the array go with it. */
		if (v->vm.flags & VM_MAP_PUT_PAGES) {
			for (i = 0; i < v->vm.nr_pages; i++)
				__free_page(v->vm.pages[i]);
			kvfree(v->vm.pages);
		}
		free(v->vm.addr);
	} else {
		for (i = 0; i < v->vm.nr_pages; i++)
			__free_page(v->vm.pages[i]);
		free(v->vm.pages);
	}
	free(v);
}

/* Forget every mapping without touching pages: between two runs. */
void kf_vm_reset(void)
{
	struct kf_vm *v;

	while ((v = kf_vms)) {
		kf_vms = v->next;
		if (v->copy) {
			if (v->vm.flags & VM_MAP_PUT_PAGES)
				kvfree(v->vm.pages);
			free(v->vm.addr);
		} else {
			free(v->vm.pages);
		}
		free(v);
	}
}

/* ---------------------------------------------------------------------- */
/* The page cache of the model: an array of (index, folio)                 */

int kf_cache_add(struct address_space *m, struct folio *folio, pgoff_t index)
{
	unsigned long i, n = folio_nr_pages(folio);

	if (index % n)
		kf_die("page cache: folio of %lu pages at unaligned index %lu",
		       n, index);
	for (i = 0; i < m->nr; i++) {
		struct kf_cache_ent *e = &m->ents[i];

		if (e->index < index + n &&
		    index < e->index + folio_nr_pages(e->folio))
			return -EEXIST;
	}
	if (m->nr == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 8;
		m->ents = realloc(m->ents, m->cap * sizeof(*m->ents));
		if (!m->ents)
			kf_die("no memory");
	}
	folio->index = index;
	folio->mapping = m;
	folio->_refcount++;
	m->ents[m->nr].index = index;
	m->ents[m->nr++].folio = folio;
	m->nrpages += n;
	return 0;
}

void kf_cache_release(struct address_space *m, bool scrub)
{
	unsigned long i;

	for (i = 0; i < m->nr; i++) {
		struct folio *f = m->ents[i].folio;

		if (scrub)
			folio_zero_range(f, 0, folio_size(f));
		f->mapping = NULL;
		folio_put(f);
	}
	free(m->ents);
	m->ents = NULL;
	m->nr = m->cap = m->nrpages = 0;
}

unsigned filemap_get_folios(struct address_space *m, pgoff_t *start,
			    pgoff_t end, struct folio_batch *b)
{
	unsigned long i;
	pgoff_t best;
	struct folio *f;

	/* One at a time, in index order: enough for the writers. */
	b->nr = 0;
	for (;;) {
		f = NULL;
		best = ULONG_MAX;
		for (i = 0; i < m->nr; i++)
			if (m->ents[i].index >= *start && m->ents[i].index <= end &&
			    m->ents[i].index < best) {
				best = m->ents[i].index;
				f = m->ents[i].folio;
			}
		if (!f || b->nr == PAGEVEC_SIZE)
			break;
		f->_refcount++;
		b->folios[b->nr++] = f;
		*start = folio_next_index(f);
	}
	return b->nr;
}

unsigned int full_name_hash(const void *salt, const unsigned char *name,
			    unsigned int len)
{
	unsigned int h = (unsigned int)(unsigned long)salt;

	while (len--)
		h = h * 31 + *name++;
	return h;
}

/* ---------------------------------------------------------------------- */
/* Bits, strings, sorting, time                                            */

unsigned long find_next_bit(const unsigned long *a, unsigned long size,
			    unsigned long off)
{
	while (off < size) {
		unsigned long w = a[off / BITS_PER_LONG] >> (off % BITS_PER_LONG);

		if (w) {
			off += __builtin_ctzl(w);
			return off < size ? off : size;
		}
		off = (off / BITS_PER_LONG + 1) * BITS_PER_LONG;
	}
	return size;
}

ssize_t strscpy(char *dst, const char *src, size_t count)
{
	size_t len;

	if (!count)
		return -E2BIG;
	len = strnlen(src, count);
	if (len == count) {
		memcpy(dst, src, count - 1);
		dst[count - 1] = '\0';
		return -E2BIG;
	}
	memcpy(dst, src, len + 1);
	return len;
}

ssize_t strscpy_pad(char *dst, const char *src, size_t count)
{
	ssize_t n = strscpy(dst, src, count);
	size_t used = n < 0 ? count : (size_t)n + 1;

	if (used < count)
		memset(dst + used, 0, count - used);
	return n;
}

size_t kf_strlcat(char *dst, const char *src, size_t size)
{
	size_t d = strnlen(dst, size), s = strlen(src);

	if (d < size) {
		size_t n = min(s, size - d - 1);

		memcpy(dst + d, src, n);
		dst[d + n] = '\0';
	}
	return d + s;
}

char *strim(char *s)
{
	size_t n = strlen(s);

	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	while (isspace((unsigned char)*s))
		s++;
	return s;
}

bool sysfs_streq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	if (*a == *b)
		return true;
	if (!*a && *b == '\n' && !b[1])
		return true;
	return !*b && *a == '\n' && !a[1];
}

int kstrtobool(const char *s, bool *res)
{
	if (!s)
		return -EINVAL;
	switch (s[0]) {
	case 'y': case 'Y': case '1':
		*res = true;
		return 0;
	case 'n': case 'N': case '0':
		*res = false;
		return 0;
	case 'o': case 'O':
		if (s[1] == 'n' || s[1] == 'N') {
			*res = true;
			return 0;
		}
		if (s[1] == 'f' || s[1] == 'F') {
			*res = false;
			return 0;
		}
	}
	return -EINVAL;
}

int kstrtoull(const char *s, unsigned int base, unsigned long long *res)
{
	char *end;

	*res = strtoull(s, &end, base);
	return end == s || *end ? -EINVAL : 0;
}

int kstrtouint(const char *s, unsigned int base, unsigned int *res)
{
	unsigned long long v;
	int err = kstrtoull(s, base, &v);

	if (!err && v > UINT_MAX)
		return -ERANGE;
	*res = v;
	return err;
}

unsigned long long memparse(const char *ptr, char **retptr)
{
	return strtoull(ptr, retptr, 0);
}

/* A heap sort, as the kernel's sort() is: not stable, O(n log n). */
struct kf_sort_ctx {
	cmp_func_t cmp;
	cmp_r_func_t cmp_r;
	const void *priv;
};

static int kf_sort_cmp(const struct kf_sort_ctx *c, const void *a,
		       const void *b)
{
	return c->cmp ? c->cmp(a, b) : c->cmp_r(a, b, c->priv);
}

static void kf_sort_swap(void *a, void *b, size_t size)
{
	u8 *x = a, *y = b, t;

	while (size--) {
		t = *x;
		*x++ = *y;
		*y++ = t;
	}
}

static void kf_sort(void *base, size_t num, size_t size,
		    const struct kf_sort_ctx *c)
{
	u8 *b = base;
	size_t start, end, root, child;

	if (num < 2)
		return;
	for (start = num / 2; start-- > 0; ) {
		for (root = start; (child = 2 * root + 1) < num; root = child) {
			if (child + 1 < num &&
			    kf_sort_cmp(c, b + child * size, b + (child + 1) * size) < 0)
				child++;
			if (kf_sort_cmp(c, b + root * size, b + child * size) >= 0)
				break;
			kf_sort_swap(b + root * size, b + child * size, size);
		}
	}
	for (end = num - 1; end > 0; end--) {
		kf_sort_swap(b, b + end * size, size);
		for (root = 0; (child = 2 * root + 1) < end; root = child) {
			if (child + 1 < end &&
			    kf_sort_cmp(c, b + child * size, b + (child + 1) * size) < 0)
				child++;
			if (kf_sort_cmp(c, b + root * size, b + child * size) >= 0)
				break;
			kf_sort_swap(b + root * size, b + child * size, size);
		}
	}
}

void sort(void *base, size_t num, size_t size, cmp_func_t cmp,
	  swap_func_t swap)
{
	struct kf_sort_ctx c = { .cmp = cmp };

	kf_sort(base, num, size, &c);
}

void sort_r(void *base, size_t num, size_t size, cmp_r_func_t cmp,
	    swap_r_func_t swap, const void *priv)
{
	struct kf_sort_ctx c = { .cmp_r = cmp, .priv = priv };

	kf_sort(base, num, size, &c);
}

u64 local_clock(void)
{
	static u64 t;

	return t += 1000;
}

int register_reboot_notifier(struct notifier_block *nb)
{
	return 0;
}
