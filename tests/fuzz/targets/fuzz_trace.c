// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: the trace buffer handover's incoming side, from the
 * kernel's own kernel/trace/trace_kho.c.
 *
 * The input is a memory image (kfimg.h) holding the "ftrace" subtree's
 * root, the stream in a preserved vmalloc area and the ring buffer data
 * pages. tkho_incoming() runs as at boot; then every array that got old
 * records is read the ways tracefs reads it (trace, per_cpu/cpuN/trace,
 * trace_pipe), which decodes the old pages and formats the records, and
 * finally dropped. Everything taken must have been given back.
 *
 * This kernel has a few trace arrays and events (below); knob bits 0-1
 * pick trace_flags (sym-offset, irq-info).
 */
#include "../../../kernel/files/kernel/trace/trace_kho.c"

#include "kfimg.h"
#include "kho_glue.h"

LIST_HEAD(ftrace_events);
LIST_HEAD(ftrace_trace_arrays);
DEFINE_MUTEX(event_mutex);
DEFINE_MUTEX(trace_types_lock);
char empty_zero_page[PAGE_SIZE] __aligned(PAGE_SIZE);

/* ---------------------------------------------------------------------- */
/* trace_seq over one page, as the kernel's: all or nothing per call       */

static void kf_seq_init(struct trace_seq *s)
{
	s->seq.buffer = s->buffer;
	s->seq.size = sizeof(s->buffer);
	s->seq.len = 0;
	s->full = 0;
}

static void kf_seq_add(struct trace_seq *s, const char *p, size_t n)
{
	if (!s->seq.buffer)
		kf_seq_init(s);
	if (s->full || n > s->seq.size - s->seq.len) {
		s->full = 1;
		return;
	}
	memcpy(s->buffer + s->seq.len, p, n);
	s->seq.len += n;
}

void trace_seq_printf(struct trace_seq *s, const char *fmt, ...)
{
	char buf[PAGE_SIZE];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(buf))
		s->full = 1;
	else if (n > 0)
		kf_seq_add(s, buf, n);
}

void trace_seq_puts(struct trace_seq *s, const char *str)
{
	kf_seq_add(s, str, strlen(str));
}

void trace_seq_putc(struct trace_seq *s, unsigned char c)
{
	kf_seq_add(s, (const char *)&c, 1);
}

void trace_print_lat_fmt(struct trace_seq *s, struct trace_entry *entry)
{
	trace_seq_printf(s, "%c%c", entry->flags & 1 ? 'd' : '.',
			 entry->preempt_count ? '0' + (entry->preempt_count & 7) : '.');
}

void trace_find_cmdline(int pid, char comm[])
{
	strcpy(comm, pid == 1 ? "init" : "<...>");
}

/* ---------------------------------------------------------------------- */
/* This kernel's events                                                    */

struct kf_field {
	const char *name, *type;
	int offset, size, is_signed;
};

#define KF_COMMON \
	{ "common_type", "unsigned short", 0, 2, 0 }, \
	{ "common_flags", "unsigned char", 2, 1, 0 }, \
	{ "common_preempt_count", "unsigned char", 3, 1, 0 }, \
	{ "common_pid", "int", 4, 4, 1 }

static const struct kf_field kf_switch_fields[] = {
	KF_COMMON,
	{ "prev_comm", "char[16]", 8, 16, 0 },
	{ "prev_pid", "pid_t", 24, 4, 1 },
	{ "prev_prio", "int", 28, 4, 1 },
	{ "prev_state", "long", 32, 8, 1 },
	{ "next_comm", "char[16]", 40, 16, 0 },
	{ "next_pid", "pid_t", 56, 4, 1 },
	{ "next_prio", "int", 60, 4, 1 },
};

static const struct kf_field kf_func_fields[] = {
	KF_COMMON,
	{ "ip", "unsigned long", 8, 8, 0 },
	{ "parent_ip", "unsigned long", 16, 8, 0 },
};

static const struct kf_field kf_print_fields[] = {
	KF_COMMON,
	{ "ip", "unsigned long", 8, 8, 0 },
	{ "buf", "char[]", 16, 0, 0 },
};

static const struct kf_field kf_dloc_fields[] = {
	KF_COMMON,
	{ "value", "u64", 8, 8, 0 },
	{ "msg", "__data_loc char[]", 16, 4, 0 },
};

static const struct kf_field kf_ptr_fields[] = {
	KF_COMMON,
	{ "str", "const char *", 8, 8, 0 },
};

/*
 * The output function of every event of this kernel: prints each field
 * at its offset, as generated trace output functions do, on the record
 * (a copy of at most a page, which trace_kho_print() makes).
 */
static enum print_line_t kf_event_trace(struct trace_iterator *iter,
					int flags, struct trace_event *event)
{
	struct trace_event_call *call =
		container_of(event, struct trace_event_call, event);
	const u8 *ent = (const u8 *)iter->ent;
	struct ftrace_event_field *f;

	trace_seq_printf(&iter->seq, "%s:", call->name);
	list_for_each_entry(f, trace_get_fields(call), link) {
		u64 v = 0;

		if (strstr(f->type, "char *"))
			kf_die("an event with a string pointer printed an old record");
		if (f->size == 4 && !strncmp(f->type, "__data_loc", 10)) {
			u32 loc;

			memcpy(&loc, ent + f->offset, 4);
			trace_seq_printf(&iter->seq, " %s=%.*s", f->name,
					 (int)(loc >> 16), ent + (loc & 0xffff));
			continue;
		}
		if (strstr(f->type, "char[")) {
			trace_seq_printf(&iter->seq, " %s=%.*s", f->name,
					 f->size, ent + f->offset);
			continue;
		}
		memcpy(&v, ent + f->offset, min(f->size, 8));
		trace_seq_printf(&iter->seq, " %s=%llu", f->name, v);
	}
	trace_seq_putc(&iter->seq, '\n');
	return TRACE_TYPE_HANDLED;
}

static struct trace_event_functions kf_funcs = { .trace = kf_event_trace };

struct kf_event {
	const char *system, *name;
	int type, flags;
	const struct kf_field *fields;
	unsigned int nr;
};

static const struct kf_event kf_events[] = {
	{ "sched", "sched_switch", 317, 0, kf_switch_fields,
	  ARRAY_SIZE(kf_switch_fields) },
	{ "ftrace", "function", 1, 0, kf_func_fields,
	  ARRAY_SIZE(kf_func_fields) },
	{ "ftrace", "print", 5, 0, kf_print_fields,
	  ARRAY_SIZE(kf_print_fields) },
	{ "test", "dloc", 400, 0, kf_dloc_fields, ARRAY_SIZE(kf_dloc_fields) },
	{ "test", "strptr", 401, 0, kf_ptr_fields, ARRAY_SIZE(kf_ptr_fields) },
	{ "kprobes", "p_dynamic", 402, TRACE_EVENT_FL_DYNAMIC, kf_dloc_fields,
	  ARRAY_SIZE(kf_dloc_fields) },
};

static void kf_events_init(void)
{
	static struct trace_event_call calls[ARRAY_SIZE(kf_events)];
	static struct trace_event_class classes[ARRAY_SIZE(kf_events)];
	static struct ftrace_event_field fields[ARRAY_SIZE(kf_events)][16];
	unsigned int i, j;

	if (!list_empty(&ftrace_events))
		return;
	for (i = 0; i < ARRAY_SIZE(kf_events); i++) {
		const struct kf_event *e = &kf_events[i];

		classes[i].system = e->system;
		INIT_LIST_HEAD(&classes[i].fields);
		/* The kernel's field lists run last field first. */
		for (j = 0; j < e->nr; j++) {
			fields[i][j].name = e->fields[j].name;
			fields[i][j].type = e->fields[j].type;
			fields[i][j].offset = e->fields[j].offset;
			fields[i][j].size = e->fields[j].size;
			fields[i][j].is_signed = e->fields[j].is_signed;
			list_add(&fields[i][j].link, &classes[i].fields);
		}
		calls[i].class = &classes[i];
		calls[i].name = e->name;
		calls[i].flags = e->flags;
		calls[i].event.type = e->type;
		calls[i].event.funcs = &kf_funcs;
		list_add_tail(&calls[i].list, &ftrace_events);
	}
}

/* ---------------------------------------------------------------------- */
/* Trace arrays: the top one and "inst1" exist, others are made on demand  */

static struct trace_array kf_global = { .name = NULL };
static struct trace_array kf_inst1 = { .name = "inst1" };

static void kf_arrays_init(void)
{
	if (!list_empty(&ftrace_trace_arrays))
		return;
	list_add_tail(&kf_global.list, &ftrace_trace_arrays);
	list_add_tail(&kf_inst1.list, &ftrace_trace_arrays);
}

struct trace_array *top_trace_array(void)
{
	return &kf_global;
}

struct trace_array *trace_array_find_get(const char *name)
{
	struct trace_array *tr;

	list_for_each_entry(tr, &ftrace_trace_arrays, list)
		if (tr->name && !strcmp(tr->name, name)) {
			tr->ref++;
			return tr;
		}
	return NULL;
}

struct trace_array *trace_array_get_by_name(const char *name,
					    const char *systems)
{
	struct trace_array *tr = trace_array_find_get(name);

	if (tr)
		return tr;
	tr = calloc(1, sizeof(*tr));
	tr->name = strdup(name);
	tr->ref = 2;		/* the instance's own, and the caller's */
	list_add_tail(&tr->list, &ftrace_trace_arrays);
	return tr;
}

void trace_array_put(struct trace_array *tr)
{
	if (--tr->ref < 0)
		kf_die("trace_array_put() without a reference");
}

/* The outgoing side's services: not fuzzed here. */
unsigned int ring_buffer_subbuf_order_get(struct trace_buffer *buffer)
{
	return 0;
}

unsigned long ring_buffer_size(struct trace_buffer *buffer, int cpu)
{
	return 0;
}

void ring_buffer_record_disable(struct trace_buffer *buffer)
{
}

int ring_buffer_kho_walk(struct trace_buffer *buffer, int cpu,
			 int (*fn)(void *page, unsigned int read, void *arg),
			 void *arg)
{
	return 0;
}

int kallsyms_on_each_symbol(int (*fn)(void *, const char *, unsigned long),
			    void *data)
{
	return 0;
}

bool core_kernel_text(unsigned long addr)
{
	return false;
}

ssize_t simple_read_from_buffer(void __user *to, size_t count, loff_t *ppos,
				const void *from, size_t available)
{
	return 0;
}

int kstrtobool_from_user(const char __user *s, size_t count, bool *res)
{
	return -EINVAL;
}

loff_t generic_file_llseek(struct file *file, loff_t offset, int whence)
{
	return 0;
}

int tracing_open_generic_tr(struct inode *inode, struct file *filp)
{
	return 0;
}

int tracing_release_generic_tr(struct inode *inode, struct file *file)
{
	return 0;
}

struct dentry *trace_create_file(const char *name, umode_t mode,
				 struct dentry *parent, void *data,
				 const struct file_operations *fops)
{
	return NULL;
}

/* ---------------------------------------------------------------------- */
/* The readers                                                             */

#define KF_MAX_RECORDS	4096

static void kf_read(struct trace_array *tr, bool consuming, int cpu)
{
	static struct ring_buffer_iter *bi;
	struct trace_iterator *iter = calloc(1, sizeof(*iter));
	unsigned int n;

	iter->tr = tr;
	iter->cpu_file = cpu;
	iter->buffer_iter = consuming ? NULL : &bi;
	for (n = 0; n < KF_MAX_RECORDS; n++) {
		kf_seq_init(&iter->seq);
		if (!trace_kho_next(iter))
			break;
		if (trace_kho_print(iter) == TRACE_TYPE_NO_CONSUME)
			break;
		if (consuming)
			trace_kho_consume(iter);
	}
	trace_kho_pending(iter);
	trace_kho_iter_reset(iter);
	trace_kho_iter_free(iter);
	free(iter);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct trace_array *tr, *tmp;
	struct kfimg img;

	kf_events_init();
	kf_arrays_init();
	if (kfimg_load(data, size, TRACE_KHO_NODE, &img) == 0) {
		tkho_incoming();
		list_for_each_entry(tr, &ftrace_trace_arrays, list) {
			tr->trace_flags = img.hdr.knob & 3 ? TRACE_ITER_SYM_OFFSET : 0;
			if (img.hdr.knob & 2)
				tr->trace_flags |= TRACE_ITER_IRQ_INFO;
			if (!tr->kho)
				continue;
			kf_read(tr, false, RING_BUFFER_ALL_CPUS);
			kf_read(tr, false, 0);
			kf_read(tr, true, RING_BUFFER_ALL_CPUS);
		}
		list_for_each_entry_safe(tr, tmp, &ftrace_trace_arrays, list) {
			trace_kho_remove(tr);
			if (tr != &kf_global && tr != &kf_inst1) {
				list_del(&tr->list);
				free((void *)tr->name);
				free(tr);
			}
		}
		if (!list_empty(&tkho_segs))
			kf_die("old kernels' tables left after every array dropped them");
	}
	kfimg_end_of_boot(&img);
	return 0;
}

#ifdef KF_GEN
/* ---------------------------------------------------------------------- */
/* Seeds: the stream from trace_kho.c's writer, data pages by the ABI      */

struct kf_page {
	u8 *p;
	unsigned int off;
};

static void kf_ev(struct kf_page *pg, u32 delta, const void *body, u32 len)
{
	u32 hdr, a0;

	len = ALIGN(len, 4);
	if (len <= 28 * 4) {
		hdr = (len / 4) | delta << 5;
		memcpy(pg->p + 16 + pg->off, &hdr, 4);
		memcpy(pg->p + 16 + pg->off + 4, body, len);
		pg->off += 4 + len;
	} else {
		hdr = delta << 5;
		a0 = len + 4;
		memcpy(pg->p + 16 + pg->off, &hdr, 4);
		memcpy(pg->p + 16 + pg->off + 4, &a0, 4);
		memcpy(pg->p + 16 + pg->off + 8, body, len);
		pg->off += 8 + len;
	}
}

static void kf_time_extend(struct kf_page *pg, u64 delta)
{
	u32 hdr = 30 | (u32)(delta & ((1 << 27) - 1)) << 5;
	u32 a0 = delta >> 27;

	memcpy(pg->p + 16 + pg->off, &hdr, 4);
	memcpy(pg->p + 16 + pg->off + 4, &a0, 4);
	pg->off += 8;
}

static void kf_commit(struct kf_page *pg, u64 ts)
{
	unsigned long commit = pg->off;

	memcpy(pg->p, &ts, 8);
	memcpy(pg->p + 8, &commit, 8);
}

/* One data page of records of every kind. */
static struct page *kf_gen_page(u64 ts, int pid)
{
	struct page *page = alloc_pages(GFP_KERNEL | __GFP_ZERO, 0);
	struct kf_page pg = { .p = page_address(page) };
	u8 b[128];
	u32 loc;

	memset(b, 0, sizeof(b));
	*(u16 *)b = 1;				/* function */
	*(int *)(b + 4) = pid;
	*(u64 *)(b + 8) = 0xffffffff81001010ULL;
	*(u64 *)(b + 16) = 0xffffffff81002000ULL;
	kf_ev(&pg, 10, b, 24);
	*(u16 *)b = 5;				/* print */
	*(u64 *)(b + 8) = 0xffffffff81003000ULL;
	strcpy((char *)b + 16, "hello\n");
	kf_ev(&pg, 20, b, 24);
	kf_time_extend(&pg, 1ULL << 30);
	memset(b, 0, sizeof(b));
	*(u16 *)b = 317;			/* sched_switch */
	*(int *)(b + 4) = pid;
	strcpy((char *)b + 8, "swapper");
	*(int *)(b + 56) = 1;
	strcpy((char *)b + 40, "init");
	kf_ev(&pg, 5, b, 64);
	memset(b, 0, sizeof(b));
	*(u16 *)b = 400;			/* test:dloc */
	*(u64 *)(b + 8) = 42;
	loc = 6 << 16 | 20;
	memcpy(b + 16, &loc, 4);
	memcpy(b + 20, "dloc!!", 6);
	kf_ev(&pg, 7, b, 28);
	*(u16 *)b = 999;			/* unknown to the old kernel */
	kf_ev(&pg, 7, b, 120);
	*(u16 *)b = 401;			/* test:strptr */
	kf_ev(&pg, 1, b, 16);
	kf_commit(&pg, ts);
	return page;
}

static void kf_put_field(struct tkho_w *w, const struct kf_field *f)
{
	u8 sgn = f->is_signed;

	tkho_put_u16(w, f->offset);
	tkho_put_u16(w, f->size);
	tkho_put(w, &sgn, 1);
	tkho_put_str(w, f->name);
	tkho_put_str(w, f->type);
}

/* The old kernel's tables: its events (one renamed, one changed), syms. */
static void kf_put_tables(struct tkho_w *w, const char *release, bool alter)
{
	unsigned int i, j;

	tkho_put_str(w, release);
	tkho_put_u32(w, ARRAY_SIZE(kf_events) - 1);
	for (i = 0; i + 1 < ARRAY_SIZE(kf_events); i++) {
		char name[64];

		snprintf(name, sizeof(name), "%s:%s%s", kf_events[i].system,
			 kf_events[i].name, alter && i == 0 ? "_v0" : "");
		tkho_put_u32(w, kf_events[i].type);
		tkho_put_str(w, name);
		tkho_put_u16(w, kf_events[i].nr);
		for (j = 0; j < kf_events[i].nr; j++)
			kf_put_field(w, &kf_events[i].fields[j]);
	}
	tkho_put_u32(w, 3);
	tkho_put_u64(w, 0xffffffff81001000ULL);
	tkho_put_str(w, "do_one");
	tkho_put_u64(w, 0xffffffff81002000ULL);
	tkho_put_str(w, "do_two");
	tkho_put_u64(w, 0xffffffff81003000ULL);
	tkho_put_str(w, "do_print");
	tkho_put_u32(w, 2);
	tkho_put_u32(w, 1);
	tkho_put_str(w, "init");
	tkho_put_u32(w, 42);
	tkho_put_str(w, "worker");
}

static void kf_put_buf(struct tkho_w *w, const char *name, unsigned int ncpu,
		       unsigned int npages, u64 ts)
{
	struct page *pages[4];
	unsigned int c, i;

	tkho_put_str(w, name);
	tkho_put_u32(w, 0);
	tkho_put_u32(w, ncpu);
	for (c = 0; c < ncpu; c++) {
		for (i = 0; i < npages; i++)
			pages[i] = kf_gen_page(ts + i * (1ULL << 32) + c, 42 + c);
		if (tkho_put_cpu(w, c, 0, pages, npages, 0, NULL))
			kf_die("generator: tkho_put_cpu");
	}
}

static void kf_gen(const char *dir, const char *fname, unsigned int nsegs,
		   bool alter, const char *compat, u32 knob)
{
	struct trace_kho_root *root;
	struct tkho_w w = {};
	char path[512];
	unsigned int s;
	void *area;

	kfimg_gen_begin(256);
	tkho_put_u32(&w, nsegs);
	for (s = 0; s < nsegs; s++) {
		kf_put_tables(&w, s ? "6.12.0-b" : "6.12.0-a", alter);
		tkho_put_u32(&w, 2);
		kf_put_buf(&w, "", 2, 2, 1000 + s * (1ULL << 40));
		kf_put_buf(&w, s ? "newone" : "inst1", 1, 1,
			   5000 + s * (1ULL << 40));
	}
	if (w.oom)
		kf_die("generator: oom");
	area = vmalloc(w.len);
	memcpy(area, w.buf, w.len);
	root = kho_alloc_preserve(sizeof(*root));
	if (IS_ERR(root) || kho_preserve_vmalloc(area, &root->data))
		kf_die("generator: preserve");
	strscpy(root->compatible, compat, sizeof(root->compatible));
	root->size = w.len;
	kvfree(w.buf);
	snprintf(path, sizeof(path), "%s/%s", dir, fname);
	if (kfimg_gen_save(path, virt_to_phys(root), sizeof(*root), knob))
		kf_die("cannot save %s", path);
}

int main(int argc, char **argv)
{
	kf_events_init();
	kf_gen(argv[1], "one-kernel", 1, false, TRACE_KHO_COMPATIBLE, 0);
	kf_gen(argv[1], "one-kernel-flags", 1, false, TRACE_KHO_COMPATIBLE, 3);
	kf_gen(argv[1], "two-kernels-altered", 2, true, TRACE_KHO_COMPATIBLE, 1);
	return 0;
}
#endif /* KF_GEN */
