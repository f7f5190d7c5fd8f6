/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kshim.h - just enough of the kernel's headers to compile the handover
 * parsers of this series in userspace, under libFuzzer.
 *
 * Every <linux/...> header a parser includes (and that the series does
 * not ship itself) is a one-line file in shim/include that includes this
 * one. Memory follows a model of physical memory (kfmem.c): a fuzzer-owned
 * arena of pages at KF_PHYS_BASE, one struct page per arena page, and
 * checks that abort() loudly when a parser turns an address it did not
 * check into a pointer outside the arena.
 */
#ifndef KSHIM_H
#define KSHIM_H

#define _GNU_SOURCE
#include <asm-generic/errno.h>
#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

/* File types (not <sys/stat.h>: it pulls in <linux/stat.h>) */
#define S_IFMT		00170000
#define S_IFSOCK	0140000
#define S_IFLNK		0120000
#define S_IFREG		0100000
#define S_IFBLK		0060000
#define S_IFDIR		0040000
#define S_IFCHR		0020000
#define S_IFIFO		0010000
#define S_ISUID		0004000
#define S_ISGID		0002000
#define S_ISVTX		0001000
#define S_ISREG(m)	(((m) & S_IFMT) == S_IFREG)
#define S_ISDIR(m)	(((m) & S_IFMT) == S_IFDIR)

/* ---------------------------------------------------------------------- */
/* Configuration of the kernel being imitated                              */

#define CONFIG_KEXEC_HANDOVER		1
#define CONFIG_LIVEUPDATE		1
#define CONFIG_PKERNFS_FS		1
#define CONFIG_64BIT			1
/* As in a KUnit build: the parsers are not static (VISIBLE_IF_KUNIT). */
#define CONFIG_KUNIT			1
#define CONFIG_NODES_SHIFT		2

#define __ARG_PLACEHOLDER_1 0,
#define kf_take_second(ignored, val, ...) val
#define kf_is_defined(x) kf_is_defined1(x)
#define kf_is_defined1(val) kf_is_defined2(__ARG_PLACEHOLDER_##val)
#define kf_is_defined2(arg1_or_junk) kf_take_second(arg1_or_junk 1, 0)
#define IS_ENABLED(option) kf_is_defined(option)
#define IS_BUILTIN(option) kf_is_defined(option)

/* ---------------------------------------------------------------------- */
/* Types                                                                   */

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef unsigned long long u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef long long s64;
typedef uint8_t __u8;
typedef uint16_t __u16;
typedef uint32_t __u32;
typedef uint64_t __u64;
typedef int32_t __s32;
typedef int64_t __s64;
typedef uint32_t __le32;
typedef uint64_t __le64;
typedef uint64_t __aligned_u64;
typedef u64 phys_addr_t;
typedef u64 dma_addr_t;
typedef unsigned long pgoff_t;
typedef unsigned int gfp_t;
typedef unsigned short umode_t;
typedef long long time64_t;
typedef int kf_pgprot_t;
typedef struct { long counter; } atomic_long_t;
typedef struct { int counter; } atomic_t;
typedef struct { long long counter; } atomic64_t;

#define U8_MAX		((u8)~0U)
#define U16_MAX		((u16)~0U)
#define U32_MAX		((u32)~0U)
#define U64_MAX		((u64)~0ULL)
#define S32_MAX		((s32)(U32_MAX >> 1))
#define S64_MAX		((s64)(U64_MAX >> 1))

/* ---------------------------------------------------------------------- */
/* Compiler and module glue                                                */

#define __init
#define __initdata
#define __initconst
#define __exit
#define __ref
#define __ro_after_init
#define __read_mostly
#define __user
#define __iomem
#define __rcu
#define __force
#define __must_check
#define __maybe_unused		__attribute__((unused))
#define __always_unused		__attribute__((unused))
#define __weak			__attribute__((weak))
#define __packed		__attribute__((packed))
#define __aligned(x)		__attribute__((aligned(x)))
#undef __always_inline
#define __always_inline		inline __attribute__((always_inline))
#define noinline		__attribute__((noinline))
#define noinline_for_stack	noinline
#define __printf(a, b)		__attribute__((format(printf, a, b)))
#define __counted_by(x)
#define __nonstring
#define fallthrough		__attribute__((fallthrough))
#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
#define barrier()		__asm__ __volatile__("" ::: "memory")
#define READ_ONCE(x)		(*(const volatile typeof(x) *)&(x))
#define WRITE_ONCE(x, v)	(*(volatile typeof(x) *)&(x) = (v))
#define smp_mb()		__sync_synchronize()
#define smp_wmb()		__sync_synchronize()
#define smp_rmb()		__sync_synchronize()
#define cmpxchg(p, o, n)	__sync_val_compare_and_swap(p, o, n)

#define EXPORT_SYMBOL(s)
#define EXPORT_SYMBOL_GPL(s)
#define EXPORT_SYMBOL_IF_KUNIT(s)
#define VISIBLE_IF_KUNIT
#define MODULE_LICENSE(s)
#define MODULE_DESCRIPTION(s)
#define MODULE_AUTHOR(s)
#define MODULE_IMPORT_NS(s)
#define MODULE_PARM_DESC(n, s)
#define THIS_MODULE		((struct module *)0)
#define module_param_string(n, s, l, p)
#define module_param(n, t, p)
#define module_param_named(n, v, t, p)
#define KF_UNUSED_INITCALL(fn) \
	static __attribute__((unused)) void *kf_initcall_##fn = (void *)fn
#define early_param(s, fn)	KF_UNUSED_INITCALL(fn)
#define __setup(s, fn)		KF_UNUSED_INITCALL(fn)
#define core_param(n, v, t, p)
#define late_initcall(fn)	KF_UNUSED_INITCALL(fn)
#define late_initcall_sync(fn)	KF_UNUSED_INITCALL(fn)
#define fs_initcall(fn)		KF_UNUSED_INITCALL(fn)
#define subsys_initcall(fn)	KF_UNUSED_INITCALL(fn)
#define device_initcall(fn)	KF_UNUSED_INITCALL(fn)
#define module_init(fn)		KF_UNUSED_INITCALL(fn)
#define module_exit(fn)

#define static_assert(expr, ...) _Static_assert(expr, #expr)
#define BUILD_BUG_ON(c)		_Static_assert(!(c), #c)

#define typecheck(type, x) \
	({ type kf_dummy; typeof(x) kf_dummy2; (void)(&kf_dummy == &kf_dummy2); 1; })

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#define sizeof_field(t, m)	sizeof(((t *)0)->m)
#define offsetofend(t, m)	(offsetof(t, m) + sizeof_field(t, m))

/* ---------------------------------------------------------------------- */
/* Diagnostics: a WARN reachable from input is a bug (panic_on_warn)       */

void kf_printk(const char *fmt, ...) __printf(1, 2);
void __attribute__((noreturn)) kf_die(const char *fmt, ...) __printf(1, 2);
bool kf_warn(bool cond, const char *what, const char *file, int line);

#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif
#define pr_emerg(fmt, ...)	kf_printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...)	kf_printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...)	kf_printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice(fmt, ...)	kf_printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...)	kf_printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_debug(fmt, ...)	do { } while (0)
#define pr_warn_once		pr_warn
#define pr_err_once		pr_err
#define pr_info_once		pr_info
#define pr_warn_ratelimited	pr_warn
#define printk(fmt, ...)	kf_printk(fmt, ##__VA_ARGS__)

#define WARN_ON(c)		kf_warn(!!(c), #c, __FILE__, __LINE__)
#define WARN_ON_ONCE(c)		WARN_ON(c)
#define WARN(c, fmt, ...)	kf_warn(!!(c), fmt, __FILE__, __LINE__)
#define WARN_ONCE(c, fmt, ...)	WARN(c, fmt)
#define BUG_ON(c)		do { if (c) kf_die("BUG_ON(%s) at %s:%d", #c, __FILE__, __LINE__); } while (0)
#define BUG()			kf_die("BUG() at %s:%d", __FILE__, __LINE__)

#define might_sleep()		do { } while (0)
#define cond_resched()		do { } while (0)
#define lockdep_assert_held(l)	do { (void)(l); } while (0)
#define synchronize_rcu()	do { } while (0)
#define irqs_disabled()		0

/* ---------------------------------------------------------------------- */
/* Arithmetic                                                              */

#define BITS_PER_LONG		64
#define BITS_PER_BYTE		8
#define BIT(n)			(1UL << (n))
#define BIT_ULL(n)		(1ULL << (n))
#define GENMASK(h, l)		(((~0UL) << (l)) & (~0UL >> (BITS_PER_LONG - 1 - (h))))
#define GENMASK_ULL(h, l)	(((~0ULL) << (l)) & (~0ULL >> (63 - (h))))
#define BITS_TO_LONGS(n)	(((n) + BITS_PER_LONG - 1) / BITS_PER_LONG)
#define DECLARE_BITMAP(name, bits) unsigned long name[BITS_TO_LONGS(bits)]

#define min(a, b)	({ __auto_type kf_a = (a); __auto_type kf_b = (b); kf_a < kf_b ? kf_a : kf_b; })
#define max(a, b)	({ __auto_type kf_a = (a); __auto_type kf_b = (b); kf_a > kf_b ? kf_a : kf_b; })
#define min_t(t, a, b)	({ t kf_a = (a); t kf_b = (b); kf_a < kf_b ? kf_a : kf_b; })
#define max_t(t, a, b)	({ t kf_a = (a); t kf_b = (b); kf_a > kf_b ? kf_a : kf_b; })
#define max3(a, b, c)	max(max(a, b), c)
#define min3(a, b, c)	min(min(a, b), c)
#define clamp(v, lo, hi) min(max(v, lo), hi)
#define swap(a, b)	do { __auto_type kf_t = (a); (a) = (b); (b) = kf_t; } while (0)

#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define ALIGN(x, a)		(((x) + ((typeof(x))(a) - 1)) & ~((typeof(x))(a) - 1))
#define ALIGN_DOWN(x, a)	((x) & ~((typeof(x))(a) - 1))
#define IS_ALIGNED(x, a)	(((x) & ((typeof(x))(a) - 1)) == 0)
#define round_up(x, y)		((((x) - 1) | ((typeof(x))(y) - 1)) + 1)
#define round_down(x, y)	((x) & ~((typeof(x))(y) - 1))
#define do_div(n, base) ({ u32 kf_rem = (u64)(n) % (base); (n) = (u64)(n) / (base); kf_rem; })
static inline u64 div_u64(u64 a, u32 b) { return a / b; }
static inline s64 sign_extend64(u64 value, int index)
{
	int shift = 63 - index;

	return (s64)(value << shift) >> shift;
}

#define check_add_overflow(a, b, d)	__builtin_add_overflow(a, b, d)
#define check_mul_overflow(a, b, d)	__builtin_mul_overflow(a, b, d)
static inline size_t size_mul(size_t a, size_t b)
{
	size_t r;

	return __builtin_mul_overflow(a, b, &r) ? SIZE_MAX : r;
}
static inline size_t size_add(size_t a, size_t b)
{
	size_t r;

	return __builtin_add_overflow(a, b, &r) ? SIZE_MAX : r;
}
#define struct_size(p, member, n) \
	size_add(sizeof(*(p)), size_mul(sizeof(*(p)->member), n))

#define const_ilog2(n)	(63 - __builtin_clzll((unsigned long long)(n)))
#define ilog2(n)	(63 - __builtin_clzll((unsigned long long)(n)))
#define is_power_of_2(n) ((n) != 0 && (((n) & ((n) - 1)) == 0))
static inline int fls64(u64 x) { return x ? 64 - __builtin_clzll(x) : 0; }
static inline int fls(unsigned int x) { return x ? 32 - __builtin_clz(x) : 0; }
static inline unsigned long __ffs(unsigned long x) { return __builtin_ctzl(x); }
static inline int get_order(unsigned long size)
{
	return size <= 4096 ? 0 : fls64((size - 1) >> 12);
}

/* Bitmaps */
static inline bool test_bit(unsigned long nr, const unsigned long *a)
{
	return (a[nr / BITS_PER_LONG] >> (nr % BITS_PER_LONG)) & 1;
}
static inline void __set_bit(unsigned long nr, unsigned long *a)
{
	a[nr / BITS_PER_LONG] |= 1UL << (nr % BITS_PER_LONG);
}
static inline void __clear_bit(unsigned long nr, unsigned long *a)
{
	a[nr / BITS_PER_LONG] &= ~(1UL << (nr % BITS_PER_LONG));
}
static inline bool __test_and_set_bit(unsigned long nr, unsigned long *a)
{
	bool old = test_bit(nr, a);

	__set_bit(nr, a);
	return old;
}
static inline bool __test_and_clear_bit(unsigned long nr, unsigned long *a)
{
	bool old = test_bit(nr, a);

	__clear_bit(nr, a);
	return old;
}
#define set_bit		__set_bit
#define clear_bit	__clear_bit
unsigned long find_next_bit(const unsigned long *a, unsigned long size,
			    unsigned long off);
#define find_first_bit(a, size) find_next_bit(a, size, 0)
#define for_each_set_bit(bit, addr, size) \
	for ((bit) = find_next_bit(addr, size, 0); (bit) < (size); \
	     (bit) = find_next_bit(addr, size, (bit) + 1))
static inline unsigned int bitmap_weight(const unsigned long *a, unsigned int bits)
{
	unsigned int i, w = 0;

	for (i = 0; i < bits / BITS_PER_LONG; i++)
		w += __builtin_popcountl(a[i]);
	if (bits % BITS_PER_LONG)
		w += __builtin_popcountl(a[i] & ((1UL << (bits % BITS_PER_LONG)) - 1));
	return w;
}
static inline bool bitmap_empty(const unsigned long *a, unsigned int bits)
{
	return find_next_bit(a, bits, 0) >= bits;
}

/* Atomics, single-threaded */
#define ATOMIC_INIT(i)			{ (i) }
#define atomic_read(v)			((v)->counter)
#define atomic_set(v, i)		((v)->counter = (i))
#define atomic_inc(v)			((v)->counter++)
#define atomic_dec(v)			((v)->counter--)
#define atomic_inc_return(v)		(++(v)->counter)
#define atomic_dec_return(v)		(--(v)->counter)
#define atomic_dec_and_test(v)		(--(v)->counter == 0)
#define atomic_inc_not_zero(v)		((v)->counter ? ((v)->counter++, 1) : 0)
#define atomic_cmpxchg(v, o, n)		cmpxchg(&(v)->counter, o, n)
#define atomic_long_read(v)		((v)->counter)
#define atomic_long_set(v, i)		((v)->counter = (i))
#define atomic_long_add(i, v)		((v)->counter += (i))
#define atomic_long_sub(i, v)		((v)->counter -= (i))
#define atomic64_read(v)		((v)->counter)
#define atomic64_set(v, i)		((v)->counter = (i))

/* Byte access */
#define get_unaligned(p) (((const struct { typeof(*(p)) v; } __packed *)(p))->v)
#define put_unaligned(v, p) do { typeof(*(p)) kf_v = (v); memcpy((p), &kf_v, sizeof(kf_v)); } while (0)

/* ---------------------------------------------------------------------- */
/* Errors                                                                  */

#define MAX_ERRNO	4095
#define IS_ERR_VALUE(x)	((unsigned long)(void *)(x) >= (unsigned long)-MAX_ERRNO)
static inline void *ERR_PTR(long error) { return (void *)error; }
static inline long PTR_ERR(const void *ptr) { return (long)ptr; }
static inline bool IS_ERR(const void *ptr) { return IS_ERR_VALUE((unsigned long)ptr); }
static inline bool IS_ERR_OR_NULL(const void *ptr) { return !ptr || IS_ERR(ptr); }
static inline void *ERR_CAST(const void *ptr) { return (void *)ptr; }
static inline int PTR_ERR_OR_ZERO(const void *ptr) { return IS_ERR(ptr) ? PTR_ERR(ptr) : 0; }
#ifndef ENOTSUPP
#define ENOTSUPP	524
#endif

/* ---------------------------------------------------------------------- */
/* Strings                                                                 */

ssize_t strscpy(char *dst, const char *src, size_t count);
ssize_t strscpy_pad(char *dst, const char *src, size_t count);
size_t kf_strlcat(char *dst, const char *src, size_t size);
#define strlcat kf_strlcat
char *strim(char *s);
bool sysfs_streq(const char *a, const char *b);
static inline size_t str_has_prefix(const char *str, const char *prefix)
{
	size_t len = strlen(prefix);

	return strncmp(str, prefix, len) == 0 ? len : 0;
}
int kstrtobool(const char *s, bool *res);
int kstrtouint(const char *s, unsigned int base, unsigned int *res);
int kstrtoull(const char *s, unsigned int base, unsigned long long *res);
unsigned long long memparse(const char *ptr, char **retptr);

/* ---------------------------------------------------------------------- */
/* Allocation: the C heap, with the kernel's limits (a WARN beyond them)   */

#define GFP_KERNEL		0x01u
#define GFP_NOWAIT		0x02u
#define GFP_ATOMIC		0x04u
#define GFP_HIGHUSER		0x08u
#define GFP_HIGHUSER_MOVABLE	0x10u
#define __GFP_ZERO		0x100u
#define __GFP_NOWARN		0x200u
#define __GFP_ACCOUNT		0x400u
#define __GFP_COMP		0x800u
#define __GFP_THISNODE		0x1000u
#define __GFP_NORETRY		0x2000u
#define GFP_KERNEL_ACCOUNT	(GFP_KERNEL | __GFP_ACCOUNT)

void *kmalloc(size_t size, gfp_t gfp);
void *kvmalloc(size_t size, gfp_t gfp);
void kfree(const void *p);
void kvfree(const void *p);
void *kmemdup(const void *src, size_t len, gfp_t gfp);
char *kmemdup_nul(const char *s, size_t len, gfp_t gfp);
char *kstrdup(const char *s, gfp_t gfp);
char *kasprintf(gfp_t gfp, const char *fmt, ...) __printf(2, 3);
#define kzalloc(s, g)		kmalloc(s, (g) | __GFP_ZERO)
#define kvzalloc(s, g)		kvmalloc(s, (g) | __GFP_ZERO)
#define kmalloc_array(n, s, g)	kmalloc(size_mul(n, s), g)
#define kcalloc(n, s, g)	kmalloc(size_mul(n, s), (g) | __GFP_ZERO)
#define kvmalloc_array(n, s, g)	kvmalloc(size_mul(n, s), g)
#define kvcalloc(n, s, g)	kvmalloc(size_mul(n, s), (g) | __GFP_ZERO)
void *krealloc(const void *p, size_t size, gfp_t gfp);
#define kvrealloc(p, s, g)	krealloc(p, s, g)
#define vrealloc(p, s, g)	krealloc(p, s, g)
#define krealloc_array(p, n, s, g) krealloc(p, size_mul(n, s), g)
#define kfree_sensitive		kfree
#define kvfree_sensitive(p, n)	kvfree(p)
#define slab_is_available()	1

/* vmalloc(): contiguous arena pages, so that kho_preserve_vmalloc() works */
struct vm_struct {
	void *addr;
	unsigned long size;
	unsigned long flags;
	struct page **pages;
	unsigned int nr_pages;
};
#define VM_ALLOC		0x02
#define VM_MAP			0x04
#define VM_ALLOW_HUGE_VMAP	0x400
#define VM_MAP_PUT_PAGES	0x200
#define PAGE_KERNEL		0
void *vmalloc(unsigned long size);
void *vzalloc(unsigned long size);
void *vcalloc(size_t n, size_t size);
void vfree(const void *addr);
void *vmap(struct page **pages, unsigned int count, unsigned long flags,
	   kf_pgprot_t prot);
struct vm_struct *find_vm_area(const void *addr);
bool is_vmalloc_addr(const void *addr);

/* ---------------------------------------------------------------------- */
/* Lists                                                                   */

struct list_head {
	struct list_head *next, *prev;
};
struct hlist_node {
	struct hlist_node *next, **pprev;
};
#define LIST_HEAD_INIT(name)	{ &(name), &(name) }
#define LIST_HEAD(name)		struct list_head name = LIST_HEAD_INIT(name)
static inline void INIT_LIST_HEAD(struct list_head *l)
{
	l->next = l;
	l->prev = l;
}
static inline void kf_list_insert(struct list_head *n, struct list_head *prev,
				  struct list_head *next)
{
	next->prev = n;
	n->next = next;
	n->prev = prev;
	prev->next = n;
}
static inline void list_add(struct list_head *n, struct list_head *head)
{
	kf_list_insert(n, head, head->next);
}
static inline void list_add_tail(struct list_head *n, struct list_head *head)
{
	kf_list_insert(n, head->prev, head);
}
static inline void list_del(struct list_head *e)
{
	e->next->prev = e->prev;
	e->prev->next = e->next;
	e->next = (void *)0x100;
	e->prev = (void *)0x122;
}
static inline void list_del_init(struct list_head *e)
{
	e->next->prev = e->prev;
	e->prev->next = e->next;
	INIT_LIST_HEAD(e);
}
static inline bool list_empty(const struct list_head *h)
{
	return h->next == h;
}
#define list_entry(p, t, m)		container_of(p, t, m)
#define list_first_entry(h, t, m)	list_entry((h)->next, t, m)
#define list_last_entry(h, t, m)	list_entry((h)->prev, t, m)
#define list_first_entry_or_null(h, t, m) \
	(list_empty(h) ? NULL : list_first_entry(h, t, m))
#define list_next_entry(p, m)		list_entry((p)->m.next, typeof(*(p)), m)
#define list_prev_entry(p, m)		list_entry((p)->m.prev, typeof(*(p)), m)
#define list_for_each_entry(p, h, m) \
	for (p = list_first_entry(h, typeof(*p), m); &p->m != (h); \
	     p = list_next_entry(p, m))
#define list_for_each_entry_reverse(p, h, m) \
	for (p = list_last_entry(h, typeof(*p), m); &p->m != (h); \
	     p = list_prev_entry(p, m))
#define list_for_each_entry_safe(p, n, h, m) \
	for (p = list_first_entry(h, typeof(*p), m), n = list_next_entry(p, m); \
	     &p->m != (h); p = n, n = list_next_entry(n, m))

/* Locks: one thread */
struct mutex { int locked; };
struct rw_semaphore { int count; };
typedef struct { int locked; } spinlock_t;
#define __MUTEX_INITIALIZER(l)	{ 0 }
#define DEFINE_MUTEX(m)		struct mutex m = { 0 }
#define DEFINE_SPINLOCK(s)	spinlock_t s = { 0 }
#define mutex_init(m)		((m)->locked = 0)
#define mutex_lock(m)		((m)->locked++)
#define mutex_unlock(m)		((m)->locked--)
#define mutex_trylock(m)	((m)->locked ? 0 : ((m)->locked = 1))
#define mutex_is_locked(m)	((m)->locked)
#define spin_lock(s)		((void)(s))
#define spin_unlock(s)		((void)(s))
#define guard(t)		kf_guard_##t
#define kf_guard_mutex(m)	(void)(m)

/* ---------------------------------------------------------------------- */
/* Sorting and searching                                                   */

typedef int (*cmp_func_t)(const void *a, const void *b);
typedef int (*cmp_r_func_t)(const void *a, const void *b, const void *priv);
typedef void (*swap_func_t)(void *a, void *b, int size);
typedef void (*swap_r_func_t)(void *a, void *b, int size, const void *priv);
void sort(void *base, size_t num, size_t size, cmp_func_t cmp,
	  swap_func_t swap);
void sort_r(void *base, size_t num, size_t size, cmp_r_func_t cmp,
	    swap_r_func_t swap, const void *priv);

/* ---------------------------------------------------------------------- */
/* Time, users, misc                                                       */

#define NSEC_PER_USEC	1000L
#define NSEC_PER_MSEC	1000000L
#define NSEC_PER_SEC	1000000000L
#define USEC_PER_SEC	1000000L
#define MAX_LFS_FILESIZE ((loff_t)LLONG_MAX)
#define TASK_COMM_LEN	16
#define PID_MAX_DEFAULT	0x8000
#define __NEW_UTS_LEN	64
#define NUMA_NO_NODE	(-1)
#define MAX_NUMNODES	(1 << CONFIG_NODES_SHIFT)
#define SMP_CACHE_BYTES	64
#define SZ_1            0x1
#define SZ_2            0x2
#define SZ_4            0x4
#define SZ_8            0x8
#define SZ_16           0x10
#define SZ_32           0x20
#define SZ_64           0x40
#define SZ_128          0x80
#define SZ_256          0x100
#define SZ_512          0x200
#define SZ_1K           0x400
#define SZ_2K           0x800
#define SZ_4K           0x1000
#define SZ_8K           0x2000
#define SZ_16K          0x4000
#define SZ_32K          0x8000
#define SZ_64K          0x10000
#define SZ_128K         0x20000
#define SZ_256K         0x40000
#define SZ_512K         0x80000
#define SZ_1M           0x100000
#define SZ_2M           0x200000
#define SZ_4M           0x400000
#define SZ_8M           0x800000
#define SZ_16M          0x1000000
#define SZ_32M          0x2000000
#define SZ_64M          0x4000000
#define SZ_128M         0x8000000
#define SZ_256M         0x10000000
#define SZ_512M         0x20000000
#define SZ_1G           0x40000000
#define SZ_2G           0x80000000ULL
#define SZ_4G           0x100000000ULL
#define SZ_8G           0x200000000ULL
#define SZ_16G          0x400000000ULL
#define SZ_32G          0x800000000ULL
#define SZ_64G          0x1000000000ULL
#define SZ_128G         0x2000000000ULL
#define SZ_256G         0x4000000000ULL
#define SZ_512G         0x8000000000ULL

u64 local_clock(void);

struct new_utsname {
	char sysname[__NEW_UTS_LEN + 1];
	char nodename[__NEW_UTS_LEN + 1];
	char release[__NEW_UTS_LEN + 1];
	char version[__NEW_UTS_LEN + 1];
	char machine[__NEW_UTS_LEN + 1];
	char domainname[__NEW_UTS_LEN + 1];
};
struct uts_namespace { struct new_utsname name; };
extern struct uts_namespace init_uts_ns;
static inline struct new_utsname *init_utsname(void) { return &init_uts_ns.name; }

typedef struct { uid_t val; } kuid_t;
typedef struct { gid_t val; } kgid_t;
struct user_namespace { int dummy; };
extern struct user_namespace init_user_ns;
#define INVALID_UID_VAL	((uid_t)-1)
static inline kuid_t make_kuid(struct user_namespace *ns, uid_t uid)
{
	return (kuid_t){ uid };
}
static inline kgid_t make_kgid(struct user_namespace *ns, gid_t gid)
{
	return (kgid_t){ gid };
}
static inline bool uid_valid(kuid_t u) { return u.val != INVALID_UID_VAL; }
static inline bool gid_valid(kgid_t g) { return g.val != INVALID_UID_VAL; }
static inline uid_t from_kuid(struct user_namespace *ns, kuid_t u) { return u.val; }
static inline gid_t from_kgid(struct user_namespace *ns, kgid_t g) { return g.val; }

struct timespec64 {
	time64_t tv_sec;
	long tv_nsec;
};

struct module;
struct notifier_block {
	int (*notifier_call)(struct notifier_block *nb, unsigned long action,
			     void *data);
};
#define NOTIFY_DONE	0
#define NOTIFY_OK	1
#define SYS_RESTART	1
int register_reboot_notifier(struct notifier_block *nb);

/* kexec_file_load() glue, never called by the parsers */
struct resource {
	phys_addr_t start, end;
};
struct kexec_segment {
	phys_addr_t mem;
	size_t memsz;
};
struct kimage {
	int type;
	struct kexec_segment segment[16];
	unsigned long nr_segments;
	struct {
		phys_addr_t fdt;
		struct kexec_segment *scratch;
	} kho;
};
struct kexec_buf {
	struct kimage *image;
	void *buffer;
	unsigned long bufsz;
	unsigned long mem;
	unsigned long memsz;
	unsigned long buf_align;
	unsigned long buf_min;
	unsigned long buf_max;
	bool top_down;
};
#define KEXEC_TYPE_DEFAULT	0
#define KEXEC_TYPE_CRASH	1
#define KEXEC_BUF_MEM_UNKNOWN	0
int kexec_add_buffer(struct kexec_buf *kbuf);
extern bool kexec_in_progress;

/* ---------------------------------------------------------------------- */
/* Physical memory model (kfmem.c)                                         */

#define PAGE_SHIFT		12
#define PAGE_SIZE		(1UL << PAGE_SHIFT)
#define PAGE_MASK		(~(PAGE_SIZE - 1))
#define MAX_PAGE_ORDER		10
#define MAX_ORDER_NR_PAGES	(1UL << MAX_PAGE_ORDER)
#define pageblock_order		9
#define pageblock_nr_pages	(1UL << pageblock_order)
#define PFN_PHYS(pfn)		((phys_addr_t)(pfn) << PAGE_SHIFT)
#define PHYS_PFN(x)		((unsigned long)((x) >> PAGE_SHIFT))
#define PFN_DOWN(x)		PHYS_PFN(x)
#define PFN_UP(x)		PHYS_PFN((x) + PAGE_SIZE - 1)
#define PAGE_ALIGN(x)		ALIGN(x, PAGE_SIZE)
#define PAGE_ALIGNED(x)		IS_ALIGNED((unsigned long)(x), PAGE_SIZE)
#define offset_in_page(p)	((unsigned long)(p) & ~PAGE_MASK)

/* Physical address of the arena's first page; phys 0 is never RAM. */
#define KF_PHYS_BASE		0x1000000ULL
#define KF_PFN_BASE		(KF_PHYS_BASE >> PAGE_SHIFT)
/* Largest arena */
#define KF_MAX_PAGES		2048

/* Page state, for the checks of the model */
#define KF_PG_RESERVED		0x01	/* the previous kernel's, not restored */
#define KF_PG_FREE		0x02	/* freed; contents poisoned */
#define KF_PG_HEAD		0x04
#define KF_PG_TAIL		0x08
#define KF_PG_UPTODATE		0x10
#define KF_PG_DIRTY		0x20
#define KF_PG_LOCKED		0x40
#define KF_PG_LARGE_RMAP	0x80
#define KF_PG_SWAPBACKED	0x100
#define KF_PG_LRU		0x200

#define KF_PAGE_FIELDS				\
	unsigned long flags;			\
	unsigned long private;			\
	int _refcount;				\
	unsigned int order;			\
	pgoff_t index;				\
	struct address_space *mapping;		\
	struct page *head

struct page {
	KF_PAGE_FIELDS;
};
struct folio {
	union {
		struct { KF_PAGE_FIELDS; };
		struct page page;
	};
};

/* The arena */
extern u8 *kf_mem;
extern unsigned long kf_npages;
extern struct page *kf_pages;
extern unsigned long kf_totalram;

void kf_mem_setup(unsigned long npages);
void kf_mem_teardown(void);
bool kf_phys_in_arena(phys_addr_t phys, u64 size);
void kf_page_freed(struct page *page);

unsigned long kf_page_to_pfn(const struct page *page, const char *who);
struct page *kf_pfn_to_page(unsigned long pfn, const char *who);
void *kf_phys_to_virt(phys_addr_t phys, const char *who);
phys_addr_t kf_virt_to_phys(const void *v, const char *who);

#define page_to_pfn(p)		kf_page_to_pfn(p, __func__)
#define pfn_to_page(pfn)	kf_pfn_to_page(pfn, __func__)
#define phys_to_virt(p)		kf_phys_to_virt(p, __func__)
#define virt_to_phys(v)		kf_virt_to_phys(v, __func__)
#define __va(p)			phys_to_virt(p)
#define __pa(v)			virt_to_phys(v)
#define __pa_symbol(v)		((phys_addr_t)0x1000)
#define page_to_phys(p)		PFN_PHYS(page_to_pfn(p))
#define phys_to_page(p)		pfn_to_page(PHYS_PFN(p))
#define page_address(p)		phys_to_virt(page_to_phys(p))
#define lowmem_page_address	page_address
#define virt_to_page(v)		pfn_to_page(PHYS_PFN(virt_to_phys(v)))
#define virt_to_folio(v)	page_folio(virt_to_page(v))
#define pfn_valid(pfn)		kf_phys_in_arena(PFN_PHYS(pfn), PAGE_SIZE)
#define pfn_to_nid(pfn)		0
#define early_pfn_to_nid(pfn)	0
#define page_to_nid(p)		0
#define folio_nid(f)		0
struct page *pfn_to_online_page(unsigned long pfn);
unsigned long totalram_pages(void);
extern unsigned long max_pfn;

static inline struct folio *page_folio(struct page *page)
{
	return (struct folio *)(page->head ? page->head : page);
}
#define folio_page(f, n)	(&(f)->page + (n))
#define pfn_folio(pfn)		page_folio(pfn_to_page(pfn))
#define folio_pfn(f)		page_to_pfn(&(f)->page)
#define folio_address(f)	page_address(&(f)->page)
#define folio_order(f)		((f)->flags & KF_PG_HEAD ? (f)->order : 0)
#define folio_nr_pages(f)	(1L << folio_order(f))
#define folio_size(f)		(PAGE_SIZE << folio_order(f))
#define folio_next_index(f)	((f)->index + folio_nr_pages(f))
#define folio_test_large(f)	(folio_order(f) > 0)
#define folio_test_uptodate(f)	(!!((f)->flags & KF_PG_UPTODATE))
#define folio_mark_uptodate(f)	((f)->flags |= KF_PG_UPTODATE)
#define folio_mark_dirty(f)	((f)->flags |= KF_PG_DIRTY)
#define folio_test_dirty(f)	(!!((f)->flags & KF_PG_DIRTY))
#define folio_lock(f)		((f)->flags |= KF_PG_LOCKED)
#define folio_unlock(f)		((f)->flags &= ~KF_PG_LOCKED)
#define __folio_set_locked(f)	((f)->flags |= KF_PG_LOCKED)
#define __folio_set_swapbacked(f) ((f)->flags |= KF_PG_SWAPBACKED)
#define folio_set_large_rmappable(f) ((f)->flags |= KF_PG_LARGE_RMAP)
#define flush_dcache_folio(f)	do { } while (0)
#define set_page_count(p, v)	((p)->_refcount = (v))
#define page_count(p)		((p)->_refcount)
#define folio_ref_count(f)	((f)->_refcount)
#define get_page(p)		(page_folio(p)->_refcount++)
#define folio_get(f)		((f)->_refcount++)
void prep_compound_page(struct page *page, unsigned int order);
void folio_put(struct folio *folio);
void put_page(struct page *page);
void __free_page(struct page *page);
void __free_pages(struct page *page, unsigned int order);
void free_page(unsigned long addr);
void free_reserved_page(struct page *page);
unsigned long free_reserved_area(void *start, void *end, int poison,
				 const char *s);
void adjust_managed_page_count(struct page *page, long count);
/* One zone; the totals are counted, nothing reads them. */
struct zone {
	atomic_long_t managed_pages;
};
struct zone *page_zone(const struct page *page);
void totalram_pages_add(long count);
#define ClearPageReserved(p)	((p)->flags &= ~KF_PG_RESERVED)
#define PageReserved(p)		(!!((p)->flags & KF_PG_RESERVED))
#define init_page_count(p)	set_page_count(p, 1)
enum system_states { SYSTEM_BOOTING, SYSTEM_RUNNING };
#define system_state		SYSTEM_RUNNING
void clear_highpage(struct page *page);
void folio_zero_range(struct folio *folio, size_t start, size_t len);
#define kmap_local_page(p)	page_address(p)
#define kunmap_local(p)		do { } while (0)

struct page *alloc_pages(gfp_t gfp, unsigned int order);
struct folio *folio_alloc(gfp_t gfp, unsigned int order);
unsigned long get_zeroed_page(gfp_t gfp);
unsigned long __get_free_page(gfp_t gfp);
#define alloc_page(g)		alloc_pages(g, 0)

void init_deferred_page(unsigned long pfn, int nid);
void reserve_bootmem_region(phys_addr_t start, phys_addr_t end, int nid);
void init_cma_reserved_pageblock(struct page *page);

enum migratetype { MIGRATE_UNMOVABLE, MIGRATE_MOVABLE, MIGRATE_CMA };

/* Nodes */
enum node_states { N_MEMORY, N_ONLINE };
#define node_state(n, s)	((n) == 0)
#define nodes_weight(m)		1
#define for_each_node_state(n, s) for ((n) = 0; (n) < 1; (n)++)
#define for_each_online_cpu(c)	for ((c) = 0; (c) < 1; (c)++)
extern unsigned long node_states[];

/* early_memremap(): the arena only */
void *early_memremap(phys_addr_t phys, unsigned long size);
void early_memunmap(void *addr, unsigned long size);

#define is_kdump_kernel()	false

/* ---------------------------------------------------------------------- */
/* Files, inodes, dentries: as much as pkernfs and memfd touch             */

struct qstr {
	union {
		struct { u32 hash; u32 len; };
		u64 hash_len;
	};
	const unsigned char *name;
};
#define QSTR_INIT(n, l)		{ { { .len = l } }, .name = (const unsigned char *)(n) }

struct kf_cache_ent {
	pgoff_t index;
	struct folio *folio;
};

struct address_space {
	struct inode *host;
	unsigned int max_order;
	gfp_t gfp;
	unsigned long nrpages;
	struct kf_cache_ent *ents;	/* the page cache: a growing array */
	unsigned long nr, cap;
	const void *a_ops;
};

struct super_block;
struct dentry;
struct inode {
	umode_t i_mode;
	unsigned int i_nlink;
	kuid_t i_uid;
	kgid_t i_gid;
	unsigned long i_ino;
	loff_t i_size;
	struct timespec64 i_atime, i_mtime, i_ctime;
	struct super_block *i_sb;
	struct address_space *i_mapping;
	struct address_space i_data;
	const void *i_op;
	const void *i_fop;
	void *i_private;
	int i_count;
};

struct dentry {
	struct qstr d_name;
	struct inode *d_inode;
	struct dentry *d_parent;
	struct super_block *d_sb;
	int d_count;
	unsigned char *d_iname;
};

struct super_block {
	struct dentry *s_root;
	void *s_fs_info;
	atomic_t s_active;
	struct rw_semaphore s_umount;
};

struct file_operations;
struct file {
	const struct file_operations *f_op;
	struct inode *f_inode;
	struct address_space *f_mapping;
	loff_t f_pos;
	void *private_data;
	int f_count;
	unsigned int f_flags;
	unsigned int f_seals;
};

struct file_system_type {
	const char *name;
};
struct vfsmount;
struct fs_context;
struct mnt_idmap;
struct kstat;
struct path;

#define file_inode(f)		((f)->f_inode)
#define d_inode(d)		((d)->d_inode)
#define i_size_read(i)		((i)->i_size)
#define i_size_write(i, s)	((i)->i_size = (s))
#define inode_lock(i)		do { } while (0)
#define inode_unlock(i)		do { } while (0)
#define filemap_invalidate_lock(m)	do { } while (0)
#define filemap_invalidate_unlock(m)	do { } while (0)
#define mapping_max_folio_order(m)	((m)->max_order)
#define mapping_gfp_mask(m)	((m)->gfp)
static inline void inode_set_atime(struct inode *i, time64_t s, long ns)
{
	i->i_atime = (struct timespec64){ s, ns };
}
static inline void inode_set_mtime(struct inode *i, time64_t s, long ns)
{
	i->i_mtime = (struct timespec64){ s, ns };
}
static inline void inode_set_ctime(struct inode *i, time64_t s, long ns)
{
	i->i_ctime = (struct timespec64){ s, ns };
}
#define inode_get_atime(i)	((i)->i_atime)
#define inode_get_mtime(i)	((i)->i_mtime)
#define inode_get_ctime(i)	((i)->i_ctime)
struct dentry *d_make_root(struct inode *inode);
struct dentry *d_alloc(struct dentry *parent, const struct qstr *name);
void d_instantiate(struct dentry *dentry, struct inode *inode);
void d_rehash(struct dentry *dentry);
struct dentry *dget(struct dentry *dentry);
void dput(struct dentry *dentry);
void iput(struct inode *inode);
void kf_dentry_free(struct dentry *dentry);
unsigned int full_name_hash(const void *salt, const unsigned char *name,
			    unsigned int len);

/* A folio batch, for the writers */
#define PAGEVEC_SIZE 31
struct folio_batch {
	unsigned char nr;
	struct folio *folios[PAGEVEC_SIZE];
};
static inline void folio_batch_init(struct folio_batch *b) { b->nr = 0; }
static inline void folio_batch_reinit(struct folio_batch *b) { b->nr = 0; }
static inline unsigned int folio_batch_count(struct folio_batch *b) { return b->nr; }
unsigned filemap_get_folios(struct address_space *m, pgoff_t *start,
			    pgoff_t end, struct folio_batch *b);

/* shmem and memfd, as memfd_luo.c uses them (the target defines them) */
struct file *memfd_alloc_file(const char *name, unsigned int flags);
void fput(struct file *file);
int mem_cgroup_charge(struct folio *folio, void *mm, gfp_t gfp);
int shmem_add_to_page_cache(struct folio *folio, struct address_space *m,
			    pgoff_t index, void *expected, gfp_t gfp);
int shmem_inode_acct_blocks(struct inode *inode, long pages);
void filemap_remove_folio(struct folio *folio);
void folio_add_lru(struct folio *folio);
void shmem_recalc_inode(struct inode *inode, long alloced, long swapped);
int memfd_add_seals(struct file *file, unsigned int seals);
int memfd_get_seals(struct file *file);
loff_t vfs_setpos(struct file *file, loff_t offset, loff_t maxsize);
long memfd_pin_folios(struct file *file, loff_t start, loff_t end,
		      struct folio **folios, unsigned int max, pgoff_t *offset);
void unpin_folios(struct folio **folios, unsigned long nr);
void shmem_freeze(struct inode *inode, bool freeze);
bool shmem_file(struct file *file);

/* The page cache of the model */
int kf_cache_add(struct address_space *m, struct folio *folio, pgoff_t index);
void kf_cache_release(struct address_space *m, bool scrub);


/* ---------------------------------------------------------------------- */
/* memblock, as far as KHO's boot code uses it (kfmemblock.c)              */

#define MEMBLOCK_NONE		0x0
#define MEMBLOCK_RSRV_NOINIT	0x10
#define MEMBLOCK_KHO_SCRATCH	0x40
#define MEMBLOCK_ALLOC_ANYWHERE	(~(phys_addr_t)0)
#define MEMBLOCK_ALLOC_ACCESSIBLE 0
#define ARCH_LOW_ADDRESS_LIMIT	0xffffffffULL
#define KF_MEMBLOCK_MAX		4096

struct memblock_region {
	phys_addr_t base;
	phys_addr_t size;
	unsigned int flags;
	int nid;
};
struct memblock_type {
	unsigned long cnt;
	unsigned long max;
	struct memblock_region *regions;
};
struct memblock {
	struct memblock_type memory;
	struct memblock_type reserved;
};
extern struct memblock memblock;

void kf_memblock_reset(void);
bool memblock_is_region_memory(phys_addr_t base, phys_addr_t size);
phys_addr_t memblock_end_of_DRAM(void);
phys_addr_t memblock_phys_mem_size(void);
int memblock_add(phys_addr_t base, phys_addr_t size);
int memblock_reserve(phys_addr_t base, phys_addr_t size);
int memblock_reserve_sorted(struct memblock_region *r, unsigned long nr);
int memblock_phys_free(phys_addr_t base, phys_addr_t size);
int memblock_mark_kho_scratch(phys_addr_t base, phys_addr_t size);
int memblock_clear_kho_scratch(phys_addr_t base, phys_addr_t size);
void memblock_set_kho_scratch_only(void);
void memblock_clear_kho_scratch_only(void);
phys_addr_t memblock_reserved_kern_size(phys_addr_t limit, int nid);
phys_addr_t memblock_phys_alloc_range(phys_addr_t size, phys_addr_t align,
				      phys_addr_t start, phys_addr_t end);
phys_addr_t memblock_phys_alloc(phys_addr_t size, phys_addr_t align);
phys_addr_t memblock_alloc_range_nid(phys_addr_t size, phys_addr_t align,
				     phys_addr_t start, phys_addr_t end,
				     int nid, bool exact_nid);
void *memblock_alloc(phys_addr_t size, phys_addr_t align);
void memblock_free(void *ptr, size_t size);
static inline void memblock_set_region_node(struct memblock_region *r, int nid)
{
	r->nid = nid;
}

/* ---------------------------------------------------------------------- */
/* What the Live Update Orchestrator uses (kfluo.c)                        */

#define list_for_each_entry_safe_reverse(p, n, h, m) \
	for (p = list_last_entry(h, typeof(*p), m), n = list_prev_entry(p, m); \
	     &p->m != (h); p = n, n = list_prev_entry(n, m))

struct hlist_head {
	struct hlist_node *first;
};
static inline void hlist_add_head(struct hlist_node *n, struct hlist_head *h)
{
	n->next = h->first;
	if (h->first)
		h->first->pprev = &n->next;
	h->first = n;
	n->pprev = &h->first;
}
static inline void hlist_del(struct hlist_node *n)
{
	*n->pprev = n->next;
	if (n->next)
		n->next->pprev = n->pprev;
	n->next = (void *)0x100;
	n->pprev = (void *)0x122;
}
#define DEFINE_HASHTABLE(name, bits) struct hlist_head name[1 << (bits)]
static inline u32 hash_32(u32 val, unsigned int bits)
{
	return bits ? (u32)(val * 0x61C88647u) >> (32 - bits) : 0;
}
#define HASH_SIZE(name) ARRAY_SIZE(name)
#define hash_add(t, node, key) hlist_add_head(node, &t[(key) % HASH_SIZE(t)])
#define hash_del(node) hlist_del(node)
#define hlist_entry_safe(p, t, m) ((p) ? container_of(p, t, m) : NULL)
#define hash_for_each_possible(t, obj, m, key) \
	for (obj = hlist_entry_safe(t[(key) % HASH_SIZE(t)].first, typeof(*obj), m); \
	     obj; obj = hlist_entry_safe(obj->m.next, typeof(*obj), m))

/* An xarray: a sorted array of (index, entry) */
struct kf_xa_ent {
	unsigned long index;
	void *entry;
};
struct xarray {
	struct kf_xa_ent *ents;
	unsigned long nr, cap;
};
#define DEFINE_XARRAY(name) struct xarray name = { NULL, 0, 0 }
#define xa_init(xa) memset(xa, 0, sizeof(*(xa)))
void *xa_load(struct xarray *xa, unsigned long index);
int xa_insert(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp);
void *xa_erase(struct xarray *xa, unsigned long index);
void *xa_cmpxchg(struct xarray *xa, unsigned long index, void *old,
		 void *entry, gfp_t gfp);
void xa_destroy(struct xarray *xa);

#define O_RDWR		02
#define O_CLOEXEC	02000000
#define ENOIOCTLCMD	515
#define MISC_DYNAMIC_MINOR 255
struct file_operations {
	struct module *owner;
	int (*open)(struct inode *, struct file *);
	ssize_t (*read)(struct file *, char __user *, size_t, loff_t *);
	ssize_t (*write)(struct file *, const char __user *, size_t, loff_t *);
	int (*release)(struct inode *, struct file *);
	loff_t (*llseek)(struct file *, loff_t, int);
	long (*unlocked_ioctl)(struct file *, unsigned int, unsigned long);
	long (*compat_ioctl)(struct file *, unsigned int, unsigned long);
};
struct miscdevice {
	int minor;
	const char *name;
	const struct file_operations *fops;
};
int misc_register(struct miscdevice *misc);
struct file *anon_inode_getfile(const char *name,
				const struct file_operations *fops,
				void *priv, int flags);
struct file *fget(unsigned int fd);
struct file *get_file(struct file *f);
int get_unused_fd_flags(unsigned int flags);
void put_unused_fd(unsigned int fd);
void fd_install(unsigned int fd, struct file *file);
long compat_ptr_ioctl(struct file *file, unsigned int cmd, unsigned long arg);
bool try_module_get(struct module *m);
void module_put(struct module *m);
unsigned long copy_to_user(void __user *to, const void *from, unsigned long n);
unsigned long copy_from_user(void *to, const void __user *from, unsigned long n);
int copy_struct_from_user(void *dst, size_t ksize, const void __user *src,
			  size_t usize);
#define get_user(x, p) ({ memcpy(&(x), (p), sizeof(*(p))); 0; })
#define clear_page(p) memset(p, 0, PAGE_SIZE)
struct seq_file;
void seq_printf(struct seq_file *m, const char *fmt, ...) __printf(2, 3);
#define DEFINE_SHOW_ATTRIBUTE(name) \
	static const struct file_operations name##_fops = { .owner = THIS_MODULE }
struct dentry *debugfs_create_dir(const char *name, struct dentry *parent);
struct dentry *debugfs_create_file(const char *name, umode_t mode,
				   struct dentry *parent, void *data,
				   const struct file_operations *fops);

#endif /* KSHIM_H */
