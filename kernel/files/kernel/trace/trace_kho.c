// SPDX-License-Identifier: GPL-2.0
/*
 * Trace buffer handover: the records of a kernel's trace buffers survive a
 * kexec with handover (KHO) and are read in the next kernel from the same
 * buffers, before that kernel's own records.
 *
 * Opt in per trace array with the "kho" file of the array's tracefs
 * directory (or trace_kho=global,NAME,... on the command line). At kexec
 * (reboot notifier) recording stops on those arrays, and each CPU
 * buffer's data pages holding unread events are preserved in place: no
 * copy. With them go what the next kernel needs to make sense of them,
 * as it may be another build: every event's id, "system:name" and field
 * layout, the kernel's text symbols (for function records under KASLR),
 * the pid to command name cache, and whatever older kernels' records the
 * array still held (so a chain A -> B -> C shows A's and B's records).
 *
 * The next kernel checks all of it: pages must be preserved memory and
 * counts as announced (at boot); commits inside the page, events inside
 * the commit, time never going backwards (when the array is first read,
 * so that boot does not walk every record). A CPU buffer that fails is
 * dropped with a warning; the rest is shown. Events are matched by name:
 * a record is printed by the new kernel's event of the same name when the
 * layout is the same, else raw with the old field names; function
 * addresses are resolved with the old kernel's symbols. Resetting or
 * resizing the buffer frees the old pages.
 *
 * Wire format: the KHO subtree "ftrace" holds a struct trace_kho_root
 * naming, by compatible string, the version of the stream it points to
 * (see the layout above trace_kho_serialize()); a kernel that does not
 * know the version ignores the handover with a message.
 */

#define pr_fmt(fmt) "trace-kho: " fmt

#include <linux/ctype.h>
#include <linux/highmem.h>
#include <linux/kallsyms.h>
#include <linux/kexec.h>
#include <linux/kexec_handover.h>
#include <linux/kho/abi/kexec_handover.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/reboot.h>
#include <linux/sched/clock.h>
#include <linux/ring_buffer.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/utsname.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>

#include "trace.h"
#include "trace_output.h"

#define TRACE_KHO_NODE		"ftrace"
#define TRACE_KHO_COMPATIBLE	"ftrace-kho-v2"
/* v1: the same stream without the length in front of each CPU record. */
#define TRACE_KHO_COMPATIBLE_V1	"ftrace-kho-v1"

/*
 * Trace arrays a handover may create in the next kernel: each costs a
 * ring buffer of the default size per CPU, so a stream naming thousands
 * must not get them.
 */
#define TKHO_MAX_NEW_ARRAYS	16

/**
 * struct trace_kho_root - the "ftrace" KHO subtree blob
 * @compatible: %TRACE_KHO_COMPATIBLE, NUL-padded
 * @size:       bytes of the stream, 0 when nothing was handed over
 * @data:       preserved vmalloc area holding the stream
 */
struct trace_kho_root {
	char compatible[24];
	u64 size;
	struct kho_vmalloc data;
} __packed;

/* Layout of a ring buffer data page (struct buffer_data_page). */
#define TKHO_PAGE_HDR		16
#define TKHO_TYPE_PADDING	29
#define TKHO_TYPE_TIME_EXTEND	30
#define TKHO_TYPE_TIME_STAMP	31
#define TKHO_TS_SHIFT		27
#define TKHO_TS_MSB		(0xf8ULL << 56)

struct tkho_field {
	char *name;
	char *type;
	u16 offset;
	u16 size;
	bool is_signed;
};

struct tkho_event {
	u32 id;
	char *name;
	unsigned int nr_fields;
	struct tkho_field *fields;
	struct trace_event *match;	/* this kernel's, same layout */
	bool function;			/* ftrace:function */
	bool print;			/* ftrace:print */
};

struct tkho_sym {
	u64 addr;
	char *name;
};

struct tkho_comm {
	u32 pid;
	char comm[TASK_COMM_LEN];
};

/* What one kernel of the chain left: how to read its records. */
struct tkho_seg {
	struct list_head list;
	char *release;
	unsigned int nr_events, nr_syms, nr_comms;
	struct tkho_event *events;	/* sorted by id */
	struct tkho_sym *syms;		/* sorted by address */
	struct tkho_comm *comms;
	unsigned int users;
};

struct tkho_pos {
	unsigned int page;
	unsigned int off;
	u64 ts;
};

/* One CPU buffer of one earlier kernel. */
struct tkho_cpu {
	struct list_head list;
	struct tkho_seg *seg;
	int cpu;
	unsigned int order;
	unsigned int nr_pages;
	struct page **pages;
	struct tkho_pos consumed;
	unsigned int first_read;
	bool checked;
	u64 nr_events;
};

/* Per trace array. */
struct trace_kho {
	bool preserve;
	struct list_head cpus;		/* oldest kernel first */
	unsigned int unchecked;		/* CPU buffers not checked yet */
	unsigned long gen;
};

/* Per reader. */
struct tkho_iter {
	unsigned long gen;
	unsigned int nr;
	struct tkho_pos *pos;
	u8 *tmp;
};

static DEFINE_MUTEX(tkho_mutex);
static LIST_HEAD(tkho_segs);
static char tkho_boot_names[256];
static struct trace_kho_root *tkho_root_out;

static int __init trace_kho_setup(char *str)
{
	strscpy(tkho_boot_names, str, sizeof(tkho_boot_names));
	return 1;
}
__setup("trace_kho=", trace_kho_setup);

static const char *tkho_tr_name(struct trace_array *tr)
{
	return tr->name ? tr->name : "";
}

static struct trace_kho *tkho_get(struct trace_array *tr)
{
	struct trace_kho *k = READ_ONCE(tr->kho);

	if (k)
		return k;
	k = kzalloc(sizeof(*k), GFP_KERNEL);
	if (!k)
		return NULL;
	INIT_LIST_HEAD(&k->cpus);
	tr->kho = k;
	return k;
}

/* ---------------------------------------------------------------------- */
/* Reading data pages                                                      */

static u8 *tkho_page(struct tkho_cpu *c, unsigned int i)
{
	return page_address(c->pages[i]);
}

static unsigned long tkho_commit(struct tkho_cpu *c, unsigned int i)
{
	return *(unsigned long *)(tkho_page(c, i) + 8);
}

static unsigned int tkho_data_size(unsigned int order)
{
	return (PAGE_SIZE << order) - TKHO_PAGE_HDR;
}

static void tkho_pos_page(struct tkho_cpu *c, struct tkho_pos *pos,
			  unsigned int page)
{
	pos->page = page;
	pos->off = 0;
	if (page < c->nr_pages)
		pos->ts = *(u64 *)tkho_page(c, page);
}

/*
 * The data event at or after @pos, with its time stamp; @pos is left on
 * it. Also checks what it walks: returns an ERR_PTR on malformed data,
 * NULL at the end.
 */
static void *tkho_peek(struct tkho_cpu *c, struct tkho_pos *pos, u32 *len,
		       u64 *ts)
{
	unsigned int size = tkho_data_size(c->order);

	while (pos->page < c->nr_pages) {
		u8 *data = tkho_page(c, pos->page) + TKHO_PAGE_HDR;
		unsigned long commit = tkho_commit(c, pos->page);
		u32 hdr, type_len, delta, a0 = 0, evlen;

		if (commit > size)
			return ERR_PTR(-EINVAL);
		if (pos->off >= commit) {
			u64 end = pos->ts;

			tkho_pos_page(c, pos, pos->page + 1);
			if (pos->page < c->nr_pages && pos->ts < end)
				return ERR_PTR(-ERANGE);
			continue;
		}
		if (commit - pos->off < 4)
			return ERR_PTR(-EINVAL);
		hdr = *(u32 *)(data + pos->off);
		type_len = hdr & 0x1f;
		delta = hdr >> 5;
		if (type_len == 0 || type_len >= TKHO_TYPE_PADDING) {
			if (commit - pos->off < 8)
				return ERR_PTR(-EINVAL);
			a0 = *(u32 *)(data + pos->off + 4);
		}
		switch (type_len) {
		case TKHO_TYPE_PADDING:
			if (!delta) {
				pos->off = commit;
				continue;
			}
			evlen = a0 + 4;
			break;
		case TKHO_TYPE_TIME_EXTEND:
			/* Time that wraps around would go backwards. */
			if (check_add_overflow(pos->ts,
					       ((u64)a0 << TKHO_TS_SHIFT) | delta,
					       &pos->ts))
				return ERR_PTR(-ERANGE);
			evlen = 8;
			break;
		case TKHO_TYPE_TIME_STAMP: {
			u64 abs = ((u64)a0 << TKHO_TS_SHIFT) | delta;

			if (pos->ts & TKHO_TS_MSB) {
				abs |= pos->ts & TKHO_TS_MSB;
				if (abs < pos->ts &&
				    check_add_overflow(abs, 1ULL << 59, &abs))
					return ERR_PTR(-ERANGE);
			}
			if (abs < pos->ts)
				return ERR_PTR(-ERANGE);
			pos->ts = abs;
			evlen = 8;
			break;
		}
		default:
			evlen = type_len ? 4 + type_len * 4 : 4 + a0;
			if (evlen < 8 + sizeof(struct trace_entry) - 4 * !!type_len ||
			    evlen > commit - pos->off)
				return ERR_PTR(-EINVAL);
			if (check_add_overflow(pos->ts, (u64)delta, ts))
				return ERR_PTR(-ERANGE);
			*len = type_len ? type_len * 4 : a0 - 4;
			return data + pos->off + (type_len ? 4 : 8);
		}
		if (evlen > commit - pos->off || evlen < 4)
			return ERR_PTR(-EINVAL);
		pos->off += evlen;
	}
	return NULL;
}

/* Step over the event @pos is on (after tkho_peek() found it). */
static void tkho_skip(struct tkho_cpu *c, struct tkho_pos *pos)
{
	u8 *data = tkho_page(c, pos->page) + TKHO_PAGE_HDR;
	u32 hdr = *(u32 *)(data + pos->off);
	u32 type_len = hdr & 0x1f;

	pos->ts += hdr >> 5;
	pos->off += type_len ? 4 + type_len * 4 : 4 + *(u32 *)(data + pos->off + 4);
}

/* Check a whole CPU buffer and find where reading starts. */
static int tkho_check_cpu(struct tkho_cpu *c, unsigned int first_read)
{
	struct tkho_pos pos;
	u32 len;
	u64 ts;
	void *ent;

	tkho_pos_page(c, &pos, 0);
	if (c->nr_pages && first_read > tkho_commit(c, 0))
		return -EINVAL;
	/* Replay the consumed part of the first page for its time stamp. */
	while (pos.page == 0 && pos.off < first_read) {
		ent = tkho_peek(c, &pos, &len, &ts);
		if (IS_ERR_OR_NULL(ent) || pos.page)
			return ent ? PTR_ERR(ent) : -EINVAL;
		/* Reading may stop after time stamps, on the data event. */
		if (pos.off >= first_read)
			break;
		tkho_skip(c, &pos);
	}
	if (pos.page == 0 && pos.off != first_read)
		return -EINVAL;
	c->consumed = pos;
	c->nr_events = 0;
	for (;;) {
		ent = tkho_peek(c, &pos, &len, &ts);
		if (!ent)
			return 0;
		if (IS_ERR(ent))
			return PTR_ERR(ent);
		c->nr_events++;
		tkho_skip(c, &pos);
	}
}

static void tkho_cpu_free(struct tkho_cpu *c, bool clear);

/*
 * Check the CPU buffers of @tr that came at boot and were not checked
 * yet. Checking walks every record, in time proportional to the buffers,
 * so boot only takes the pages and the first reader checks them. A buffer
 * that fails is dropped (cleared, with a warning); readers positioned on
 * the list start over.
 */
static void tkho_check_pending(struct trace_array *tr, struct trace_kho *k)
{
	const char *name = tr->name ?: "global";
	struct tkho_cpu *c, *tmp;
	u64 start, events = 0;
	int err;

	lockdep_assert_held(&tkho_mutex);
	if (!k->unchecked)
		return;
	start = local_clock();
	list_for_each_entry_safe(c, tmp, &k->cpus, list) {
		if (c->checked)
			continue;
		k->unchecked--;
		err = tkho_check_cpu(c, c->first_read);
		if (!err) {
			c->checked = true;
			events += c->nr_events;
			continue;
		}
		pr_warn("%s: discarding CPU %d buffer of %s: %s\n", name, c->cpu,
			c->seg->release ?: "?",
			err == -ERANGE ? "time stamps go backwards or overflow" :
			"a commit or an event lies outside its page");
		list_del(&c->list);
		tkho_cpu_free(c, true);
		k->gen++;
	}
	pr_info("%s: %llu records of earlier kernels checked in %llu us\n",
		name, events, div_u64(local_clock() - start, NSEC_PER_USEC));
}

/* ---------------------------------------------------------------------- */
/* Formatting                                                              */

static int tkho_cmp_event(const void *key, const void *elt)
{
	u32 id = *(const u32 *)key;
	const struct tkho_event *e = elt;

	return id < e->id ? -1 : id > e->id;
}

static struct tkho_event *tkho_event(struct tkho_seg *seg, u32 id)
{
	return bsearch(&id, seg->events, seg->nr_events, sizeof(*seg->events),
		       tkho_cmp_event);
}

static const char *tkho_comm_of(struct tkho_seg *seg, u32 pid)
{
	unsigned int i;

	if (!pid)
		return "<idle>";
	for (i = 0; i < seg->nr_comms; i++)
		if (seg->comms[i].pid == pid)
			return seg->comms[i].comm;
	return "<...>";
}

static void tkho_print_sym(struct trace_seq *s, struct tkho_seg *seg, u64 addr,
			   bool offset)
{
	unsigned int lo = 0, hi = seg->nr_syms;

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (seg->syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo || !addr) {
		trace_seq_printf(s, "0x%llx", addr);
		return;
	}
	if (addr == seg->syms[lo - 1].addr || !offset)
		trace_seq_puts(s, seg->syms[lo - 1].name);
	else
		trace_seq_printf(s, "%s+0x%llx", seg->syms[lo - 1].name,
				 addr - seg->syms[lo - 1].addr);
}

static const struct tkho_field *tkho_field(struct tkho_event *e,
					   const char *name)
{
	unsigned int i;

	for (i = 0; i < e->nr_fields; i++)
		if (!strcmp(e->fields[i].name, name))
			return &e->fields[i];
	return NULL;
}

static bool tkho_get_u64(const void *ent, u32 len, const struct tkho_field *f,
			 u64 *val)
{
	if (!f || f->offset + f->size > len)
		return false;
	switch (f->size) {
	case 1:
		*val = f->is_signed ? (u64)*(s8 *)(ent + f->offset) :
				      *(u8 *)(ent + f->offset);
		return true;
	case 2:
		*val = f->is_signed ? (u64)*(s16 *)(ent + f->offset) :
				      *(u16 *)(ent + f->offset);
		return true;
	case 4:
		*val = f->is_signed ? (u64)*(s32 *)(ent + f->offset) :
				      *(u32 *)(ent + f->offset);
		return true;
	case 8:
		*val = *(u64 *)(ent + f->offset);
		return true;
	}
	return false;
}

static void tkho_print_str(struct trace_seq *s, const char *p, u32 max)
{
	trace_seq_printf(s, "%.*s", (int)strnlen(p, max), p);
}

/* An event this kernel cannot print itself: name and raw fields. */
static void tkho_print_raw(struct trace_seq *s, struct tkho_event *e,
			   const void *ent, u32 len)
{
	unsigned int i;
	u64 v;

	trace_seq_printf(s, "%s:", e->name);
	for (i = 0; i < e->nr_fields; i++) {
		const struct tkho_field *f = &e->fields[i];

		if (str_has_prefix(f->name, "common_"))
			continue;
		trace_seq_printf(s, " %s=", f->name);
		if (f->offset + f->size > len) {
			trace_seq_puts(s, "?");
		} else if (str_has_prefix(f->type, "__data_loc") && f->size == 4) {
			u32 loc = *(u32 *)(ent + f->offset);
			u32 off = loc & 0xffff, n = loc >> 16;

			if (off + n <= len)
				tkho_print_str(s, ent + off, n);
			else
				trace_seq_puts(s, "?");
		} else if (strstr(f->type, "char[")) {
			tkho_print_str(s, ent + f->offset, f->size);
		} else if (tkho_get_u64(ent, len, f, &v)) {
			if (f->is_signed)
				trace_seq_printf(s, "%lld", (s64)v);
			else
				trace_seq_printf(s, "%llu", v);
		} else {
			trace_seq_printf(s, "<%u bytes>", f->size);
		}
	}
	trace_seq_putc(s, '\n');
}

/* Do all of @e's fields, and the strings they point to, lie in @len? */
static bool tkho_fits(struct tkho_event *e, const void *ent, u32 len)
{
	unsigned int i;

	for (i = 0; i < e->nr_fields; i++) {
		const struct tkho_field *f = &e->fields[i];

		if (f->offset + f->size > len)
			return false;
		if (str_has_prefix(f->type, "__data_loc") ||
		    str_has_prefix(f->type, "__rel_loc")) {
			u32 loc = f->size == 4 ? *(u32 *)(ent + f->offset) : 0;
			u32 off = loc & 0xffff;

			if (str_has_prefix(f->type, "__rel_loc"))
				off += f->offset + f->size;
			if (f->size != 4 || off + (loc >> 16) > len)
				return false;
		}
	}
	return true;
}

/* ---------------------------------------------------------------------- */
/* Readers                                                                 */

static struct tkho_iter *tkho_iter_get(struct trace_iterator *iter,
				       struct trace_kho *k)
{
	struct tkho_iter *it = iter->kho_cur;
	struct tkho_cpu *c;
	unsigned int i = 0;

	if (it && it->gen == k->gen)
		return it;
	if (!it) {
		it = kzalloc(sizeof(*it), GFP_KERNEL);
		if (!it)
			return NULL;
		it->tmp = kmalloc(PAGE_SIZE, GFP_KERNEL);
		if (!it->tmp) {
			kfree(it);
			return NULL;
		}
		iter->kho_cur = it;
	}
	kfree(it->pos);
	it->nr = 0;
	list_for_each_entry(c, &k->cpus, list)
		it->nr++;
	it->pos = kcalloc(it->nr, sizeof(*it->pos), GFP_KERNEL);
	if (!it->pos) {
		it->nr = 0;
		it->gen = 0;
		return NULL;
	}
	list_for_each_entry(c, &k->cpus, list)
		it->pos[i++] = c->consumed;
	it->gen = k->gen;
	return it;
}

/**
 * trace_kho_next - next record of an earlier kernel for a reader
 * @iter: the reader
 *
 * Earlier kernels' records come first, oldest kernel first, in time
 * order across their CPUs. Sets iter->ent, ->cpu, ->ts and ->kho_ent.
 * Readers that do not consume (the trace files) move on at once;
 * consuming readers (trace_pipe) with trace_kho_consume().
 *
 * Return: true if a record was found.
 */
bool trace_kho_next(struct trace_iterator *iter)
{
	struct trace_kho *k = iter->tr ? READ_ONCE(iter->tr->kho) : NULL;
	struct tkho_cpu *c, *best = NULL;
	struct tkho_pos *bpos = NULL;
	struct tkho_seg *seg = NULL;
	struct tkho_iter *it;
	bool consuming = !iter->buffer_iter;
	u64 ts, best_ts = 0;
	unsigned int i = 0;
	void *ent, *best_ent = NULL;
	u32 len, best_len = 0;

	iter->kho_ent = false;
	if (!k || list_empty(&k->cpus) || irqs_disabled() || iter->snapshot)
		return false;
	mutex_lock(&tkho_mutex);
	tkho_check_pending(iter->tr, k);
	it = tkho_iter_get(iter, k);
	if (!it)
		goto out;
	list_for_each_entry(c, &k->cpus, list) {
		struct tkho_pos *pos = consuming ? &c->consumed : &it->pos[i];

		i++;
		if (seg && c->seg != seg)
			break;
		if (iter->cpu_file != RING_BUFFER_ALL_CPUS &&
		    c->cpu != iter->cpu_file)
			continue;
		ent = tkho_peek(c, pos, &len, &ts);
		if (IS_ERR_OR_NULL(ent))
			continue;
		seg = c->seg;
		if (!best || ts < best_ts) {
			best = c;
			bpos = pos;
			best_ts = ts;
			best_ent = ent;
			best_len = len;
		}
	}
	if (!best)
		goto out;
	iter->ent = best_ent;
	iter->ent_size = best_len;
	iter->cpu = best->cpu;
	iter->ts = best_ts;
	iter->lost_events = 0;
	iter->kho_ent = true;
	iter->kho_src = best;
	if (!consuming)
		tkho_skip(best, bpos);
out:
	mutex_unlock(&tkho_mutex);
	return iter->kho_ent;
}

/* Is the record trace_kho_next() found still there (not dropped since)? */
static bool tkho_src_valid(struct trace_iterator *iter)
{
	struct trace_kho *k = iter->tr ? iter->tr->kho : NULL;
	struct tkho_iter *it = iter->kho_cur;

	lockdep_assert_held(&tkho_mutex);
	return k && it && iter->kho_ent && iter->kho_src && it->gen == k->gen;
}

/**
 * trace_kho_consume - consume the record trace_kho_next() returned
 * @iter: a consuming reader
 */
void trace_kho_consume(struct trace_iterator *iter)
{
	struct tkho_cpu *c = iter->kho_src;
	u32 len;
	u64 ts;

	mutex_lock(&tkho_mutex);
	if (tkho_src_valid(iter) &&
	    !IS_ERR_OR_NULL(tkho_peek(c, &c->consumed, &len, &ts)))
		tkho_skip(c, &c->consumed);
	mutex_unlock(&tkho_mutex);
}

/**
 * trace_kho_pending - does a reader still have earlier kernels' records?
 * @iter: the reader
 *
 * Return: true if so.
 */
bool trace_kho_pending(struct trace_iterator *iter)
{
	struct trace_kho *k = iter->tr ? READ_ONCE(iter->tr->kho) : NULL;
	struct tkho_cpu *c;
	bool ret = false;
	u32 len;
	u64 ts;

	if (!k || list_empty(&k->cpus) || irqs_disabled())
		return false;
	mutex_lock(&tkho_mutex);
	tkho_check_pending(iter->tr, k);
	list_for_each_entry(c, &k->cpus, list) {
		struct tkho_pos pos = c->consumed;

		if ((iter->cpu_file == RING_BUFFER_ALL_CPUS ||
		     c->cpu == iter->cpu_file) &&
		    !IS_ERR_OR_NULL(tkho_peek(c, &pos, &len, &ts))) {
			ret = true;
			break;
		}
	}
	mutex_unlock(&tkho_mutex);
	return ret;
}

/**
 * trace_kho_iter_reset - a non-consuming reader starts over
 * @iter: the reader
 */
void trace_kho_iter_reset(struct trace_iterator *iter)
{
	struct tkho_iter *it = iter->kho_cur;

	if (it)
		it->gen = 0;
}

/**
 * trace_kho_iter_free - a reader goes away
 * @iter: the reader
 */
void trace_kho_iter_free(struct trace_iterator *iter)
{
	struct tkho_iter *it = iter->kho_cur;

	if (!it)
		return;
	kfree(it->pos);
	kfree(it->tmp);
	kfree(it);
	iter->kho_cur = NULL;
}

/**
 * trace_kho_print - print a record of an earlier kernel
 * @iter: the reader, on a record from trace_kho_next()
 *
 * Return: a print_line_t.
 */
enum print_line_t trace_kho_print(struct trace_iterator *iter)
{
	struct tkho_cpu *c = iter->kho_src;
	struct tkho_iter *it = iter->kho_cur;
	struct trace_seq *s = &iter->seq;
	struct trace_entry *ent = iter->ent;
	u32 len = iter->ent_size;
	unsigned long long t = ns2usecs(iter->ts);
	unsigned long rem = do_div(t, USEC_PER_SEC);
	enum print_line_t ret = TRACE_TYPE_HANDLED;
	bool off = iter->tr->trace_flags & TRACE_ITER_SYM_OFFSET;
	struct tkho_event *e;
	u64 v;

	mutex_lock(&tkho_mutex);
	if (!tkho_src_valid(iter)) {
		/* The buffer was reset under us: the record is gone. */
		mutex_unlock(&tkho_mutex);
		return TRACE_TYPE_NO_CONSUME;
	}
	e = tkho_event(c->seg, ent->type);
	trace_seq_printf(s, "%16s-%-7d [%03d] ", tkho_comm_of(c->seg, ent->pid),
			 ent->pid, iter->cpu);
	if (iter->tr->trace_flags & TRACE_ITER_IRQ_INFO)
		trace_print_lat_fmt(s, ent);
	trace_seq_printf(s, " %5llu.%06lu: ", t, rem);
	if (!e) {
		trace_seq_printf(s, "<event %u unknown to its own kernel>\n",
				 ent->type);
	} else if (e->function && tkho_get_u64(ent, len, tkho_field(e, "ip"), &v)) {
		tkho_print_sym(s, c->seg, v, off);
		if (tkho_get_u64(ent, len, tkho_field(e, "parent_ip"), &v)) {
			trace_seq_puts(s, " <-");
			tkho_print_sym(s, c->seg, v, off);
		}
		trace_seq_putc(s, '\n');
	} else if (e->print && tkho_field(e, "buf") &&
		   tkho_get_u64(ent, len, tkho_field(e, "ip"), &v)) {
		const struct tkho_field *f = tkho_field(e, "buf");

		tkho_print_sym(s, c->seg, v, off);
		trace_seq_puts(s, ": ");
		if (f->offset < len)
			tkho_print_str(s, (void *)ent + f->offset, len - f->offset);
		if (s->seq.len && s->buffer[s->seq.len - 1] != '\n')
			trace_seq_putc(s, '\n');
	} else if (e->match && it && len <= PAGE_SIZE && tkho_fits(e, ent, len)) {
		/* Same name and layout: this kernel prints it. */
		memset(it->tmp, 0, PAGE_SIZE);
		memcpy(it->tmp, ent, len);
		((struct trace_entry *)it->tmp)->type = e->match->type;
		iter->ent = (struct trace_entry *)it->tmp;
		ret = e->match->funcs->trace(iter, iter->tr->trace_flags &
					     TRACE_ITER_SYM_MASK, e->match);
		iter->ent = ent;
	} else {
		tkho_print_raw(s, e, ent, len);
	}
	mutex_unlock(&tkho_mutex);
	return trace_seq_has_overflowed(s) ? TRACE_TYPE_PARTIAL_LINE : ret;
}

/* ---------------------------------------------------------------------- */
/* Dropping what earlier kernels left                                       */

static void tkho_seg_put(struct tkho_seg *seg)
{
	unsigned int i, j;

	if (--seg->users)
		return;
	list_del(&seg->list);
	for (i = 0; i < seg->nr_events; i++) {
		for (j = 0; j < seg->events[i].nr_fields; j++) {
			kfree(seg->events[i].fields[j].name);
			kfree(seg->events[i].fields[j].type);
		}
		kfree(seg->events[i].fields);
		kfree(seg->events[i].name);
	}
	for (i = 0; i < seg->nr_syms; i++)
		kfree(seg->syms[i].name);
	kvfree(seg->events);
	kvfree(seg->syms);
	kvfree(seg->comms);
	kfree(seg->release);
	kfree(seg);
}

static void tkho_cpu_free(struct tkho_cpu *c, bool clear)
{
	unsigned int i, j;

	for (i = 0; i < c->nr_pages; i++)
		for (j = 0; j < (1U << c->order); j++) {
			if (clear)
				clear_highpage(c->pages[i] + j);
			__free_page(c->pages[i] + j);
		}
	kvfree(c->pages);
	if (c->seg)
		tkho_seg_put(c->seg);
	kfree(c);
}

/**
 * trace_kho_drop - free the records of earlier kernels of a trace array
 * @tr: the trace array, being reset, resized or removed
 */
void trace_kho_drop(struct trace_array *tr)
{
	struct trace_kho *k = tr ? READ_ONCE(tr->kho) : NULL;
	struct tkho_cpu *c, *tmp;
	unsigned long pages = 0;

	if (!k || list_empty(&k->cpus))
		return;
	mutex_lock(&tkho_mutex);
	list_for_each_entry_safe(c, tmp, &k->cpus, list) {
		pages += (unsigned long)c->nr_pages << c->order;
		list_del(&c->list);
		tkho_cpu_free(c, false);
	}
	k->unchecked = 0;
	k->gen++;
	mutex_unlock(&tkho_mutex);
	pr_info("%s: freed %lu pages of earlier kernels' records\n",
		tr->name ?: "global", pages);
}

/**
 * trace_kho_remove - a trace array goes away
 * @tr: the trace array
 */
void trace_kho_remove(struct trace_array *tr)
{
	trace_kho_drop(tr);
	kfree(tr->kho);
	tr->kho = NULL;
}

/* ---------------------------------------------------------------------- */
/* The stream
 *
 *   stream := u32 nr_segs, seg...              oldest kernel first
 *   seg    := str release, u32 nr_events, event..., u32 nr_syms, sym...,
 *             u32 nr_comms, comm..., u32 nr_bufs, buf...
 *   event  := u32 id, str "system:name", u16 nr_fields, field...
 *   field  := u16 offset, u16 size, u8 is_signed, str name, str type
 *   sym    := u64 address, str name            ascending addresses
 *   comm   := u32 pid, str comm
 *   buf    := str array name ("" for the top level), u32 page order,
 *             u32 nr_cpus, cpu...
 *   cpu    := u32 length, u32 cpu, u32 first_read, u32 nr_pages,
 *             u64 phys...                  length: bytes after itself
 *   str    := u16 length, bytes (no NUL)
 *
 * Native byte order, no padding. Pages are ring buffer data pages in
 * read order; first_read is the offset of the first unread event in the
 * first page. The length in front of each CPU record (new in v2) lets a
 * reader drop one bad record and go on with the next.
 */

struct tkho_w {
	u8 *buf;
	size_t len, cap;
	bool oom;
};

static void tkho_corrupt(struct tkho_w *w, size_t phys_at, struct page **pages,
			 unsigned int nr);
static void tkho_test_event(char *name, size_t size, const char *field,
			    u16 *offset, const char **type);
static unsigned int tkho_test_arrays(struct tkho_w *w);

static void tkho_put(struct tkho_w *w, const void *p, size_t n)
{
	if (w->oom)
		return;
	if (w->len + n > w->cap) {
		size_t cap = max(w->cap * 2, w->len + n + PAGE_SIZE);
		u8 *nb = kvmalloc(cap, GFP_KERNEL);

		if (!nb) {
			w->oom = true;
			return;
		}
		if (w->buf)
			memcpy(nb, w->buf, w->len);
		kvfree(w->buf);
		w->buf = nb;
		w->cap = cap;
	}
	memcpy(w->buf + w->len, p, n);
	w->len += n;
}

static void tkho_put_u16(struct tkho_w *w, u16 v) { tkho_put(w, &v, 2); }
static void tkho_put_u32(struct tkho_w *w, u32 v) { tkho_put(w, &v, 4); }
static void tkho_put_u64(struct tkho_w *w, u64 v) { tkho_put(w, &v, 8); }

static void tkho_put_str(struct tkho_w *w, const char *str)
{
	u16 n = min_t(size_t, strlen(str), U16_MAX);

	tkho_put_u16(w, n);
	tkho_put(w, str, n);
}

static void tkho_put_seg_tables(struct tkho_w *w, struct tkho_seg *seg)
{
	unsigned int i, j;

	tkho_put_str(w, seg->release);
	tkho_put_u32(w, seg->nr_events);
	for (i = 0; i < seg->nr_events; i++) {
		struct tkho_event *e = &seg->events[i];

		tkho_put_u32(w, e->id);
		tkho_put_str(w, e->name);
		tkho_put_u16(w, e->nr_fields);
		for (j = 0; j < e->nr_fields; j++) {
			tkho_put_u16(w, e->fields[j].offset);
			tkho_put_u16(w, e->fields[j].size);
			tkho_put(w, &e->fields[j].is_signed, 1);
			tkho_put_str(w, e->fields[j].name);
			tkho_put_str(w, e->fields[j].type);
		}
	}
	tkho_put_u32(w, seg->nr_syms);
	for (i = 0; i < seg->nr_syms; i++) {
		tkho_put_u64(w, seg->syms[i].addr);
		tkho_put_str(w, seg->syms[i].name);
	}
	tkho_put_u32(w, seg->nr_comms);
	for (i = 0; i < seg->nr_comms; i++) {
		tkho_put_u32(w, seg->comms[i].pid);
		tkho_put_str(w, seg->comms[i].comm);
	}
}

/* This kernel's tables, written straight from the live state. */
static void tkho_put_events_now(struct tkho_w *w)
{
	struct trace_event_call *call;
	struct ftrace_event_field *f;
	struct list_head *head;
	u32 n = 0;
	size_t at;
	u16 nf;

	lockdep_assert_held(&event_mutex);
	at = w->len;
	tkho_put_u32(w, 0);
	list_for_each_entry(call, &ftrace_events, list) {
		const char *sys = call->class && call->class->system ?
				  call->class->system : "unknown";
		char name[128];

		if (!call->event.type)
			continue;
		snprintf(name, sizeof(name), "%s:%s", sys, trace_event_name(call));
		tkho_test_event(name, sizeof(name), NULL, NULL, NULL);
		tkho_put_u32(w, call->event.type);
		tkho_put_str(w, name);
		head = trace_get_fields(call);
		nf = 0;
		list_for_each_entry(f, head, link)
			nf++;
		tkho_put_u16(w, nf);
		list_for_each_entry_reverse(f, head, link) {
			u8 sgn = f->is_signed;
			u16 off = f->offset;
			const char *type = f->type;

			tkho_test_event(name, sizeof(name), f->name, &off, &type);
			tkho_put_u16(w, off);
			tkho_put_u16(w, f->size);
			tkho_put(w, &sgn, 1);
			tkho_put_str(w, f->name);
			tkho_put_str(w, type);
		}
		n++;
	}
	if (!w->oom)
		memcpy(w->buf + at, &n, 4);
}

struct tkho_symcollect {
	struct tkho_sym *syms;
	unsigned int nr, cap;
	bool oom;
};

static int tkho_collect_sym(void *data, const char *name, unsigned long addr)
{
	struct tkho_symcollect *sc = data;

	if (!core_kernel_text(addr) || sc->oom)
		return 0;
	if (sc->nr == sc->cap) {
		unsigned int cap = max(2 * sc->cap, 4096U);
		struct tkho_sym *n = kvmalloc_array(cap, sizeof(*n), GFP_KERNEL);

		if (!n) {
			sc->oom = true;
			return 0;
		}
		if (sc->syms)
			memcpy(n, sc->syms, sc->nr * sizeof(*n));
		kvfree(sc->syms);
		sc->syms = n;
		sc->cap = cap;
	}
	/* @name is kallsyms' buffer, reused for the next symbol. */
	sc->syms[sc->nr].name = kstrdup(name, GFP_KERNEL);
	if (!sc->syms[sc->nr].name) {
		sc->oom = true;
		return 0;
	}
	sc->syms[sc->nr++].addr = addr;
	return 0;
}

static int tkho_cmp_sym(const void *a, const void *b)
{
	const struct tkho_sym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static void tkho_put_syms_now(struct tkho_w *w)
{
	struct tkho_symcollect sc = {};
	unsigned int i;

	kallsyms_on_each_symbol(tkho_collect_sym, &sc);
	sort(sc.syms, sc.nr, sizeof(*sc.syms), tkho_cmp_sym, NULL);
	tkho_put_u32(w, sc.oom ? 0 : sc.nr);
	for (i = 0; i < sc.nr; i++) {
		if (!sc.oom) {
			tkho_put_u64(w, sc.syms[i].addr);
			tkho_put_str(w, sc.syms[i].name);
		}
		kfree(sc.syms[i].name);
	}
	kvfree(sc.syms);
}

/*
 * The kernel's text symbols, as they go into the stream, are the same for
 * every kexec (module text is never handed over): they are gathered once,
 * when a trace array is first marked for handover, not at the kexec.
 */
static struct tkho_w tkho_syms_cache;

static void tkho_syms_prepare_locked(void)
{
	lockdep_assert_held(&tkho_mutex);
	if (tkho_syms_cache.len && !tkho_syms_cache.oom)
		return;
	kvfree(tkho_syms_cache.buf);
	memset(&tkho_syms_cache, 0, sizeof(tkho_syms_cache));
	tkho_put_syms_now(&tkho_syms_cache);
}

static void tkho_syms_prepare(void)
{
	mutex_lock(&tkho_mutex);
	tkho_syms_prepare_locked();
	mutex_unlock(&tkho_mutex);
}

static void tkho_syms_work_fn(struct work_struct *work)
{
	tkho_syms_prepare();
}
static DECLARE_WORK(tkho_syms_work, tkho_syms_work_fn);

static void tkho_put_syms(struct tkho_w *w)
{
	mutex_lock(&tkho_mutex);
	tkho_syms_prepare_locked();
	if (tkho_syms_cache.oom)
		tkho_put_u32(w, 0);
	else
		tkho_put(w, tkho_syms_cache.buf, tkho_syms_cache.len);
	mutex_unlock(&tkho_mutex);
}

static void tkho_put_comms_now(struct tkho_w *w)
{
	char comm[TASK_COMM_LEN];
	size_t at = w->len;
	u32 pid, n = 0;

	tkho_put_u32(w, 0);
	for (pid = 1; pid < PID_MAX_DEFAULT; pid++) {
		trace_find_cmdline(pid, comm);
		if (!strcmp(comm, "<...>"))
			continue;
		tkho_put_u32(w, pid);
		tkho_put_str(w, comm);
		n++;
	}
	if (!w->oom)
		memcpy(w->buf + at, &n, 4);
}

static bool tkho_boot_wants(struct trace_array *tr)
{
	const char *want = tr->name ?: "global";
	char names[sizeof(tkho_boot_names)], *p = names, *tok;

	strscpy(names, tkho_boot_names, sizeof(names));
	while ((tok = strsep(&p, ",")))
		if (!strcmp(tok, want))
			return true;
	return false;
}

static bool tkho_wanted(struct trace_array *tr)
{
	return (tr->kho && tr->kho->preserve) || tkho_boot_wants(tr);
}

/*
 * One CPU record: preserve the pages in place and list them. @phys_at
 * (optional) gets the stream offset of the first address.
 */
static int tkho_put_cpu(struct tkho_w *w, u32 cpu, u32 first_read,
			struct page **pages, unsigned int nr,
			unsigned int order, size_t *phys_at)
{
	size_t at = w->len;
	unsigned int i;
	u32 len;
	int err;

	tkho_put_u32(w, 0);
	tkho_put_u32(w, cpu);
	tkho_put_u32(w, first_read);
	tkho_put_u32(w, nr);
	if (phys_at)
		*phys_at = w->len;
	for (i = 0; i < nr; i++) {
		err = kho_preserve_pages(pages[i], 1U << order);
		if (err)
			return err;
		tkho_put_u64(w, page_to_phys(pages[i]));
	}
	len = w->len - at - 4;
	if (!w->oom)
		memcpy(w->buf + at, &len, 4);
	return 0;
}

struct tkho_walk {
	struct page **pages;
	unsigned int nr, cap, first_read;
};

/* Called under the ring buffer's reader lock: no allocation here. */
static int tkho_walk_page(void *page, unsigned int read, void *arg)
{
	struct tkho_walk *wk = arg;

	if (wk->nr == wk->cap)
		return -ENOSPC;
	if (!wk->nr)
		wk->first_read = read;
	wk->pages[wk->nr++] = virt_to_page(page);
	return 0;
}

/* Older kernels' records that @tr still holds, for segment @seg. */
static int tkho_put_old_buf(struct tkho_w *w, struct trace_array *tr,
			    struct tkho_seg *seg)
{
	struct tkho_cpu *c;
	size_t at;
	u32 n = 0;
	int err;

	tkho_put_str(w, tkho_tr_name(tr));
	c = list_first_entry(&tr->kho->cpus, struct tkho_cpu, list);
	list_for_each_entry(c, &tr->kho->cpus, list)
		if (c->seg == seg)
			break;
	tkho_put_u32(w, c->order);
	at = w->len;
	tkho_put_u32(w, 0);
	list_for_each_entry(c, &tr->kho->cpus, list) {
		/* Unread and unchecked: on as it came (the next one checks). */
		struct tkho_pos pos = {
			.off = c->first_read,
		};

		if (c->checked)
			pos = c->consumed;
		if (c->seg != seg || pos.page >= c->nr_pages)
			continue;
		err = tkho_put_cpu(w, c->cpu, pos.off, c->pages + pos.page,
				   c->nr_pages - pos.page, c->order, NULL);
		if (err)
			return err;
		n++;
	}
	if (!w->oom)
		memcpy(w->buf + at, &n, 4);
	return 0;
}

static bool tkho_has_seg(struct trace_array *tr, struct tkho_seg *seg)
{
	struct tkho_cpu *c;

	if (!tr->kho)
		return false;
	list_for_each_entry(c, &tr->kho->cpus, list)
		if (c->seg == seg)
			return true;
	return false;
}

static int tkho_put_live_buf(struct tkho_w *w, struct trace_array *tr,
			     bool first)
{
	struct trace_buffer *buffer = tr->array_buffer.buffer;
	struct tkho_walk wk = {};
	unsigned int order = ring_buffer_subbuf_order_get(buffer);
	size_t at, nr_at;
	u32 n = 0;
	int cpu, err = 0;

	tkho_put_str(w, tkho_tr_name(tr));
	tkho_put_u32(w, order);
	nr_at = w->len;
	tkho_put_u32(w, 0);
	for_each_online_cpu(cpu) {
		unsigned int cap = ring_buffer_size(buffer, cpu) /
				   tkho_data_size(order) + 2;

		if (cap > wk.cap) {
			kvfree(wk.pages);
			wk.pages = kvmalloc_array(cap, sizeof(*wk.pages),
						  GFP_KERNEL);
			wk.cap = wk.pages ? cap : 0;
			if (!wk.pages) {
				err = -ENOMEM;
				break;
			}
		}
		wk.nr = 0;
		err = ring_buffer_kho_walk(buffer, cpu, tkho_walk_page, &wk);
		if (err)
			break;
		if (!wk.nr)
			continue;
		err = tkho_put_cpu(w, cpu, wk.first_read, wk.pages, wk.nr,
				   order, &at);
		if (err)
			break;
		if (!n++ && !w->oom && first)
			tkho_corrupt(w, at, wk.pages, wk.nr);
	}
	kvfree(wk.pages);
	if (!w->oom)
		memcpy(w->buf + nr_at, &n, 4);
	return err;
}

static int tkho_serialize(void)
{
	struct trace_array *tr, *arrays[16];
	struct tkho_w w = {};
	struct tkho_seg *seg;
	unsigned int nr = 0, i, nsegs = 0;
	size_t at;
	void *area;
	int err = 0;

	lockdep_assert_held(&trace_types_lock);
	list_for_each_entry(tr, &ftrace_trace_arrays, list) {
		if (!tkho_wanted(tr))
			continue;
		if (tr->flags & TRACE_ARRAY_FL_BOOT) {
			pr_warn("%s: boot-mapped buffers are not handed over\n",
				tkho_tr_name(tr));
			continue;
		}
		if (nr == ARRAY_SIZE(arrays)) {
			pr_warn("%s: not handed over, at most %zu arrays are\n",
				tkho_tr_name(tr), ARRAY_SIZE(arrays));
			continue;
		}
		arrays[nr++] = tr;
	}
	if (!nr)
		return 0;
	/* Nothing is written into these buffers any more. */
	for (i = 0; i < nr; i++)
		ring_buffer_record_disable(arrays[i]->array_buffer.buffer);
	synchronize_rcu();

	mutex_lock(&tkho_mutex);
	tkho_put_u32(&w, 0);
	list_for_each_entry(seg, &tkho_segs, list) {
		u32 nb = 0;

		tkho_put_seg_tables(&w, seg);
		at = w.len;
		tkho_put_u32(&w, 0);
		for (i = 0; i < nr && !err; i++) {
			if (!tkho_has_seg(arrays[i], seg))
				continue;
			err = tkho_put_old_buf(&w, arrays[i], seg);
			nb++;
		}
		if (!w.oom)
			memcpy(w.buf + at, &nb, 4);
		nsegs++;
	}
	mutex_unlock(&tkho_mutex);

	tkho_put_str(&w, init_utsname()->release);
	tkho_put_events_now(&w);
	tkho_put_syms(&w);
	tkho_put_comms_now(&w);
	at = w.len;
	tkho_put_u32(&w, nr);
	for (i = 0; i < nr && !err; i++)
		err = tkho_put_live_buf(&w, arrays[i], !i);
	i = nr + tkho_test_arrays(&w);
	if (!w.oom)
		memcpy(w.buf + at, &i, 4);
	nsegs++;
	if (!w.oom)
		memcpy(w.buf, &nsegs, 4);
	if (w.oom)
		err = -ENOMEM;
	if (err)
		goto out;

	area = vmalloc(w.len);
	if (!area) {
		err = -ENOMEM;
		goto out;
	}
	memcpy(area, w.buf, w.len);
	err = kho_preserve_vmalloc(area, &tkho_root_out->data);
	if (err) {
		vfree(area);
		goto out;
	}
	tkho_root_out->size = w.len;
	pr_info("handing over %u trace arrays (%zu bytes of metadata)\n", nr,
		w.len);
out:
	kvfree(w.buf);
	return err;
}

static int tkho_reboot(struct notifier_block *nb, unsigned long code,
		       void *unused)
{
	int err;

	if (code != SYS_RESTART || !kexec_in_progress || !tkho_root_out)
		return NOTIFY_DONE;
	/* The tracing core's order: event_mutex, then trace_types_lock. */
	mutex_lock(&event_mutex);
	mutex_lock(&trace_types_lock);
	err = tkho_serialize();
	mutex_unlock(&trace_types_lock);
	mutex_unlock(&event_mutex);
	if (err)
		pr_warn("trace buffers not handed over: %d\n", err);
	return NOTIFY_DONE;
}

static struct notifier_block tkho_reboot_nb = {
	.notifier_call = tkho_reboot,
};

/* ---------------------------------------------------------------------- */
/* What the previous kernel handed over                                    */

struct tkho_r {
	const u8 *p;
	size_t left;
	bool bad;
	bool framed;		/* v2: CPU records carry their length */
	unsigned int new_arrays;
};

static bool tkho_take(struct tkho_r *r, void *dst, size_t n)
{
	if (r->bad || r->left < n) {
		r->bad = true;
		memset(dst, 0, n);
		return false;
	}
	memcpy(dst, r->p, n);
	r->p += n;
	r->left -= n;
	return true;
}

static u32 tkho_take_u32(struct tkho_r *r)
{
	u32 v;

	tkho_take(r, &v, 4);
	return v;
}

static u16 tkho_take_u16(struct tkho_r *r)
{
	u16 v;

	tkho_take(r, &v, 2);
	return v;
}

static char *tkho_take_str(struct tkho_r *r)
{
	u16 n = tkho_take_u16(r);
	char *s;

	if (r->bad || r->left < n) {
		r->bad = true;
		return NULL;
	}
	s = kmemdup_nul((const char *)r->p, n, GFP_KERNEL);
	if (!s || strlen(s) != n) {
		kfree(s);
		r->bad = true;
		return NULL;
	}
	r->p += n;
	r->left -= n;
	return s;
}

/* This kernel's events by "system:name", to match old events against. */
struct tkho_call {
	char name[128];
	struct trace_event_call *call;
};

static int tkho_cmp_call(const void *a, const void *b)
{
	return strcmp(((const struct tkho_call *)a)->name,
		      ((const struct tkho_call *)b)->name);
}

/*
 * The events old records may be printed by, sorted by name (dynamic
 * events can go away under the records: not those). Under event_mutex.
 */
static struct tkho_call *tkho_calls(unsigned int *nr)
{
	struct trace_event_call *call;
	struct tkho_call *calls;
	unsigned int n = 0;

	lockdep_assert_held(&event_mutex);
	list_for_each_entry(call, &ftrace_events, list)
		n++;
	calls = kvmalloc_array(n, sizeof(*calls), GFP_KERNEL);
	if (!calls)
		return NULL;
	*nr = 0;
	list_for_each_entry(call, &ftrace_events, list) {
		if (!call->event.type || !call->class || !call->class->system ||
		    (call->flags & TRACE_EVENT_FL_DYNAMIC) || *nr == n)
			continue;
		snprintf(calls[*nr].name, sizeof(calls[*nr].name), "%s:%s",
			 call->class->system, trace_event_name(call));
		calls[(*nr)++].call = call;
	}
	sort(calls, *nr, sizeof(*calls), tkho_cmp_call, NULL);
	return calls;
}

static int tkho_cmp_call_name(const void *key, const void *elt)
{
	return strcmp(key, ((const struct tkho_call *)elt)->name);
}

/*
 * Does this kernel's event print old records of @e unchanged? Every field
 * must have the same name, offset, size, signedness and declared type
 * (an integer that became a string would send the formatter elsewhere),
 * and no field may point to a string: the old kernel's pointers mean
 * nothing here, and printing them with %s trips the string checks.
 */
static struct trace_event *tkho_match(struct tkho_event *e,
				      const struct tkho_call *calls,
				      unsigned int nr_calls)
{
	const struct tkho_call *c;
	struct ftrace_event_field *f;
	unsigned int n = 0, i;

	c = bsearch(e->name, calls, nr_calls, sizeof(*calls),
		    tkho_cmp_call_name);
	if (!c)
		return NULL;
	list_for_each_entry(f, trace_get_fields(c->call), link) {
		for (i = 0; i < e->nr_fields; i++)
			if (!strcmp(e->fields[i].name, f->name))
				break;
		if (i == e->nr_fields || e->fields[i].offset != f->offset ||
		    e->fields[i].size != f->size ||
		    e->fields[i].is_signed != f->is_signed ||
		    strcmp(e->fields[i].type, f->type) ||
		    strstr(f->type, "char *"))
			return NULL;
		n++;
	}
	return n == e->nr_fields && c->call->event.funcs &&
	       c->call->event.funcs->trace ? &c->call->event : NULL;
}

static int tkho_take_tables(struct tkho_r *r, struct tkho_seg *seg)
{
	unsigned int i, j;

	unsigned int n;

	/* A count is only stored with its array: seg_put() walks them. */
	seg->release = tkho_take_str(r);
	n = tkho_take_u32(r);
	if (r->bad || n > 65536)
		return -EINVAL;
	seg->events = kvcalloc(n, sizeof(*seg->events), GFP_KERNEL);
	if (!seg->events && n)
		return -ENOMEM;
	seg->nr_events = n;
	for (i = 0; i < seg->nr_events && !r->bad; i++) {
		struct tkho_event *e = &seg->events[i];

		e->id = tkho_take_u32(r);
		e->name = tkho_take_str(r);
		n = tkho_take_u16(r);
		if (r->bad || n > 256)
			return -EINVAL;
		e->fields = kcalloc(n, sizeof(*e->fields), GFP_KERNEL);
		if (!e->fields && n)
			return -ENOMEM;
		e->nr_fields = n;
		for (j = 0; j < e->nr_fields && !r->bad; j++) {
			struct tkho_field *f = &e->fields[j];
			u8 sgn = 0;

			f->offset = tkho_take_u16(r);
			f->size = tkho_take_u16(r);
			tkho_take(r, &sgn, 1);
			f->is_signed = sgn;
			f->name = tkho_take_str(r);
			f->type = tkho_take_str(r);
		}
		e->function = e->name && !strcmp(e->name, "ftrace:function");
		e->print = e->name && !strcmp(e->name, "ftrace:print");
	}
	n = tkho_take_u32(r);
	if (r->bad || n > (1U << 22))
		return -EINVAL;
	seg->syms = kvcalloc(n, sizeof(*seg->syms), GFP_KERNEL);
	if (!seg->syms && n)
		return -ENOMEM;
	seg->nr_syms = n;
	for (i = 0; i < seg->nr_syms && !r->bad; i++) {
		tkho_take(r, &seg->syms[i].addr, 8);
		seg->syms[i].name = tkho_take_str(r);
		if (i && seg->syms[i].addr < seg->syms[i - 1].addr)
			r->bad = true;
	}
	n = tkho_take_u32(r);
	if (r->bad || n > PID_MAX_DEFAULT)
		return -EINVAL;
	seg->comms = kvcalloc(n, sizeof(*seg->comms), GFP_KERNEL);
	if (!seg->comms && n)
		return -ENOMEM;
	seg->nr_comms = n;
	for (i = 0; i < seg->nr_comms && !r->bad; i++) {
		char *c;

		seg->comms[i].pid = tkho_take_u32(r);
		c = tkho_take_str(r);
		if (c)
			strscpy(seg->comms[i].comm, c, TASK_COMM_LEN);
		kfree(c);
	}
	return r->bad ? -EINVAL : 0;
}

static int tkho_cmp_id(const void *a, const void *b)
{
	const struct tkho_event *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* Free pages handed over whose contents nobody may read. */
static void tkho_free_pages_cleared(struct page **pages, unsigned int nr,
				    unsigned int order)
{
	unsigned int i, j;

	for (i = 0; i < nr; i++)
		for (j = 0; pages[i] && j < (1U << order); j++) {
			clear_highpage(pages[i] + j);
			__free_page(pages[i] + j);
		}
}

/*
 * Take one CPU buffer back from @r, which holds exactly its record in v2
 * (cut out by the caller) or the rest of the stream in v1. A bad buffer
 * is dropped with a warning (NULL); an ERR_PTR means the stream itself
 * cannot be read further.
 */
static struct tkho_cpu *tkho_take_cpu(struct tkho_r *r, struct tkho_seg *seg,
				      const char *tr_name, unsigned int order)
{
	struct tkho_cpu *c;
	unsigned int i, first_read, listed;
	const char *why = NULL;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return ERR_PTR(-ENOMEM);
	c->order = order;
	c->cpu = tkho_take_u32(r);
	first_read = tkho_take_u32(r);
	c->nr_pages = tkho_take_u32(r);
	listed = c->nr_pages;
	if (r->framed && !r->bad && r->left != (size_t)c->nr_pages * 8) {
		/* Take what the record lists, to clear and free it. */
		why = "its page count does not match its page list";
		listed = r->left / 8;
	}
	if (r->bad || listed > totalram_pages() || c->cpu >= 65536) {
		if (r->framed)
			pr_warn("%s: discarding a CPU buffer record of %s: %s\n",
				tr_name[0] ? tr_name : "global",
				seg->release ?: "?",
				r->bad ? "too short" : "bad CPU or page count");
		kfree(c);
		return r->framed ? NULL : ERR_PTR(-EINVAL);
	}
	c->pages = kvcalloc(listed, sizeof(*c->pages), GFP_KERNEL);
	if (!c->pages && listed) {
		kfree(c);
		return ERR_PTR(-ENOMEM);
	}
	for (i = 0; i < listed; i++) {
		u64 phys = 0;

		tkho_take(r, &phys, 8);
		c->pages[i] = r->bad ? NULL : kho_restore_pages(phys, 1U << order);
		if (!c->pages[i] && !why)
			why = "a page is not preserved memory";
	}
	if (r->bad)
		why = "truncated";
	else if (!why && c->nr_pages && first_read > tkho_commit(c, 0))
		why = "a commit or an event lies outside its page";
	if (why) {
		pr_warn("%s: discarding CPU %d buffer of %s: %s\n",
			tr_name[0] ? tr_name : "global", c->cpu,
			seg->release ?: "?", why);
		/* Whatever these pages held, nobody else gets to read it. */
		tkho_free_pages_cleared(c->pages, listed, order);
		kvfree(c->pages);
		kfree(c);
		return r->bad && !r->framed ? ERR_PTR(-EINVAL) : NULL;
	}
	/* Its records are checked when first read: tkho_check_pending(). */
	c->first_read = first_read;
	c->seg = seg;
	seg->users++;
	return c;
}

/* Does @c hold anything to read? (Cheap: the records are not checked.) */
static bool tkho_cpu_has_data(struct tkho_cpu *c)
{
	return c->nr_pages > 1 ||
	       (c->nr_pages && tkho_commit(c, 0) > c->first_read);
}

/* One CPU record of @r; v2 records are cut out by their length. */
static struct tkho_cpu *tkho_take_cpu_rec(struct tkho_r *r,
					  struct tkho_seg *seg,
					  const char *tr_name,
					  unsigned int order)
{
	struct tkho_r rec = { .framed = true };
	u32 len;

	if (!r->framed)
		return tkho_take_cpu(r, seg, tr_name, order);
	len = tkho_take_u32(r);
	if (r->bad || len > r->left) {
		r->bad = true;
		return ERR_PTR(-EINVAL);
	}
	rec.p = r->p;
	rec.left = len;
	r->p += len;
	r->left -= len;
	return tkho_take_cpu(&rec, seg, tr_name, order);
}

/* A name the tracing core can make an instance of. */
static bool tkho_array_name_ok(const char *name)
{
	const char *p;

	if (strlen(name) > NAME_MAX || !strcmp(name, ".") ||
	    !strcmp(name, ".."))
		return false;
	for (p = name; *p; p++)
		if (*p == '/' || !isprint(*p))
			return false;
	return true;
}

/*
 * The trace array named @name; an instance is created for it only when
 * it does not exist yet and the handover's allowance is not used up.
 */
static struct trace_array *tkho_array(struct tkho_r *r, const char *name)
{
	struct trace_array *tr;

	if (!name[0])
		return top_trace_array();
	if (!tkho_array_name_ok(name))
		return NULL;
	tr = trace_array_find_get(name);
	if (!tr) {
		if (r->new_arrays >= TKHO_MAX_NEW_ARRAYS) {
			pr_warn("%s: not created, a handover creates at most %d trace arrays\n",
				name, TKHO_MAX_NEW_ARRAYS);
			return NULL;
		}
		tr = trace_array_get_by_name(name, NULL);
		if (!tr)
			return NULL;
		r->new_arrays++;
	}
	trace_array_put(tr);
	return tr;
}

static int tkho_take_bufs(struct tkho_r *r, struct tkho_seg *seg)
{
	u32 nb = tkho_take_u32(r), b, ncpu, i;

	if (r->bad || nb > 64)
		return -EINVAL;
	for (b = 0; b < nb; b++) {
		char *name = tkho_take_str(r);
		u32 order = tkho_take_u32(r);
		struct tkho_cpu *c, *tmp;
		struct trace_array *tr;
		struct trace_kho *k;
		LIST_HEAD(cpus);
		unsigned long pages = 0;
		unsigned int nr = 0;
		bool data = false;
		int err = 0;

		ncpu = tkho_take_u32(r);
		if (r->bad || !name || order > MAX_PAGE_ORDER || ncpu > 65536) {
			kfree(name);
			return -EINVAL;
		}
		for (i = 0; i < ncpu; i++) {
			c = tkho_take_cpu_rec(r, seg, name, order);
			if (IS_ERR(c)) {
				err = PTR_ERR(c);
				break;
			}
			if (c) {
				data |= tkho_cpu_has_data(c);
				pages += (unsigned long)c->nr_pages << order;
				nr++;
				list_add_tail(&c->list, &cpus);
			}
		}
		/* Only an array with records to show is looked up or made. */
		tr = !err && data ? tkho_array(r, name) : NULL;
		k = tr ? tkho_get(tr) : NULL;
		if (k) {
			list_splice_tail(&cpus, &k->cpus);
			k->unchecked += nr;
			k->gen++;
			pr_info("%s: records of %s on %u CPUs, %lu pages (checked when first read)\n",
				name[0] ? name : "global",
				seg->release ?: "?", nr, pages);
		} else if (nr) {
			if (!err && data)
				pr_warn("%s: dropping %lu pages of records of %s: no trace array for them\n",
					name, pages, seg->release ?: "?");
			/* Nobody can read them: clear them. */
			list_for_each_entry_safe(c, tmp, &cpus, list)
				tkho_cpu_free(c, true);
		}
		kfree(name);
		if (err)
			return err;
	}
	return 0;
}

static void tkho_incoming(void)
{
	struct trace_kho_root root;
	struct tkho_call *calls;
	unsigned int nr_calls = 0;
	struct tkho_r r = {};
	u32 nsegs, i;
	void *area;
	u64 start;
	int err;

	err = kho_copy_subtree(TRACE_KHO_NODE, &root, sizeof(root));
	if (err == -ENOENT)
		return;
	if (err) {
		pr_warn("ignoring the trace handover: its root is malformed\n");
		return;
	}
	if (!strncmp(root.compatible, TRACE_KHO_COMPATIBLE_V1,
		     sizeof(root.compatible))) {
		r.framed = false;
	} else if (!strncmp(root.compatible, TRACE_KHO_COMPATIBLE,
			    sizeof(root.compatible))) {
		r.framed = true;
	} else {
		pr_warn("ignoring the trace handover: format \"%.*s\" is not %s\n",
			(int)strnlen(root.compatible, sizeof(root.compatible)),
			root.compatible, TRACE_KHO_COMPATIBLE);
		return;
	}
	if (!root.size)
		return;
	start = local_clock();
	area = kho_restore_vmalloc(&root.data);
	if (!area || (u64)root.data.total_pages << PAGE_SHIFT < root.size) {
		pr_warn("ignoring the trace handover: its metadata is not preserved memory\n");
		kho_restore_vfree(area, &root.data);
		return;
	}
	r.p = area;
	r.left = root.size;
	nsegs = tkho_take_u32(&r);
	err = nsegs > 64 ? -EINVAL : 0;
	/* This kernel's events, indexed once for every segment. */
	mutex_lock(&event_mutex);
	calls = err ? NULL : tkho_calls(&nr_calls);
	mutex_unlock(&event_mutex);
	for (i = 0; i < nsegs && !err; i++) {
		struct tkho_seg *seg = kzalloc(sizeof(*seg), GFP_KERNEL);
		unsigned int j;

		if (!seg) {
			err = -ENOMEM;
			break;
		}
		seg->users = 1;
		list_add_tail(&seg->list, &tkho_segs);
		err = tkho_take_tables(&r, seg);
		if (!err) {
			sort(seg->events, seg->nr_events, sizeof(*seg->events),
			     tkho_cmp_id, NULL);
			for (j = 1; j < seg->nr_events; j++)
				if (seg->events[j].id == seg->events[j - 1].id)
					err = -EINVAL;
			mutex_lock(&event_mutex);
			for (j = 0; calls && j < seg->nr_events; j++)
				seg->events[j].match =
					tkho_match(&seg->events[j], calls,
						   nr_calls);
			mutex_unlock(&event_mutex);
			if (!err)
				err = tkho_take_bufs(&r, seg);
		}
		mutex_lock(&tkho_mutex);
		tkho_seg_put(seg);
		mutex_unlock(&tkho_mutex);
	}
	kvfree(calls);
	kho_restore_vfree(area, &root.data);
	pr_info("handover taken in %llu us\n",
		div_u64(local_clock() - start, NSEC_PER_USEC));
	if (err || r.left)
		pr_warn("trace handover metadata is malformed at byte %zu of %llu; kept what was checked before\n",
			(size_t)(root.size - r.left), root.size);
}

/* ---------------------------------------------------------------------- */
/* Fault injection for tests                                               */

#ifdef CONFIG_TRACE_KHO_TEST
static char tkho_corrupt_mode[16];
module_param_string(trace_kho_corrupt, tkho_corrupt_mode,
		    sizeof(tkho_corrupt_mode), 0600);

/* Damage the first CPU buffer written, or the root, as asked. */
/*
 * The last page after the first whose commit is not zero: a time stamp
 * near the end of time only wraps when events follow it, and the tail
 * page may still be empty.
 */
static unsigned int tkho_last_used(struct page **pages, unsigned int nr)
{
	unsigned int i = nr - 1;

	while (i > 1 && !*(unsigned long *)(page_address(pages[i]) + 8))
		i--;
	return i;
}

static void tkho_corrupt(struct tkho_w *w, size_t phys_at, struct page **pages,
			 unsigned int nr)
{
	const char *m = tkho_corrupt_mode;

	if (!*m || !nr)
		return;
	if (sysfs_streq(m, "version"))
		tkho_root_out->compatible[12] = '9';
	else if (sysfs_streq(m, "page"))
		*(u64 *)(w->buf + phys_at) = virt_to_phys(empty_zero_page);
	else if (sysfs_streq(m, "commit"))
		*(unsigned long *)(page_address(pages[0]) + 8) = PAGE_SIZE * 4;
	else if (sysfs_streq(m, "timestamp") && nr > 1)
		*(u64 *)page_address(pages[nr - 1]) = 1;
	else if (sysfs_streq(m, "wrap") && nr > 1)
		*(u64 *)page_address(pages[tkho_last_used(pages, nr)]) =
			U64_MAX - 1;
	else if (sysfs_streq(m, "count"))
		*(u32 *)(w->buf + phys_at - 4) += 1;
	else
		return;
	pr_warn("test: corrupted the outgoing trace handover (%s)\n", m);
}

/*
 * "rename": sched_switch goes over under a name the next kernel does not
 * know; "layout": with one field moved; "type": with an integer field
 * declared as a string. Each time it must be shown raw.
 */
static void tkho_test_event(char *name, size_t size, const char *field,
			    u16 *offset, const char **type)
{
	if (strcmp(name, "sched:sched_switch"))
		return;
	if (!field && sysfs_streq(tkho_corrupt_mode, "rename"))
		strlcat(name, "_v0", size);
	else if (field && !strcmp(field, "next_prio") &&
		 sysfs_streq(tkho_corrupt_mode, "layout"))
		*offset += 1;
	else if (field && !strcmp(field, "next_prio") &&
		 sysfs_streq(tkho_corrupt_mode, "type"))
		*type = "char[4]";
}

/* "arrays": many more arrays than were traced, each without records. */
static unsigned int tkho_test_arrays(struct tkho_w *w)
{
	unsigned int i, n = 40;
	char name[24];

	if (!sysfs_streq(tkho_corrupt_mode, "arrays"))
		return 0;
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "kho-flood-%u", i);
		tkho_put_str(w, name);
		tkho_put_u32(w, 0);
		tkho_put_u32(w, 1);
		tkho_put_cpu(w, 0, 0, NULL, 0, 0, NULL);
	}
	pr_warn("test: corrupted the outgoing trace handover (%s)\n",
		tkho_corrupt_mode);
	return n;
}
#else
static unsigned int tkho_test_arrays(struct tkho_w *w)
{
	return 0;
}

static void tkho_corrupt(struct tkho_w *w, size_t phys_at, struct page **pages,
			 unsigned int nr)
{
}

static void tkho_test_event(char *name, size_t size, const char *field,
			    u16 *offset, const char **type)
{
}
#endif

/* ---------------------------------------------------------------------- */
/* tracefs and boot                                                        */

static ssize_t tkho_file_read(struct file *filp, char __user *ubuf, size_t cnt,
			      loff_t *ppos)
{
	struct trace_array *tr = filp->private_data;
	char buf[8];
	int n = snprintf(buf, sizeof(buf), "%d\n", tkho_wanted(tr));

	return simple_read_from_buffer(ubuf, cnt, ppos, buf, n);
}

static ssize_t tkho_file_write(struct file *filp, const char __user *ubuf,
			       size_t cnt, loff_t *ppos)
{
	struct trace_array *tr = filp->private_data;
	struct trace_kho *k;
	bool val;
	int err;

	err = kstrtobool_from_user(ubuf, cnt, &val);
	if (err)
		return err;
	if (val && !kho_is_enabled())
		return -EOPNOTSUPP;
	mutex_lock(&trace_types_lock);
	k = tkho_get(tr);
	if (k)
		k->preserve = val;
	mutex_unlock(&trace_types_lock);
	if (k && val)
		tkho_syms_prepare();
	return k ? cnt : -ENOMEM;
}

static const struct file_operations tkho_fops = {
	.open		= tracing_open_generic_tr,
	.read		= tkho_file_read,
	.write		= tkho_file_write,
	.release	= tracing_release_generic_tr,
	.llseek		= generic_file_llseek,
};

/**
 * trace_kho_create_file - add the "kho" file to a trace array's directory
 * @tr: the trace array
 * @d: its tracefs directory
 */
void trace_kho_create_file(struct trace_array *tr, struct dentry *d)
{
	trace_create_file("kho", TRACE_MODE_WRITE, d, tr, &tkho_fops);
}

static int __init trace_kho_init(void)
{
	struct trace_kho_root *root;
	int err;

	if (!kho_is_enabled())
		return 0;
	tkho_incoming();
	root = kho_alloc_preserve(sizeof(*root));
	if (IS_ERR(root))
		return PTR_ERR(root);
	strscpy(root->compatible, TRACE_KHO_COMPATIBLE, sizeof(root->compatible));
	err = kho_add_subtree(TRACE_KHO_NODE, root, sizeof(*root));
	if (err) {
		kho_unpreserve_free(root);
		return err;
	}
	tkho_root_out = root;
	/* Arrays named on the command line: gather the symbols off boot. */
	if (tkho_boot_names[0])
		queue_work(system_unbound_wq, &tkho_syms_work);
	return register_reboot_notifier(&tkho_reboot_nb);
}
late_initcall(trace_kho_init);
