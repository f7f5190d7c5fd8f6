/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KERNEL_LIVEUPDATE_KSTATE_INTERNAL_H
#define _KERNEL_LIVEUPDATE_KSTATE_INTERNAL_H

#include <linux/kstate.h>
#include <linux/types.h>

struct folio;
struct page;

/*
 * How KSTATE preserves and takes back memory: KHO in the kernel
 * (kstate_kho_ops), something else in the KUnit tests.
 */
struct kstate_mem_ops {
	int (*preserve_folio)(struct folio *folio);
	void (*unpreserve_folio)(struct folio *folio);
	int (*preserve_pages)(struct page *page, unsigned long nr);
	void (*unpreserve_pages)(struct page *page, unsigned long nr);
	int (*preserve_vmalloc)(void *ptr, struct kho_vmalloc *kv);
	void (*unpreserve_vmalloc)(struct kho_vmalloc *kv);
	int (*preserved_order)(phys_addr_t phys);
	struct folio *(*restore_folio)(phys_addr_t phys);
	struct page *(*restore_pages)(phys_addr_t phys, unsigned long nr);
	void *(*restore_vmalloc)(const struct kho_vmalloc *kv);
	/* Give back, cleared, what a refused record had taken back. */
	void (*drop_folio)(struct folio *folio);
	void (*drop_pages)(struct page *page, unsigned long nr);
	void (*restore_vfree)(void *ptr, const struct kho_vmalloc *kv);
};

/* Something done that a failure must undo, newest last. */
struct kstate_undo_ent {
	u8 what;
	void *ptr;
	unsigned long nr;
	struct kho_vmalloc kv;
};

struct kstate_undo {
	struct kstate_undo_ent *ent;
	unsigned int nr, room;
};

/**
 * struct kstate_writer - a stream being written
 * @buf: the bytes so far
 * @len: bytes used
 * @room: bytes allocated
 * @ops: how to preserve memory fields
 * @undo: what was preserved, to unpreserve on failure
 * @undo_mark: entries of @undo that belong to complete records
 * @borrowed: @buf is not the writer's (KSTATE's page preserved at boot):
 *	growing copies it into memory of the writer's own; never freed here
 */
struct kstate_writer {
	u8 *buf;
	size_t len, room;
	bool borrowed;
	const struct kstate_mem_ops *ops;
	struct kstate_undo undo;
	unsigned int undo_mark;
};

/* One record of an incoming stream. */
struct kstate_in_rec {
	char name[KSTATE_NAME_MAX + 1];
	u32 instance_id;
	u32 version_id;
	const void *body;
	u32 bytes;
	bool taken;
};

#define KSTATE_WHY_LEN	160


/* Static unless KUnit tests them (VISIBLE_IF_KUNIT). */
#if IS_ENABLED(CONFIG_KUNIT)
int kstate_check_description(const struct kstate_description *d,
			     char *why);
void kstate_writer_init(struct kstate_writer *w,
			const struct kstate_mem_ops *ops);
int kstate_write_stream_hdr(struct kstate_writer *w, u32 nr_records);
int kstate_save_record(struct kstate_writer *w,
		       const struct kstate_description *d, const void *obj,
		       u32 instance_id);
void kstate_writer_fail(struct kstate_writer *w);
void kstate_writer_done(struct kstate_writer *w);
int kstate_parse_stream(const void *stream, size_t bytes,
			struct kstate_in_rec **recs, u32 *nr, char *why);
int kstate_load_record(const struct kstate_mem_ops *ops,
		       const struct kstate_in_rec *rec,
		       const struct kstate_description *d, void *obj,
		       char *why);
#endif

#endif /* _KERNEL_LIVEUPDATE_KSTATE_INTERNAL_H */
