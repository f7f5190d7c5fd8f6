/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kshim_trace.h - the parts of kernel/trace/trace.h, trace_output.h and
 * the ring buffer API that trace_kho.c uses. The fuzz target defines the
 * functions (fuzz_trace.c): a few trace arrays and events of "this
 * kernel", and trace_seq over a page.
 */
#ifndef KSHIM_TRACE_H
#define KSHIM_TRACE_H

#include <kshim.h>

enum print_line_t {
	TRACE_TYPE_PARTIAL_LINE = 0,
	TRACE_TYPE_HANDLED = 1,
	TRACE_TYPE_UNHANDLED = 2,
	TRACE_TYPE_NO_CONSUME = 3,
};

#define TRACE_ITER_SYM_OFFSET	0x02
#define TRACE_ITER_SYM_ADDR	0x04
#define TRACE_ITER_IRQ_INFO	0x08
#define TRACE_ITER_SYM_MASK	(TRACE_ITER_SYM_OFFSET | TRACE_ITER_SYM_ADDR)
#define TRACE_EVENT_FL_DYNAMIC	0x100
#define TRACE_ARRAY_FL_BOOT	0x2
#define RING_BUFFER_ALL_CPUS	-1
#define TRACE_MODE_WRITE	0640

struct seq_buf {
	char *buffer;
	size_t size;
	size_t len;
};

struct trace_seq {
	char buffer[PAGE_SIZE];
	struct seq_buf seq;
	size_t readpos;
	int full;
};

struct trace_entry {
	unsigned short type;
	unsigned char flags;
	unsigned char preempt_count;
	int pid;
};

struct trace_iterator;
struct trace_event;
typedef enum print_line_t (*trace_print_func)(struct trace_iterator *iter,
					      int flags,
					      struct trace_event *event);
struct trace_event_functions {
	trace_print_func trace;
	trace_print_func raw;
};

struct trace_event {
	struct hlist_node node;
	int type;
	struct trace_event_functions *funcs;
};

struct trace_event_class {
	const char *system;
	struct list_head fields;
};

struct trace_event_call {
	struct list_head list;
	struct trace_event_class *class;
	const char *name;
	struct trace_event event;
	int flags;
};

struct ftrace_event_field {
	struct list_head link;
	const char *name;
	const char *type;
	int filter_type;
	int offset;
	int size;
	int is_signed;
	int len;
};

struct trace_buffer;
struct ring_buffer_iter;

struct array_buffer {
	struct trace_array *tr;
	struct trace_buffer *buffer;
};

struct trace_kho;
struct trace_array {
	struct list_head list;
	const char *name;
	struct array_buffer array_buffer;
	unsigned int flags;
	unsigned int trace_flags;
	struct trace_kho *kho;
	int ref;
};

struct trace_iterator {
	struct trace_array *tr;
	struct ring_buffer_iter **buffer_iter;
	struct trace_seq seq;
	struct trace_entry *ent;
	unsigned long lost_events;
	int ent_size;
	int cpu;
	u64 ts;
	int cpu_file;
	bool snapshot;
	bool kho_ent;
	void *kho_src;
	void *kho_cur;
};


extern struct list_head ftrace_events;
extern struct list_head ftrace_trace_arrays;
extern struct mutex event_mutex;
extern struct mutex trace_types_lock;
extern char empty_zero_page[];

static inline const char *trace_event_name(struct trace_event_call *call)
{
	return call->name;
}
static inline struct list_head *trace_get_fields(struct trace_event_call *call)
{
	return &call->class->fields;
}

void trace_seq_printf(struct trace_seq *s, const char *fmt, ...) __printf(2, 3);
void trace_seq_puts(struct trace_seq *s, const char *str);
void trace_seq_putc(struct trace_seq *s, unsigned char c);
static inline bool trace_seq_has_overflowed(struct trace_seq *s)
{
	return s->full || s->seq.len > s->seq.size;
}
void trace_print_lat_fmt(struct trace_seq *s, struct trace_entry *entry);
void trace_find_cmdline(int pid, char comm[]);
static inline unsigned long long ns2usecs(u64 nsec)
{
	return nsec / 1000;
}

struct trace_array *top_trace_array(void);
struct trace_array *trace_array_get_by_name(const char *name,
					    const char *systems);
struct trace_array *trace_array_find_get(const char *name);
void trace_array_put(struct trace_array *tr);

unsigned int ring_buffer_subbuf_order_get(struct trace_buffer *buffer);
unsigned long ring_buffer_size(struct trace_buffer *buffer, int cpu);
void ring_buffer_record_disable(struct trace_buffer *buffer);
int ring_buffer_kho_walk(struct trace_buffer *buffer, int cpu,
			 int (*fn)(void *page, unsigned int read, void *arg),
			 void *arg);

int kallsyms_on_each_symbol(int (*fn)(void *, const char *, unsigned long),
			    void *data);
bool core_kernel_text(unsigned long addr);
ssize_t simple_read_from_buffer(void __user *to, size_t count, loff_t *ppos,
				const void *from, size_t available);
int kstrtobool_from_user(const char __user *s, size_t count, bool *res);
loff_t generic_file_llseek(struct file *file, loff_t offset, int whence);
int tracing_open_generic_tr(struct inode *inode, struct file *filp);
int tracing_release_generic_tr(struct inode *inode, struct file *file);
struct dentry *trace_create_file(const char *name, umode_t mode,
				 struct dentry *parent, void *data,
				 const struct file_operations *fops);

static inline void list_splice_tail(struct list_head *list,
				    struct list_head *head)
{
	if (!list_empty(list)) {
		struct list_head *first = list->next, *last = list->prev;
		struct list_head *at = head->prev;

		first->prev = at;
		at->next = first;
		last->next = head;
		head->prev = last;
	}
}

#endif /* KSHIM_TRACE_H */
