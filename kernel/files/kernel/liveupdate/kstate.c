// SPDX-License-Identifier: GPL-2.0
/*
 * kstate.c - typed, versioned descriptions of kernel state across kexec
 *
 * A subsystem describes an object with a struct kstate_description (its
 * fields, their kinds and the versions that added them, subsections
 * written only when needed) and registers instances of it. When the
 * kernel kexecs (reboot notifier), every registered instance is written
 * into one self-describing stream: each field carries its name, kind,
 * element width and count, so that the next kernel can match fields by
 * name, skip the ones it does not know (a roll-back to an older kernel)
 * and keep defaults for the ones the writer did not have (a roll-forward).
 * Memory fields (folios, page ranges, vmalloc areas) are preserved with
 * KHO and taken back as such.
 *
 * In the next kernel, kstate_register() of the same description and
 * instance id decodes the record into a copy of the object, and only when
 * all of it was accepted (every length, count, nesting level, kind,
 * version and memory area checked) does the copy replace the object; a
 * refused record leaves the object as it was and undoes what the decoding
 * allocated or took back.
 */

#define pr_fmt(fmt) "kstate: " fmt

#include <kunit/visibility.h>
#include <linux/bsearch.h>
#include <linux/hash.h>
#include <linux/hashtable.h>
#include <linux/highmem.h>
#include <linux/kexec.h>
#include <linux/kexec_handover.h>
#include <linux/kstate.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/reboot.h>
#include <linux/sched/clock.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/stringhash.h>
#include <linux/vmalloc.h>

#include <asm/sections.h>

#include "kstate_internal.h"

enum {
	KSTATE_UNDO_KMALLOC,
	KSTATE_UNDO_KVMALLOC,
	KSTATE_UNDO_FOLIO,
	KSTATE_UNDO_PAGES,
	KSTATE_UNDO_VMALLOC,
	KSTATE_UNDO_PRESERVED_FOLIO,
	KSTATE_UNDO_PRESERVED_PAGES,
	KSTATE_UNDO_PRESERVED_VMALLOC,
};

static __printf(2, 3) int kstate_why(char *why, const char *fmt, ...)
{
	va_list args;

	if (why && !why[0]) {
		va_start(args, fmt);
		vsnprintf(why, KSTATE_WHY_LEN, fmt, args);
		va_end(args);
	}
	return -EBADMSG;
}

/* ---------------------------------------------------------------------- */
/* Undo log                                                               */

/* Make room for one entry before doing what it will undo. */
static int kstate_undo_reserve(struct kstate_undo *u)
{
	struct kstate_undo_ent *ent;
	unsigned int room;

	if (u->nr < u->room)
		return 0;
	room = u->room ? 2 * u->room : 16;
	ent = krealloc_array(u->ent, room, sizeof(*ent), GFP_KERNEL);
	if (!ent)
		return -ENOMEM;
	u->ent = ent;
	u->room = room;
	return 0;
}

static void kstate_undo_add(struct kstate_undo *u, u8 what, void *ptr,
			    unsigned long nr, const struct kho_vmalloc *kv)
{
	struct kstate_undo_ent *e = &u->ent[u->nr++];

	e->what = what;
	e->ptr = ptr;
	e->nr = nr;
	if (kv)
		e->kv = *kv;
}

/* Undo everything, newest first; memory of the previous kernel is cleared. */
static void kstate_undo_all(struct kstate_undo *u,
			    const struct kstate_mem_ops *ops)
{
	while (u->nr) {
		struct kstate_undo_ent *e = &u->ent[--u->nr];

		switch (e->what) {
		case KSTATE_UNDO_KMALLOC:
			kfree(e->ptr);
			break;
		case KSTATE_UNDO_KVMALLOC:
			kvfree(e->ptr);
			break;
		case KSTATE_UNDO_FOLIO:
			ops->drop_folio(e->ptr);
			break;
		case KSTATE_UNDO_PAGES:
			ops->drop_pages(e->ptr, e->nr);
			break;
		case KSTATE_UNDO_VMALLOC:
			ops->restore_vfree(e->ptr, &e->kv);
			break;
		case KSTATE_UNDO_PRESERVED_FOLIO:
			ops->unpreserve_folio(e->ptr);
			break;
		case KSTATE_UNDO_PRESERVED_PAGES:
			ops->unpreserve_pages(e->ptr, e->nr);
			break;
		case KSTATE_UNDO_PRESERVED_VMALLOC:
			ops->unpreserve_vmalloc(&e->kv);
			break;
		}
	}
}

static void kstate_undo_forget(struct kstate_undo *u)
{
	kfree(u->ent);
	u->ent = NULL;
	u->nr = 0;
	u->room = 0;
}

/* ---------------------------------------------------------------------- */
/* Descriptions                                                           */

static bool kstate_scalar_kind(enum kstate_kind kind)
{
	return kind == KSTATE_UNSIGNED || kind == KSTATE_SIGNED ||
	       kind == KSTATE_BOOL;
}

static bool kstate_width_ok(size_t size)
{
	return size == 1 || size == 2 || size == 4 || size == 8;
}

static bool kstate_name_ok(const char *name)
{
	size_t len = name ? strnlen(name, KSTATE_NAME_MAX + 1) : 0;

	return len && len <= KSTATE_NAME_MAX;
}

/* Could @f hold another field's count? */
static bool kstate_count_like(const struct kstate_field *f)
{
	return f->kind == KSTATE_UNSIGNED && f->count == 1 &&
	       !(f->flags & KSTATE_F_ARRAYS);
}

static const struct kstate_field *
kstate_field_at(const struct kstate_description *d, size_t offset)
{
	const struct kstate_field *f;

	for (f = d->fields; f->name; f++)
		if (f->offset == offset && kstate_count_like(f))
			return f;
	return NULL;
}

/* Is the field's element count (or page count) another field? */
static bool kstate_counted(const struct kstate_field *f)
{
	return (f->flags & KSTATE_F_ARRAYS) || f->kind == KSTATE_PAGES;
}

static int kstate_check_desc(const struct kstate_description *d,
			     unsigned int depth, char *why);

static int kstate_check_field(const struct kstate_description *d,
			      const struct kstate_field *f,
			      unsigned int depth, char *why)
{
	const struct kstate_field *cnt;
	bool alloc = f->flags & KSTATE_F_ALLOC;

	if (f->flags & ~(KSTATE_F_ARRAYS | KSTATE_F_DEFAULT) ||
	    (f->flags & KSTATE_F_ARRAYS) == KSTATE_F_ARRAYS)
		return kstate_why(why, "%s.%s: bad flags", d->name, f->name);
	if ((f->flags & KSTATE_F_DEFAULT) && !kstate_scalar_kind(f->kind))
		return kstate_why(why, "%s.%s: a default needs a scalar",
				  d->name, f->name);
	if (alloc && (f->kind == KSTATE_PAGES ||
		      f->count > KSTATE_MAX_STREAM ||
		      f->offset > d->size - sizeof(void *)))
		return kstate_why(why, "%s.%s: bad allocated array", d->name,
				  f->name);
	if (!f->count || !f->size || f->offset > d->size ||
	    (!alloc && (f->size > d->size ||
			f->count > (d->size - f->offset) / f->size)))
		return kstate_why(why, "%s.%s: outside the object", d->name,
				  f->name);
	if (kstate_counted(f)) {
		if (!kstate_width_ok(f->count_size) ||
		    f->count_offset > d->size - f->count_size)
			return kstate_why(why, "%s.%s: bad count field",
					  d->name, f->name);
		cnt = kstate_field_at(d, f->count_offset);
		if (!cnt || cnt->size != f->count_size)
			return kstate_why(why, "%s.%s: its count is not a described unsigned field",
					  d->name, f->name);
	}

	switch (f->kind) {
	case KSTATE_UNSIGNED:
	case KSTATE_SIGNED:
		if (!kstate_width_ok(f->size))
			return kstate_why(why, "%s.%s: width %zu", d->name,
					  f->name, f->size);
		break;
	case KSTATE_BOOL:
		if (f->size != sizeof(bool))
			return kstate_why(why, "%s.%s: not a bool", d->name,
					  f->name);
		break;
	case KSTATE_STRING:
		if (f->size < 2 || f->size > KSTATE_MAX_STREAM)
			return kstate_why(why, "%s.%s: string buffer of %zu",
					  d->name, f->name, f->size);
		break;
	case KSTATE_STRUCT:
		if (!f->desc || f->desc->size != f->size)
			return kstate_why(why, "%s.%s: nested description does not match",
					  d->name, f->name);
		return kstate_check_desc(f->desc, depth + 1, why);
	case KSTATE_POINTER:
	case KSTATE_PTR_ARRAY:
		if (!f->desc || f->size != sizeof(void *))
			return kstate_why(why, "%s.%s: bad pointer field",
					  d->name, f->name);
		return kstate_check_desc(f->desc, depth + 1, why);
	case KSTATE_FOLIO:
	case KSTATE_VMALLOC:
	case KSTATE_PAGES:
		if (f->size != sizeof(void *) ||
		    (f->kind == KSTATE_PAGES && f->count != 1))
			return kstate_why(why, "%s.%s: bad memory field",
					  d->name, f->name);
		break;
	case KSTATE_CUSTOM:
		if (!f->save || !f->restore)
			return kstate_why(why, "%s.%s: custom without callbacks",
					  d->name, f->name);
		break;
	default:
		return kstate_why(why, "%s.%s: unknown kind %d", d->name,
				  f->name, f->kind);
	}
	return 0;
}

static int kstate_check_desc(const struct kstate_description *d,
			     unsigned int depth, char *why)
{
	const struct kstate_description * const *sub;
	const struct kstate_field *f, *g;
	unsigned int n = 0;
	int err;

	if (depth > KSTATE_MAX_DEPTH)
		return kstate_why(why, "descriptions nested deeper than %d",
				  KSTATE_MAX_DEPTH);
	if (!kstate_name_ok(d->name) || !d->size || !d->fields ||
	    d->version_id < d->minimum_version_id)
		return kstate_why(why, "description \"%s\": bad name, size, fields or versions",
				  d->name ?: "");
	for (f = d->fields; f->name; f++) {
		if (++n > KSTATE_MAX_FIELDS)
			return kstate_why(why, "%s: more than %d fields",
					  d->name, KSTATE_MAX_FIELDS);
		if (!kstate_name_ok(f->name))
			return kstate_why(why, "%s: a field name is too long",
					  d->name);
		for (g = d->fields; g != f; g++)
			if (!strcmp(f->name, g->name))
				return kstate_why(why, "%s: two fields named %s",
						  d->name, f->name);
		err = kstate_check_field(d, f, depth, why);
		if (err)
			return err;
	}
	n = 0;
	for (sub = d->subsections; sub && *sub; sub++) {
		if (++n > KSTATE_MAX_SUBSECTIONS)
			return kstate_why(why, "%s: more than %d subsections",
					  d->name, KSTATE_MAX_SUBSECTIONS);
		if ((*sub)->size != d->size)
			return kstate_why(why, "%s: subsection %s is for another object",
					  d->name, (*sub)->name ?: "");
		err = kstate_check_desc(*sub, depth + 1, why);
		if (err)
			return err;
	}
	return 0;
}

/**
 * kstate_check_description - check a description before it is used
 * @d: the description
 * @why: %KSTATE_WHY_LEN bytes for the reason of a refusal
 *
 * Return: 0, or -EBADMSG with @why set.
 */
VISIBLE_IF_KUNIT int kstate_check_description(const struct kstate_description *d,
					       char *why)
{
	why[0] = 0;
	return kstate_check_desc(d, 1, why);
}
EXPORT_SYMBOL_IF_KUNIT(kstate_check_description);

/* ---------------------------------------------------------------------- */
/* Writing                                                                */

static u64 kstate_get_uint(const void *p, size_t size)
{
	switch (size) {
	case 1:
		return *(const u8 *)p;
	case 2:
		return *(const u16 *)p;
	case 4:
		return *(const u32 *)p;
	default:
		return *(const u64 *)p;
	}
}

static void kstate_set_uint(void *p, size_t size, u64 v)
{
	switch (size) {
	case 1:
		*(u8 *)p = v;
		break;
	case 2:
		*(u16 *)p = v;
		break;
	case 4:
		*(u32 *)p = v;
		break;
	default:
		*(u64 *)p = v;
		break;
	}
}

VISIBLE_IF_KUNIT void kstate_writer_init(struct kstate_writer *w,
					 const struct kstate_mem_ops *ops)
{
	memset(w, 0, sizeof(*w));
	w->ops = ops;
}
EXPORT_SYMBOL_IF_KUNIT(kstate_writer_init);

/* Room for @len more bytes; the offset where they go, or an error. */
/* Room for @room bytes of stream in all (no more than the cap). */
static int kstate_grow(struct kstate_writer *w, size_t room)
{
	u8 *buf;

	room = min_t(size_t, room, KSTATE_MAX_STREAM);
	if (room <= w->room)
		return 0;
	/*
	 * vmalloc memory from the start: the stream is handed over as a
	 * preserved vmalloc area, with no last copy.
	 */
	if (w->borrowed) {
		buf = vmalloc(room);
		if (!buf)
			return -ENOMEM;
		memcpy(buf, w->buf, w->len);
		w->borrowed = false;
	} else {
		buf = vrealloc(w->buf, room, GFP_KERNEL);
		if (!buf)
			return -ENOMEM;
	}
	w->buf = buf;
	w->room = room;
	return 0;
}

static long kstate_reserve(struct kstate_writer *w, size_t len)
{
	size_t need = w->len + len;
	int err;

	if (len > KSTATE_MAX_STREAM || need > KSTATE_MAX_STREAM)
		return -EFBIG;
	if (need > w->room) {
		err = kstate_grow(w, max3(need, 2 * w->room, (size_t)PAGE_SIZE));
		if (err)
			return err;
	}
	w->len = need;
	return need - len;
}

/**
 * kstate_write_bytes - append bytes to the stream being written
 * @w: the writer passed to a %KSTATE_CUSTOM field's save()
 * @bytes: what to write
 * @len: how many bytes
 *
 * Return: 0, -ENOMEM, or -EFBIG when the stream would exceed
 * %KSTATE_MAX_STREAM.
 */
int kstate_write_bytes(struct kstate_writer *w, const void *bytes, size_t len)
{
	long off = kstate_reserve(w, len);

	if (off < 0)
		return off;
	memcpy(w->buf + off, bytes, len);
	return 0;
}
EXPORT_SYMBOL_GPL(kstate_write_bytes);

static int kstate_put_u8(struct kstate_writer *w, u8 v)
{
	return kstate_write_bytes(w, &v, sizeof(v));
}

static int kstate_put_u32(struct kstate_writer *w, u32 v)
{
	return kstate_write_bytes(w, &v, sizeof(v));
}

static int kstate_put_u64(struct kstate_writer *w, u64 v)
{
	return kstate_write_bytes(w, &v, sizeof(v));
}

static void kstate_patch_u32(struct kstate_writer *w, long off, u32 v)
{
	memcpy(w->buf + off, &v, sizeof(v));
}

static int kstate_save_object(struct kstate_writer *w,
			      const struct kstate_description *d,
			      const void *obj, unsigned int depth);

/* u32 version, u32 length, object. */
static int kstate_save_nested(struct kstate_writer *w,
			      const struct kstate_description *d,
			      const void *obj, unsigned int depth)
{
	long len_off;
	int err;

	err = kstate_put_u32(w, d->version_id);
	if (err)
		return err;
	len_off = kstate_reserve(w, sizeof(u32));
	if (len_off < 0)
		return len_off;
	err = kstate_save_object(w, d, obj, depth + 1);
	if (err)
		return err;
	kstate_patch_u32(w, len_off, w->len - len_off - sizeof(u32));
	return 0;
}

static int kstate_save_memory(struct kstate_writer *w,
			      const struct kstate_field *f, const void *obj,
			      const void *elem)
{
	const struct kstate_mem_ops *ops = w->ops;
	struct kho_vmalloc kv = {};
	struct folio *folio;
	struct page *page;
	unsigned long nr;
	void *ptr;
	int err;

	err = kstate_undo_reserve(&w->undo);
	if (err)
		return err;
	switch (f->kind) {
	case KSTATE_FOLIO:
		folio = *(struct folio * const *)elem;
		if (folio) {
			err = ops->preserve_folio(folio);
			if (err)
				return err;
			kstate_undo_add(&w->undo, KSTATE_UNDO_PRESERVED_FOLIO,
					folio, 0, NULL);
		}
		err = kstate_put_u64(w, folio ? PFN_PHYS(folio_pfn(folio)) : 0);
		return err ?: kstate_put_u32(w, folio ? folio_order(folio) : 0);
	case KSTATE_PAGES:
		page = *(struct page * const *)elem;
		nr = kstate_get_uint(obj + f->count_offset, f->count_size);
		if (page && nr) {
			err = ops->preserve_pages(page, nr);
			if (err)
				return err;
			kstate_undo_add(&w->undo, KSTATE_UNDO_PRESERVED_PAGES,
					page, nr, NULL);
		} else {
			page = NULL;
			nr = 0;
		}
		err = kstate_put_u64(w, page ? PFN_PHYS(page_to_pfn(page)) : 0);
		return err ?: kstate_put_u64(w, nr);
	default: /* KSTATE_VMALLOC */
		ptr = *(void * const *)elem;
		if (!ptr)
			return kstate_put_u8(w, 0);
		err = ops->preserve_vmalloc(ptr, &kv);
		if (err)
			return err;
		kstate_undo_add(&w->undo, KSTATE_UNDO_PRESERVED_VMALLOC, ptr, 0,
				&kv);
		err = kstate_put_u8(w, 1);
		return err ?: kstate_write_bytes(w, &kv, sizeof(kv));
	}
}

static int kstate_save_elem(struct kstate_writer *w,
			    const struct kstate_field *f, const void *obj,
			    const void *elem, unsigned int depth)
{
	const void *ptr;
	long len_off;
	size_t len;
	int err;

	switch (f->kind) {
	case KSTATE_UNSIGNED:
	case KSTATE_SIGNED:
	case KSTATE_BOOL:
		return kstate_write_bytes(w, elem, f->size);
	case KSTATE_STRING:
		len = strnlen(elem, f->size);
		if (len == f->size)
			return -EINVAL;	/* not terminated */
		err = kstate_put_u32(w, len);
		return err ?: kstate_write_bytes(w, elem, len);
	case KSTATE_STRUCT:
		return kstate_save_nested(w, f->desc, elem, depth);
	case KSTATE_POINTER:
	case KSTATE_PTR_ARRAY:
		ptr = *(const void * const *)elem;
		err = kstate_put_u8(w, !!ptr);
		if (err || !ptr)
			return err;
		return kstate_save_nested(w, f->desc, ptr, depth);
	case KSTATE_CUSTOM:
		len_off = kstate_reserve(w, sizeof(u32));
		if (len_off < 0)
			return len_off;
		err = f->save(w, elem);
		if (err)
			return err;
		kstate_patch_u32(w, len_off, w->len - len_off - sizeof(u32));
		return 0;
	default:
		return kstate_save_memory(w, f, obj, elem);
	}
}

/* May an area of @pages pages hold an in-place array of @bytes bytes? */
static bool kstate_inplace_fits(u64 bytes, u64 pages)
{
	return bytes && pages && bytes <= pages << PAGE_SHIFT &&
	       pages <= 2 * DIV_ROUND_UP(bytes, PAGE_SIZE) + 1;
}

/* Is @f, @bytes long at @base, an array to hand over in place? */
static bool kstate_inplace_ok(const struct kstate_field *f, const void *base,
			      size_t bytes)
{
	return (f->flags & KSTATE_F_ALLOC) && bytes >= KSTATE_INPLACE_MIN &&
	       (f->kind == KSTATE_UNSIGNED || f->kind == KSTATE_SIGNED) &&
	       is_vmalloc_addr(base);
}

/* A description of scalars only (no counts, no subsections): rows. */
static bool kstate_flat(const struct kstate_description *d)
{
	const struct kstate_field *f;

	if (d->subsections && d->subsections[0])
		return false;
	for (f = d->fields; f->name; f++)
		if (!kstate_scalar_kind(f->kind) || (f->flags & KSTATE_F_ARRAYS))
			return false;
	return true;
}

/*
 * Most of what saving @obj writes, when it is large: its arrays of
 * integers and of flat structures (a row: the fields' bytes, no padding).
 * The stream is sized from the sum first instead of growing (and copying)
 * as it is written.
 */
static size_t kstate_size_hint(const struct kstate_description *d,
			       const void *obj)
{
	const struct kstate_field *f, *g;
	size_t bytes = 0, elem;
	u64 n;

	for (f = d->fields; f->name; f++) {
		if (f->kind == KSTATE_UNSIGNED || f->kind == KSTATE_SIGNED)
			elem = f->size;
		else if (f->kind == KSTATE_STRUCT && kstate_flat(f->desc))
			for (g = f->desc->fields, elem = 0; g->name; g++)
				elem += g->size * g->count;
		else
			continue;
		n = f->count;
		if (f->flags & KSTATE_F_ARRAYS)
			n = min_t(u64, n, kstate_get_uint(obj + f->count_offset,
							  f->count_size));
		n = min_t(u64, n * elem, KSTATE_MAX_STREAM);
		/* Likely handed over in place (kstate_save_inplace()). */
		if ((f->flags & KSTATE_F_ALLOC) &&
		    kstate_inplace_ok(f, *(const void * const *)(obj + f->offset), n))
			continue;
		bytes += n;
	}
	return bytes;
}

/* Bytes of a row copied at once: @len bytes at @off in the structure. */
struct kstate_run {
	u32 off;
	u32 len;
};

/* The columns of a packed structure array, then @n rows from @base. */
static noinline_for_stack int
kstate_save_rows(struct kstate_writer *w, const struct kstate_description *d,
		 const void *base, size_t elem, unsigned int n)
{
	struct kstate_run run[KSTATE_MAX_FIELDS];
	const struct kstate_field *f;
	u16 cols = 0, zero = 0;
	unsigned int i, j, nr;
	size_t row;
	long off;
	int err;

	for (f = d->fields; f->name; f++)
		cols++;
	err = kstate_put_u32(w, d->version_id);
	err = err ?: kstate_write_bytes(w, &cols, sizeof(cols));
	err = err ?: kstate_write_bytes(w, &zero, sizeof(zero));
	for (f = d->fields; f->name && !err; f++) {
		struct kstate_field_hdr c = {
			.kind = f->kind,
			.name_len = strlen(f->name),
			.elem_bytes = f->size,
			.count = f->count,
			.payload_bytes = f->size * f->count,
		};

		err = kstate_write_bytes(w, &c, sizeof(c));
		err = err ?: kstate_write_bytes(w, f->name, c.name_len);
	}
	if (err)
		return err;
	/*
	 * All rows at once: room first, then straight copies, one per run of
	 * fields that lie next to each other in memory (a row holds them in
	 * field order, so they are next to each other there too).
	 */
	for (f = d->fields, row = 0, nr = 0; f->name; f++) {
		u32 len = f->size * f->count;

		row += len;
		if (nr && run[nr - 1].off + run[nr - 1].len == f->offset)
			run[nr - 1].len += len;
		else
			run[nr++] = (struct kstate_run){ f->offset, len };
	}
	off = kstate_reserve(w, (size_t)n * row);
	if (off < 0)
		return off;
	if (nr == 1 && !run[0].off && run[0].len == elem) {
		memcpy(w->buf + off, base, (size_t)n * elem);
		return 0;
	}
	for (i = 0; i < n; i++) {
		for (j = 0; j < nr; j++) {
			memcpy(w->buf + off, base + i * elem + run[j].off,
			       run[j].len);
			off += run[j].len;
		}
	}
	return 0;
}

/*
 * Hand a large integer array of the object's own vmalloc memory over
 * where it is (KSTATE_FIELD_PRESERVED): its pages are preserved and the
 * payload names them, so that neither kernel copies it. 1 when done so,
 * 0 when the array is to be copied into the stream instead (not a plain
 * vmalloc area of its own, or one far larger than the array), or an error.
 */
static int kstate_save_inplace(struct kstate_writer *w,
			       const struct kstate_field *f, const void *base,
			       size_t bytes)
{
	struct kho_vmalloc kv;
	int err;

	if (!kstate_inplace_ok(f, base, bytes))
		return 0;
	err = kstate_undo_reserve(&w->undo);
	if (err)
		return err;
	if (w->ops->preserve_vmalloc((void *)base, &kv))
		return 0;
	if (!kstate_inplace_fits(bytes, kv.total_pages)) {
		w->ops->unpreserve_vmalloc(&kv);
		return 0;
	}
	kstate_undo_add(&w->undo, KSTATE_UNDO_PRESERVED_VMALLOC, (void *)base,
			0, &kv);
	err = kstate_write_bytes(w, &kv, sizeof(kv));
	return err ?: 1;
}

static int kstate_save_field(struct kstate_writer *w,
			     const struct kstate_field *f, const void *obj,
			     unsigned int depth)
{
	struct kstate_field_hdr hdr = {
		.kind = f->kind,
		.name_len = strlen(f->name),
		.elem_bytes = f->size,
		.count = f->count,
	};
	const void *base = obj + f->offset;
	long hdr_off, start;
	unsigned int i;
	bool bulk;
	u64 n;
	int err;

	if (f->flags & KSTATE_F_ARRAYS) {
		n = kstate_get_uint(obj + f->count_offset, f->count_size);
		if (n > f->count)
			return -EOVERFLOW;
		hdr.count = n;
	}
	if (f->flags & KSTATE_F_ALLOC) {
		base = *(const void * const *)base;
		if (hdr.count && !base)
			return -EINVAL;
	}
	hdr_off = kstate_reserve(w, sizeof(hdr));
	if (hdr_off < 0)
		return hdr_off;
	err = kstate_write_bytes(w, f->name, hdr.name_len);
	if (err)
		return err;
	start = w->len;
	/* Integers are written as they are in memory: one copy. */
	bulk = f->kind == KSTATE_UNSIGNED || f->kind == KSTATE_SIGNED;
	if (bulk) {
		size_t bytes = (size_t)hdr.count * f->size;

		err = kstate_save_inplace(w, f, base, bytes);
		if (err > 0)
			hdr.flags = KSTATE_FIELD_PRESERVED;
		else if (!err)
			err = kstate_write_bytes(w, base, bytes);
		if (err < 0)
			return err;
	}
	/* Structures of scalars: their columns once, then rows. */
	if (f->kind == KSTATE_STRUCT && kstate_flat(f->desc)) {
		hdr.flags = KSTATE_FIELD_PACKED;
		bulk = true;
		err = kstate_save_rows(w, f->desc, base, f->size, hdr.count);
		if (err)
			return err;
	}
	for (i = 0; !bulk && i < hdr.count; i++) {
		err = kstate_save_elem(w, f, obj, base + i * f->size, depth);
		if (err)
			return err;
	}
	hdr.payload_bytes = w->len - start;
	memcpy(w->buf + hdr_off, &hdr, sizeof(hdr));
	return 0;
}

static int kstate_save_object(struct kstate_writer *w,
			      const struct kstate_description *d,
			      const void *obj, unsigned int depth)
{
	const struct kstate_description * const *sub;
	struct kstate_object_hdr hdr = {};
	const struct kstate_field *f;
	long hdr_off;
	int err;

	if (depth > KSTATE_MAX_DEPTH)
		return -ELOOP;
	hdr_off = kstate_reserve(w, sizeof(hdr));
	if (hdr_off < 0)
		return hdr_off;
	for (f = d->fields; f->name; f++, hdr.nr_fields++) {
		err = kstate_save_field(w, f, obj, depth);
		if (err)
			return err;
	}
	for (sub = d->subsections; sub && *sub; sub++) {
		struct kstate_sub_hdr sh = {
			.name_len = strlen((*sub)->name),
			.version_id = (*sub)->version_id,
		};
		long sh_off;

		if ((*sub)->needed && !(*sub)->needed(obj))
			continue;
		sh_off = kstate_reserve(w, sizeof(sh));
		if (sh_off < 0)
			return sh_off;
		err = kstate_write_bytes(w, (*sub)->name, sh.name_len);
		if (err)
			return err;
		err = kstate_save_object(w, *sub, obj, depth + 1);
		if (err)
			return err;
		sh.bytes = w->len - sh_off - sizeof(sh) - sh.name_len;
		memcpy(w->buf + sh_off, &sh, sizeof(sh));
		hdr.nr_subsections++;
	}
	memcpy(w->buf + hdr_off, &hdr, sizeof(hdr));
	return 0;
}

/**
 * kstate_write_stream_hdr - start a stream
 * @w: an empty writer
 * @nr_records: records that kstate_save_record() will append
 *
 * Return: 0 or -ENOMEM.
 */
VISIBLE_IF_KUNIT int kstate_write_stream_hdr(struct kstate_writer *w,
					     u32 nr_records)
{
	struct kstate_stream_hdr hdr = {
		.magic = KSTATE_STREAM_MAGIC,
		.version = KSTATE_STREAM_VERSION,
		.hdr_bytes = sizeof(hdr),
		.nr_records = nr_records,
		.bytes = sizeof(hdr),
	};

	return kstate_write_bytes(w, &hdr, sizeof(hdr));
}
EXPORT_SYMBOL_IF_KUNIT(kstate_write_stream_hdr);

/**
 * kstate_save_record - append one instance to a stream
 * @w: the writer
 * @d: its description (checked)
 * @obj: the instance
 * @instance_id: its id
 *
 * Memory fields are preserved on the way; kstate_writer_fail() undoes
 * that for a stream that will not be handed over.
 *
 * Return: 0, or an error, after which the stream is as it was before the
 * call (the record's bytes dropped, its memory unpreserved).
 */
VISIBLE_IF_KUNIT int kstate_save_record(struct kstate_writer *w,
					const struct kstate_description *d,
					const void *obj, u32 instance_id)
{
	struct kstate_record_hdr hdr = {
		.instance_id = instance_id,
		.version_id = d->version_id,
		.name_len = strlen(d->name),
	};
	struct kstate_undo mine;
	size_t start = w->len;
	long off;
	int err;

	off = kstate_reserve(w, sizeof(hdr));
	err = off < 0 ? off : kstate_write_bytes(w, d->name, hdr.name_len);
	if (!err)
		err = kstate_save_object(w, d, obj, 1);
	if (err) {
		/* Take this record back: its bytes and what it preserved. */
		mine.ent = w->undo.ent + w->undo_mark;
		mine.nr = w->undo.nr - w->undo_mark;
		mine.room = mine.nr;
		kstate_undo_all(&mine, w->ops);
		w->undo.nr = w->undo_mark;
		w->len = start;
		return err;
	}
	w->undo_mark = w->undo.nr;
	hdr.bytes = w->len - off;
	memcpy(w->buf + off, &hdr, sizeof(hdr));
	/* The stream's total so far. */
	((struct kstate_stream_hdr *)w->buf)->bytes = w->len;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(kstate_save_record);

VISIBLE_IF_KUNIT void kstate_writer_done(struct kstate_writer *w)
{
	kstate_undo_forget(&w->undo);
	w->undo_mark = 0;
	if (!w->borrowed)
		kvfree(w->buf);
	w->borrowed = false;
	w->buf = NULL;
	w->len = 0;
	w->room = 0;
}
EXPORT_SYMBOL_IF_KUNIT(kstate_writer_done);

/* A stream that will not be handed over: unpreserve its memory. */
VISIBLE_IF_KUNIT void kstate_writer_fail(struct kstate_writer *w)
{
	kstate_undo_all(&w->undo, w->ops);
	kstate_writer_done(w);
}
EXPORT_SYMBOL_IF_KUNIT(kstate_writer_fail);

/* ---------------------------------------------------------------------- */
/* Reading                                                                */

struct kstate_rd {
	const u8 *p;
	size_t left;
};

static bool kstate_take(struct kstate_rd *r, void *out, size_t len)
{
	if (r->left < len)
		return false;
	if (out)
		memcpy(out, r->p, len);
	r->p += len;
	r->left -= len;
	return true;
}

/* The next @len bytes as a reader of their own. */
static bool kstate_carve(struct kstate_rd *r, size_t len, struct kstate_rd *sub)
{
	if (r->left < len)
		return false;
	sub->p = r->p;
	sub->left = len;
	r->p += len;
	r->left -= len;
	return true;
}

struct kstate_load {
	const struct kstate_mem_ops *ops;
	struct kstate_undo undo;
	char *why;
};

static int kstate_load_object(struct kstate_load *ld,
			      const struct kstate_description *d, void *obj,
			      u32 version, struct kstate_rd *r,
			      unsigned int depth);

/* u32 version, u32 length, then an object of exactly that length. */
static int kstate_load_nested(struct kstate_load *ld,
			      const struct kstate_field *f, void *obj,
			      struct kstate_rd *r, unsigned int depth)
{
	struct kstate_rd sub;
	u32 version, len;

	if (!kstate_take(r, &version, sizeof(version)) ||
	    !kstate_take(r, &len, sizeof(len)) || !kstate_carve(r, len, &sub))
		return kstate_why(ld->why, "%s: nested object overruns the field",
				  f->name);
	return kstate_load_object(ld, f->desc, obj, version, &sub, depth + 1);
}

/* A scalar of @width bytes in the stream into the object's field. */
static int kstate_load_scalar(struct kstate_load *ld,
			      const struct kstate_field *f, void *elem,
			      u32 width, struct kstate_rd *r)
{
	u64 v = 0, max;
	s64 s;

	if (!kstate_width_ok(width) || !kstate_take(r, &v, width))
		return kstate_why(ld->why, "%s: bad scalar width %u", f->name,
				  width);
	switch (f->kind) {
	case KSTATE_BOOL:
		if (width != 1 || v > 1)
			return kstate_why(ld->why, "%s: not a bool", f->name);
		*(bool *)elem = v;
		return 0;
	case KSTATE_SIGNED:
		/* Sign-extend from the writer's width, fit into ours. */
		s = width == 8 ? (s64)v : sign_extend64(v, width * 8 - 1);
		if (f->size < 8 && (s < -(1LL << (f->size * 8 - 1)) ||
				    s >= (1LL << (f->size * 8 - 1))))
			return kstate_why(ld->why, "%s: %lld does not fit in %zu bytes",
					  f->name, s, f->size);
		kstate_set_uint(elem, f->size, (u64)s);
		return 0;
	default:
		max = f->size == 8 ? U64_MAX : (1ULL << (f->size * 8)) - 1;
		if (v > max)
			return kstate_why(ld->why, "%s: %llu does not fit in %zu bytes",
					  f->name, v, f->size);
		kstate_set_uint(elem, f->size, v);
		return 0;
	}
}

static int kstate_load_pointer(struct kstate_load *ld,
			       const struct kstate_field *f, void *elem,
			       struct kstate_rd *r, unsigned int depth)
{
	void **slot = elem;
	u8 present;
	void *p;
	int err;

	if (!kstate_take(r, &present, 1) || present > 1)
		return kstate_why(ld->why, "%s: bad pointer", f->name);
	if (!present)
		return 0;
	if (*slot)
		return kstate_why(ld->why, "%s: the object already points somewhere",
				  f->name);
	err = kstate_undo_reserve(&ld->undo);
	if (err)
		return err;
	p = kzalloc(f->desc->size, GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	kstate_undo_add(&ld->undo, KSTATE_UNDO_KMALLOC, p, 0, NULL);
	*slot = p;
	return kstate_load_nested(ld, f, p, r, depth);
}

/* The count field of a varray or page range, after its field was read. */
static int kstate_set_count(struct kstate_load *ld,
			    const struct kstate_field *f, void *obj, u64 n,
			    bool count_seen)
{
	void *cnt = obj + f->count_offset;

	if (count_seen) {
		if (kstate_get_uint(cnt, f->count_size) != n)
			return kstate_why(ld->why, "%s: %llu elements but its count says %llu",
					  f->name, n,
					  kstate_get_uint(cnt, f->count_size));
		return 0;
	}
	kstate_set_uint(cnt, f->count_size, n);
	return 0;
}

static int kstate_load_memory(struct kstate_load *ld,
			      const struct kstate_field *f, void *obj,
			      void *elem, struct kstate_rd *r,
			      bool count_seen)
{
	const struct kstate_mem_ops *ops = ld->ops;
	struct kho_vmalloc kv;
	struct folio *folio;
	struct page *page;
	u64 phys, nr;
	u32 order;
	u8 present;
	void *ptr;
	int err;

	err = kstate_undo_reserve(&ld->undo);
	if (err)
		return err;
	switch (f->kind) {
	case KSTATE_FOLIO:
		if (!kstate_take(r, &phys, 8) || !kstate_take(r, &order, 4))
			return kstate_why(ld->why, "%s: truncated", f->name);
		if (!phys)
			return 0;
		if (!PAGE_ALIGNED(phys) || order > MAX_PAGE_ORDER ||
		    ops->preserved_order(phys) != order)
			return kstate_why(ld->why, "%s: folio at %#llx order %u was not preserved",
					  f->name, phys, order);
		if (*(void **)elem)
			return kstate_why(ld->why, "%s: the object already has a folio",
					  f->name);
		folio = ops->restore_folio(phys);
		if (!folio)
			return kstate_why(ld->why, "%s: folio at %#llx cannot be restored",
					  f->name, phys);
		kstate_undo_add(&ld->undo, KSTATE_UNDO_FOLIO, folio, 0, NULL);
		*(struct folio **)elem = folio;
		return 0;
	case KSTATE_PAGES:
		if (!kstate_take(r, &phys, 8) || !kstate_take(r, &nr, 8))
			return kstate_why(ld->why, "%s: truncated", f->name);
		if (!phys)
			return kstate_set_count(ld, f, obj, 0, count_seen);
		if (!PAGE_ALIGNED(phys) || !nr || nr > (KSTATE_MAX_STREAM * 64ULL))
			return kstate_why(ld->why, "%s: bad page range %#llx+%llu",
					  f->name, phys, nr);
		if (*(void **)elem)
			return kstate_why(ld->why, "%s: the object already has pages",
					  f->name);
		err = kstate_set_count(ld, f, obj, nr, count_seen);
		if (err)
			return err;
		page = ops->restore_pages(phys, nr);
		if (!page)
			return kstate_why(ld->why, "%s: %llu pages at %#llx were not preserved",
					  f->name, nr, phys);
		kstate_undo_add(&ld->undo, KSTATE_UNDO_PAGES, page, nr, NULL);
		*(struct page **)elem = page;
		return 0;
	default: /* KSTATE_VMALLOC */
		if (!kstate_take(r, &present, 1) || present > 1)
			return kstate_why(ld->why, "%s: bad vmalloc field", f->name);
		if (!present)
			return 0;
		if (!kstate_take(r, &kv, sizeof(kv)))
			return kstate_why(ld->why, "%s: truncated", f->name);
		if (*(void **)elem)
			return kstate_why(ld->why, "%s: the object already has an area",
					  f->name);
		ptr = ops->restore_vmalloc(&kv);
		if (!ptr)
			return kstate_why(ld->why, "%s: vmalloc area was not preserved",
					  f->name);
		kstate_undo_add(&ld->undo, KSTATE_UNDO_VMALLOC, ptr, 0, &kv);
		*(void **)elem = ptr;
		return 0;
	}
}

static int kstate_load_elem(struct kstate_load *ld,
			    const struct kstate_field *f, void *obj,
			    void *elem, const struct kstate_field_hdr *h,
			    struct kstate_rd *r, unsigned int depth,
			    bool count_seen)
{
	const void *bytes;
	u32 len;

	switch (f->kind) {
	case KSTATE_UNSIGNED:
	case KSTATE_SIGNED:
	case KSTATE_BOOL:
		return kstate_load_scalar(ld, f, elem, h->elem_bytes, r);
	case KSTATE_STRING:
		bytes = r->p + sizeof(len);
		if (!kstate_take(r, &len, sizeof(len)) || !kstate_take(r, NULL, len))
			return kstate_why(ld->why, "%s: truncated string", f->name);
		if (len >= f->size || memchr(bytes, 0, len))
			return kstate_why(ld->why, "%s: string of %u bytes does not fit %zu",
					  f->name, len, f->size);
		memcpy(elem, bytes, len);
		memset(elem + len, 0, f->size - len);
		return 0;
	case KSTATE_STRUCT:
		return kstate_load_nested(ld, f, elem, r, depth);
	case KSTATE_POINTER:
	case KSTATE_PTR_ARRAY:
		return kstate_load_pointer(ld, f, elem, r, depth);
	case KSTATE_CUSTOM:
		bytes = r->p + sizeof(len);
		if (!kstate_take(r, &len, sizeof(len)) || !kstate_take(r, NULL, len))
			return kstate_why(ld->why, "%s: truncated", f->name);
		if (f->restore(elem, bytes, len))
			return kstate_why(ld->why, "%s: refused by its restore()",
					  f->name);
		return 0;
	default:
		return kstate_load_memory(ld, f, obj, elem, r, count_seen);
	}
}

/* Was the field that holds @f's count already read from the stream? */
static bool kstate_count_seen(const struct kstate_description *d,
			      const struct kstate_field *f, u64 seen)
{
	const struct kstate_field *cnt = kstate_field_at(d, f->count_offset);

	return cnt && (seen & BIT_ULL(cnt - d->fields));
}

static bool kstate_field_is(const struct kstate_field *f, const char *name,
			    size_t len)
{
	/* @name is the stream's: it may hold a NUL. */
	return strlen(f->name) == len && !memcmp(f->name, name, len);
}

/*
 * The field named @name, tried first at @hint (the one after the field
 * found last: a writer of the same version writes them in this order).
 */
static const struct kstate_field *
kstate_find_field(const struct kstate_description *d, const char *name,
		  size_t len, const struct kstate_field *hint)
{
	const struct kstate_field *f;

	if (hint && hint->name && kstate_field_is(hint, name, len))
		return hint;
	for (f = d->fields; f->name; f++)
		if (kstate_field_is(f, name, len))
			return f;
	return NULL;
}

static int kstate_finish_object(struct kstate_load *ld,
				const struct kstate_description *d, void *obj,
				u64 seen);

/*
 * One column of a packed structure array, and where it goes. Columns
 * whose elements are as wide as their fields are copied (@cp: their runs,
 * each a run of columns next to each other in the row and in the
 * structure); the others (@conv) are converted element by element.
 */
struct kstate_col {
	const struct kstate_field *f;	/* NULL: not in this kernel */
	struct kstate_field_hdr h;
	u32 off;			/* in the row */
	struct {
		u32 src, dst, len;	/* row offset, field offset, bytes */
	} cp;
	u16 conv;
};

/* Rows of a packed structure array (KSTATE_FIELD_PACKED) into @base. */
static int kstate_load_rows(struct kstate_load *ld,
			    const struct kstate_field *f, void *base,
			    u32 n, struct kstate_rd *r)
{
	const struct kstate_description *d = f->desc;
	u32 version, i, j, c = 0, ncp = 0, nconv = 0;
	const struct kstate_field *g;
	struct kstate_col *col;
	u64 row = 0, seen = 0;
	bool finish = false;
	u16 cols, zero;
	int err = 0;

	if (!kstate_take(r, &version, 4) || !kstate_take(r, &cols, 2) ||
	    !kstate_take(r, &zero, 2) || cols > KSTATE_MAX_FIELDS || zero)
		return kstate_why(ld->why, "%s: bad rows", f->name);
	if (version < d->minimum_version_id)
		return kstate_why(ld->why, "%s: version %u is older than %u, the oldest this kernel reads",
				  d->name, version, d->minimum_version_id);
	col = kcalloc(cols ?: 1, sizeof(*col), GFP_KERNEL);
	if (!col)
		return -ENOMEM;
	for (j = 0; j < cols; j++) {
		const char *name = (const char *)r->p + sizeof(col[j].h);
		struct kstate_field_hdr *c = &col[j].h;

		if (!kstate_take(r, c, sizeof(*c)) || !c->name_len ||
		    c->name_len > KSTATE_NAME_MAX || !kstate_take(r, NULL, c->name_len) ||
		    c->flags || !kstate_width_ok(c->elem_bytes) || !c->count ||
		    c->count > KSTATE_MAX_STREAM / c->elem_bytes ||
		    c->payload_bytes != c->elem_bytes * c->count ||
		    (c->kind != KSTATE_K_UNSIGNED && c->kind != KSTATE_K_SIGNED &&
		     c->kind != KSTATE_K_BOOL)) {
			err = kstate_why(ld->why, "%s: bad column %u", f->name, j);
			goto out;
		}
		col[j].off = row;
		row += c->payload_bytes;
		col[j].f = kstate_find_field(d, name, c->name_len,
					     j && col[j - 1].f ? col[j - 1].f + 1 : NULL);
		g = col[j].f;
		if (!g)
			continue;
		if (seen & BIT_ULL(g - d->fields) || g->kind != c->kind ||
		    c->count > g->count) {
			err = kstate_why(ld->why, "%s.%s: column does not match",
					 d->name, g->name);
			goto out;
		}
		seen |= BIT_ULL(g - d->fields);
	}
	if (r->left != row * n || (n && row > r->left / n)) {
		err = kstate_why(ld->why, "%s: %u rows of %llu bytes in %zu",
				 f->name, n, row, r->left);
		goto out;
	}
	/* Defaults and counts to see to after each row? */
	for (g = d->fields; g->name; g++)
		if ((g->flags & (KSTATE_F_DEFAULT | KSTATE_F_ARRAYS)) ||
		    g->kind == KSTATE_PAGES)
			finish = true;
	/* The work for every row, worked out once (see struct kstate_col). */
	for (j = 0; j < cols; j++) {
		u32 len = col[j].h.payload_bytes;

		g = col[j].f;
		if (g && (g->kind == KSTATE_BOOL || col[j].h.elem_bytes != g->size)) {
			col[nconv++].conv = j;
			g = NULL;
		}
		if (!g) {
			c = ncp;	/* no run goes on across it */
			continue;
		}
		if (ncp && c == ncp - 1 &&
		    col[c].cp.dst + col[c].cp.len == g->offset) {
			col[c].cp.len += len;
			continue;
		}
		c = ncp++;
		col[c].cp.src = col[j].off;
		col[c].cp.dst = g->offset;
		col[c].cp.len = len;
	}
	for (i = 0; i < n && !err; i++) {
		void *elem = base + (size_t)i * f->size;
		const u8 *p = r->p + (size_t)i * row;

		for (c = 0; c < ncp; c++)
			memcpy(elem + col[c].cp.dst, p + col[c].cp.src,
			       col[c].cp.len);
		for (c = 0; c < nconv && !err; c++) {
			struct kstate_rd v;
			u32 k;

			j = col[c].conv;
			v.p = p + col[j].off;
			v.left = col[j].h.payload_bytes;
			g = col[j].f;
			for (k = 0; k < col[j].h.count && !err; k++)
				err = kstate_load_scalar(ld, g, elem + g->offset + k * g->size,
							 col[j].h.elem_bytes, &v);
		}
		if (!err && finish)
			err = kstate_finish_object(ld, d, elem, seen);
	}
	if (!err)
		kstate_take(r, NULL, r->left);
out:
	kfree(col);
	return err;
}

/*
 * An integer array the writer left in place (KSTATE_FIELD_PRESERVED):
 * the payload names a preserved vmalloc area, checked against the count
 * before it is mapped. Of the same width as ours, the area becomes the
 * object's array (what follows the elements cleared); else the elements
 * are converted into an array of ours and the area is given back.
 */
static int kstate_load_inplace(struct kstate_load *ld,
			       const struct kstate_description *d,
			       const struct kstate_field *f,
			       const struct kstate_field_hdr *h,
			       struct kstate_rd *payload, void **slot)
{
	struct kstate_undo_ent *e;
	struct kho_vmalloc kv;
	struct kstate_rd r;
	size_t bytes;
	void *area, *arr;
	u32 i;
	int err;

	if (payload->left != sizeof(kv) || !kstate_width_ok(h->elem_bytes))
		return kstate_why(ld->why, "%s.%s: bad in-place array",
				  d->name, f->name);
	kstate_take(payload, &kv, sizeof(kv));
	bytes = (size_t)h->count * h->elem_bytes;
	if (!kstate_inplace_fits(bytes, kv.total_pages))
		return kstate_why(ld->why, "%s.%s: %u elements of %u bytes in an area of %u pages",
				  d->name, f->name, h->count, h->elem_bytes,
				  kv.total_pages);
	err = kstate_undo_reserve(&ld->undo);
	if (err)
		return err;
	area = ld->ops->restore_vmalloc(&kv);
	if (!area)
		return kstate_why(ld->why, "%s.%s: vmalloc area was not preserved",
				  d->name, f->name);
	kstate_undo_add(&ld->undo, KSTATE_UNDO_VMALLOC, area, 0, &kv);
	e = &ld->undo.ent[ld->undo.nr - 1];
	if (h->elem_bytes == f->size) {
		memset(area + bytes, 0, ((size_t)kv.total_pages << PAGE_SHIFT) -
		       bytes);
		*slot = area;
		return 0;
	}
	arr = kvcalloc(h->count, f->size, GFP_KERNEL);
	if (!arr)
		return -ENOMEM;
	r.p = area;
	r.left = bytes;
	for (i = 0; i < h->count; i++) {
		err = kstate_load_scalar(ld, f, arr + (size_t)i * f->size,
					 h->elem_bytes, &r);
		if (err) {
			kvfree(arr);
			return err;
		}
	}
	/* The area's undo entry now undoes the array of ours. */
	ld->ops->restore_vfree(area, &kv);
	e->what = KSTATE_UNDO_KVMALLOC;
	e->ptr = arr;
	*slot = arr;
	return 0;
}

static int kstate_load_field(struct kstate_load *ld,
			     const struct kstate_description *d, void *obj,
			     const struct kstate_field *f,
			     const struct kstate_field_hdr *h,
			     struct kstate_rd *payload, u64 *seen,
			     unsigned int depth)
{
	bool counted = f->flags & KSTATE_F_ARRAYS;
	void **slot = obj + f->offset;
	void *base = obj + f->offset;
	bool packed = h->flags & KSTATE_FIELD_PACKED;
	bool preserved = h->flags & KSTATE_FIELD_PRESERVED;
	bool count_seen = false, bulk;
	unsigned int i, room;
	u64 before = 0;
	int err;

	if (h->kind != f->kind)
		return kstate_why(ld->why, "%s.%s: kind %u, this kernel has %u",
				  d->name, f->name, h->kind, f->kind);
	if (h->flags & ~(KSTATE_FIELD_PACKED | KSTATE_FIELD_PRESERVED) ||
	    (packed && f->kind != KSTATE_STRUCT) ||
	    (preserved && (!(f->flags & KSTATE_F_ALLOC) ||
			   (f->kind != KSTATE_UNSIGNED &&
			    f->kind != KSTATE_SIGNED))))
		return kstate_why(ld->why, "%s.%s: unexpected flags %#x",
				  d->name, f->name, h->flags);
	room = f->kind == KSTATE_PAGES ? 1 : f->count;
	if (h->count > room)
		return kstate_why(ld->why, "%s.%s: %u elements, room for %u",
				  d->name, f->name, h->count, room);
	if (kstate_counted(f))
		count_seen = kstate_count_seen(d, f, *seen);
	if (kstate_count_like(f) && kstate_field_at(d, f->offset) == f)
		before = kstate_get_uint(obj + f->offset, f->size);
	if ((f->flags & KSTATE_F_ALLOC) && (h->count || preserved) && *slot)
		return kstate_why(ld->why, "%s.%s: the object already has an array",
				  d->name, f->name);
	if (preserved) {
		err = kstate_load_inplace(ld, d, f, h, payload, slot);
		if (err)
			return err;
	} else if ((f->flags & KSTATE_F_ALLOC) && h->count) {
		err = kstate_undo_reserve(&ld->undo);
		if (err)
			return err;
		base = kvcalloc(h->count, f->size, GFP_KERNEL);
		if (!base)
			return -ENOMEM;
		kstate_undo_add(&ld->undo, KSTATE_UNDO_KVMALLOC, base, 0, NULL);
		*slot = base;
	}
	if (packed) {
		err = kstate_load_rows(ld, f, base, h->count, payload);
		if (err)
			return err;
	}
	/* Integers of the same width: one copy. */
	bulk = !packed && !preserved && (f->kind == KSTATE_UNSIGNED ||
					 f->kind == KSTATE_SIGNED) &&
	       h->elem_bytes == f->size;
	if (bulk) {
		if (payload->left != (u64)h->count * f->size)
			return kstate_why(ld->why, "%s.%s: %u elements in %zu bytes",
					  d->name, f->name, h->count,
					  payload->left);
		kstate_take(payload, base, payload->left);
	}
	for (i = 0; !bulk && !packed && !preserved && i < h->count; i++) {
		err = kstate_load_elem(ld, f, obj, base + i * f->size,
				       h, payload, depth, count_seen);
		if (err)
			return err;
	}
	if (payload->left)
		return kstate_why(ld->why, "%s.%s: %zu bytes left in the field",
				  d->name, f->name, payload->left);
	if (counted) {
		err = kstate_set_count(ld, f, obj, h->count, count_seen);
		if (err)
			return err;
	}
	*seen |= BIT_ULL(f - d->fields);
	/*
	 * A count field read after its array (or page range) must say what
	 * the array had, which kstate_set_count() stored there.
	 */
	if (kstate_count_like(f) && kstate_field_at(d, f->offset) == f) {
		const struct kstate_field *a;

		for (a = d->fields; a->name; a++) {
			if (!kstate_counted(a))
				continue;
			if (a->count_offset == f->offset &&
			    (*seen & BIT_ULL(a - d->fields)) &&
			    kstate_get_uint(obj + f->offset, f->size) != before)
				return kstate_why(ld->why, "%s.%s: count %llu, its array had %llu",
						  d->name, f->name,
						  kstate_get_uint(obj + f->offset, f->size),
						  before);
		}
	}
	return 0;
}


static const struct kstate_description *
kstate_find_sub(const struct kstate_description *d, const char *name,
		size_t len)
{
	const struct kstate_description * const *sub;

	for (sub = d->subsections; sub && *sub; sub++)
		if (strlen((*sub)->name) == len &&
		    !memcmp((*sub)->name, name, len))
			return *sub;
	return NULL;
}

static unsigned int kstate_sub_index(const struct kstate_description *d,
				     const struct kstate_description *sd)
{
	unsigned int i;

	for (i = 0; d->subsections[i] != sd; i++)
		;
	return i;
}

/* After all fields: defaults, and arrays whose count never came. */
static int kstate_finish_object(struct kstate_load *ld,
				const struct kstate_description *d, void *obj,
				u64 seen)
{
	const struct kstate_field *f;
	u64 n;

	for (f = d->fields; f->name; f++) {
		bool here = seen & BIT_ULL(f - d->fields);

		if (!here && (f->flags & KSTATE_F_DEFAULT)) {
			if (f->kind == KSTATE_BOOL)
				*(bool *)(obj + f->offset) = !!f->def;
			else
				kstate_set_uint(obj + f->offset, f->size, f->def);
		}
		if (!kstate_counted(f))
			continue;
		n = kstate_get_uint(obj + f->count_offset, f->count_size);
		if ((f->flags & KSTATE_F_ARRAYS) && n > f->count)
			return kstate_why(ld->why, "%s.%s: count %llu, room for %u",
					  d->name, f->name, n, f->count);
		/* A count without the pages or allocated array it counts. */
		if (f->kind == KSTATE_PAGES || (f->flags & KSTATE_F_ALLOC)) {
			if (!here && n && !*(void **)(obj + f->offset))
				return kstate_why(ld->why, "%s.%s: a count without its memory",
						  d->name, f->name);
		}
	}
	return 0;
}

static int kstate_load_object(struct kstate_load *ld,
			      const struct kstate_description *d, void *obj,
			      u32 version, struct kstate_rd *r,
			      unsigned int depth)
{
	const struct kstate_description *sd;
	const struct kstate_field *f;
	struct kstate_object_hdr oh;
	u64 seen = 0, subs_seen = 0;
	unsigned int i;
	int err;

	if (depth > KSTATE_MAX_DEPTH)
		return kstate_why(ld->why, "%s: nested deeper than %d", d->name,
				  KSTATE_MAX_DEPTH);
	if (version < d->minimum_version_id)
		return kstate_why(ld->why, "%s: version %u is older than %u, the oldest this kernel reads",
				  d->name, version, d->minimum_version_id);
	if (!kstate_take(r, &oh, sizeof(oh)) ||
	    oh.nr_fields > KSTATE_MAX_FIELDS ||
	    oh.nr_subsections > KSTATE_MAX_SUBSECTIONS)
		return kstate_why(ld->why, "%s: bad object header", d->name);

	for (i = 0, f = NULL; i < oh.nr_fields; i++) {
		struct kstate_field_hdr h;
		struct kstate_rd payload;
		const char *name;

		name = (const char *)r->p + sizeof(h);
		if (!kstate_take(r, &h, sizeof(h)) || !h.name_len ||
		    h.name_len > KSTATE_NAME_MAX || !kstate_take(r, NULL, h.name_len) ||
		    !kstate_carve(r, h.payload_bytes, &payload))
			return kstate_why(ld->why, "%s: field %u overruns the object",
					  d->name, i);
		f = kstate_find_field(d, name, h.name_len, f ? f + 1 : NULL);
		if (!f)
			continue;	/* a field this kernel does not have */
		if (seen & BIT_ULL(f - d->fields))
			return kstate_why(ld->why, "%s.%s: twice", d->name, f->name);
		err = kstate_load_field(ld, d, obj, f, &h, &payload, &seen, depth);
		if (err)
			return err;
	}
	err = kstate_finish_object(ld, d, obj, seen);
	if (err)
		return err;

	for (i = 0; i < oh.nr_subsections; i++) {
		struct kstate_sub_hdr sh;
		struct kstate_rd body;
		const char *name;

		name = (const char *)r->p + sizeof(sh);
		if (!kstate_take(r, &sh, sizeof(sh)) || !sh.name_len ||
		    sh.name_len > KSTATE_NAME_MAX || !kstate_take(r, NULL, sh.name_len) ||
		    !kstate_carve(r, sh.bytes, &body))
			return kstate_why(ld->why, "%s: subsection %u overruns the object",
					  d->name, i);
		sd = kstate_find_sub(d, name, sh.name_len);
		if (!sd)
			return kstate_why(ld->why, "%s: subsection %.*s is not known to this kernel",
					  d->name, sh.name_len, name);
		if (subs_seen & BIT_ULL(kstate_sub_index(d, sd)))
			return kstate_why(ld->why, "%s: subsection %s twice",
					  d->name, sd->name);
		subs_seen |= BIT_ULL(kstate_sub_index(d, sd));
		err = kstate_load_object(ld, sd, obj, sh.version_id, &body,
					 depth + 1);
		if (err)
			return err;
		if (body.left)
			return kstate_why(ld->why, "%s: %zu bytes left in subsection %s",
					  d->name, body.left, sd->name);
	}
	if (r->left)
		return kstate_why(ld->why, "%s: %zu bytes left in the object",
				  d->name, r->left);
	return 0;
}

/**
 * kstate_load_record - restore one instance from its record
 * @ops: how to take memory fields back
 * @rec: the record (from kstate_parse_stream())
 * @d: this kernel's description (checked)
 * @obj: the instance; replaced only when the whole record is accepted
 * @why: %KSTATE_WHY_LEN bytes for the reason of a refusal
 *
 * Return: 0, or an error with @why set; after an error @obj is unchanged
 * and what the decoding allocated or took back is freed.
 */
VISIBLE_IF_KUNIT int kstate_load_record(const struct kstate_mem_ops *ops,
					const struct kstate_in_rec *rec,
					const struct kstate_description *d,
					void *obj, char *why)
{
	struct kstate_load ld = { .ops = ops, .why = why };
	struct kstate_rd r = { .p = rec->body, .left = rec->bytes };
	void *tmp;
	int err;

	why[0] = 0;
	tmp = kmemdup(obj, d->size, GFP_KERNEL);
	if (!tmp)
		return -ENOMEM;
	err = kstate_load_object(&ld, d, tmp, rec->version_id, &r, 1);
	if (!err && d->post_load) {
		err = d->post_load(tmp, rec->version_id);
		if (err)
			kstate_why(why, "%s: refused by its post_load() (%d)",
				   d->name, err);
	}
	if (err) {
		if (!why[0])
			kstate_why(why, "%s: %d", d->name, err);
		kstate_undo_all(&ld.undo, ops);
	} else {
		memcpy(obj, tmp, d->size);
	}
	kstate_undo_forget(&ld.undo);
	kfree(tmp);
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(kstate_load_record);

static int kstate_rec_cmp(const void *a, const void *b)
{
	const struct kstate_in_rec *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	return x->instance_id < y->instance_id ? -1 :
	       x->instance_id > y->instance_id;
}

/**
 * kstate_parse_stream - index the records of an incoming stream
 * @stream: the stream
 * @bytes: its size
 * @recs: set to a kcalloc()ed array of the records
 * @nr: set to their number
 * @why: %KSTATE_WHY_LEN bytes for the reason of a refusal
 *
 * Checks the stream and record headers; the objects are checked when
 * their records are loaded. A second record for the same name and id is
 * refused with the stream.
 *
 * Return: 0, or an error with @why set.
 */
VISIBLE_IF_KUNIT int kstate_parse_stream(const void *stream, size_t bytes,
					 struct kstate_in_rec **recs, u32 *nr,
					 char *why)
{
	struct kstate_rd r = { .p = stream, .left = bytes };
	struct kstate_stream_hdr sh;
	struct kstate_in_rec *in;
	u32 i;

	why[0] = 0;
	*recs = NULL;
	*nr = 0;
	if (!kstate_take(&r, &sh, sizeof(sh)) ||
	    sh.magic != KSTATE_STREAM_MAGIC)
		return kstate_why(why, "not a KSTATE stream");
	if (sh.version != KSTATE_STREAM_VERSION)
		return kstate_why(why, "stream format %u, this kernel reads %u",
				  sh.version, KSTATE_STREAM_VERSION);
	if (sh.hdr_bytes < sizeof(sh) || sh.bytes != bytes ||
	    sh.hdr_bytes > bytes || sh.nr_records > KSTATE_MAX_RECORDS)
		return kstate_why(why, "bad stream header");
	r.p = stream + sh.hdr_bytes;
	r.left = bytes - sh.hdr_bytes;
	if (sh.nr_records > r.left / sizeof(struct kstate_record_hdr))
		return kstate_why(why, "%u records cannot fit in %zu bytes",
				  sh.nr_records, r.left);
	in = kvcalloc(sh.nr_records ?: 1, sizeof(*in), GFP_KERNEL);
	if (!in)
		return -ENOMEM;
	for (i = 0; i < sh.nr_records; i++) {
		struct kstate_record_hdr rh;
		const char *name = (const char *)r.p + sizeof(rh);

		if (!kstate_take(&r, &rh, sizeof(rh)) || !rh.name_len ||
		    rh.name_len > KSTATE_NAME_MAX ||
		    rh.bytes < sizeof(rh) + rh.name_len ||
		    rh.bytes - sizeof(rh) > r.left) {
			kvfree(in);
			return kstate_why(why, "record %u overruns the stream", i);
		}
		memcpy(in[i].name, name, rh.name_len);
		in[i].instance_id = rh.instance_id;
		in[i].version_id = rh.version_id;
		in[i].body = name + rh.name_len;
		in[i].bytes = rh.bytes - sizeof(rh) - rh.name_len;
		kstate_take(&r, NULL, rh.bytes - sizeof(rh));
	}
	if (r.left) {
		kvfree(in);
		return kstate_why(why, "%zu bytes after the last record", r.left);
	}
	/* Sorted by name and id: duplicates are neighbours, lookups bsearch. */
	sort(in, sh.nr_records, sizeof(*in), kstate_rec_cmp, NULL);
	for (i = 1; i < sh.nr_records; i++) {
		if (!kstate_rec_cmp(&in[i - 1], &in[i])) {
			kstate_why(why, "%s/%u twice", in[i].name,
				   in[i].instance_id);
			kvfree(in);
			return -EBADMSG;
		}
	}
	*recs = in;
	*nr = sh.nr_records;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(kstate_parse_stream);

/* ---------------------------------------------------------------------- */
/* Registered instances and the KHO handover                              */

struct kstate_instance {
	struct list_head list;
	struct hlist_node node;
	const struct kstate_description *desc;
	void *obj;
	u32 instance_id;
	u32 key;
};

/* In registration order (the stream's), and by name and id. */
static LIST_HEAD(kstate_instances);
static DEFINE_HASHTABLE(kstate_by_id, 10);
static DEFINE_MUTEX(kstate_lock);
static struct kstate_kho_root *kstate_root_out;

/*
 * A page for the outgoing stream, allocated and preserved at boot: most
 * streams fit, and then the kexec path allocates and preserves nothing.
 */
static struct {
	void *buf;
	struct kho_vmalloc kv;
} kstate_pre;

static void kstate_pre_drop(void)
{
	if (!kstate_pre.buf)
		return;
	kho_unpreserve_vmalloc(&kstate_pre.kv);
	vfree(kstate_pre.buf);
	kstate_pre.buf = NULL;
}

/* What the previous kernel handed over, until late_initcall_sync. */
static struct {
	bool looked;
	void *stream;
	struct kho_vmalloc kv;
	struct kstate_in_rec *recs;
	u64 bytes;
	u32 nr, taken, restored;
} kstate_in;

static void kstate_kho_drop_folio(struct folio *folio)
{
	folio_zero_range(folio, 0, folio_size(folio));
	folio_put(folio);
}

static void kstate_kho_drop_pages(struct page *page, unsigned long nr)
{
	unsigned long i;

	for (i = 0; i < nr; i++) {
		clear_highpage(page + i);
		__free_page(page + i);
	}
}

static const struct kstate_mem_ops kstate_kho_ops = {
	.preserve_folio = kho_preserve_folio,
	.unpreserve_folio = kho_unpreserve_folio,
	.preserve_pages = kho_preserve_pages,
	.unpreserve_pages = kho_unpreserve_pages,
	.preserve_vmalloc = kho_preserve_vmalloc,
	.unpreserve_vmalloc = kho_unpreserve_vmalloc,
	.preserved_order = kho_preserved_order,
	.restore_folio = kho_restore_folio,
	.restore_pages = kho_restore_pages,
	.restore_vmalloc = kho_restore_vmalloc,
	.drop_folio = kstate_kho_drop_folio,
	.drop_pages = kstate_kho_drop_pages,
	.restore_vfree = kho_restore_vfree,
};

static void kstate_in_free(void)
{
	kvfree(kstate_in.recs);
	kstate_in.recs = NULL;
	kstate_in.nr = 0;
	if (kstate_in.stream)
		kho_restore_vfree(kstate_in.stream, &kstate_in.kv);
	kstate_in.stream = NULL;
}

/* Take the previous kernel's stream, once; caller holds kstate_lock. */
static void kstate_in_take(void)
{
	char why[KSTATE_WHY_LEN];
	struct kstate_kho_root root;
	int err;

	if (kstate_in.looked)
		return;
	kstate_in.looked = true;
	err = kho_copy_subtree(KSTATE_KHO_NODE, &root, sizeof(root));
	if (err == -ENOENT)
		return;
	if (err) {
		pr_warn("ignoring the previous kernel's state: its root is malformed\n");
		return;
	}
	if (strncmp(root.compatible, KSTATE_KHO_COMPATIBLE,
		    sizeof(root.compatible))) {
		pr_warn("ignoring the previous kernel's state: format \"%.*s\" is not %s\n",
			(int)strnlen(root.compatible, sizeof(root.compatible)),
			root.compatible, KSTATE_KHO_COMPATIBLE);
		return;
	}
	if (!root.bytes)
		return;
	kstate_in.kv = root.stream;
	kstate_in.stream = kho_restore_vmalloc(&root.stream);
	if (!kstate_in.stream || root.bytes > KSTATE_MAX_STREAM ||
	    root.bytes > (u64)root.stream.total_pages << PAGE_SHIFT) {
		pr_warn("ignoring the previous kernel's state: the stream is not preserved memory\n");
		kstate_in_free();
		return;
	}
	err = kstate_parse_stream(kstate_in.stream, root.bytes,
				  &kstate_in.recs, &kstate_in.nr, why);
	if (err) {
		pr_warn("ignoring the previous kernel's state: %s\n", why);
		kstate_in_free();
		return;
	}
	kstate_in.bytes = root.bytes;
}

static struct kstate_in_rec *kstate_in_find(const char *name, u32 id)
{
	struct kstate_in_rec key = { .instance_id = id };

	if (!kstate_in.nr)
		return NULL;
	strscpy(key.name, name, sizeof(key.name));
	return bsearch(&key, kstate_in.recs, kstate_in.nr,
		       sizeof(*kstate_in.recs), kstate_rec_cmp);
}

static struct kstate_instance *
kstate_find_instance(const struct kstate_description *desc, u32 id, u32 key)
{
	struct kstate_instance *ki;

	hash_for_each_possible(kstate_by_id, ki, node, key)
		if (ki->key == key && ki->instance_id == id &&
		    !strcmp(ki->desc->name, desc->name))
			return ki;
	return NULL;
}

static u32 kstate_key(const struct kstate_description *desc, u32 id)
{
	return full_name_hash(NULL, desc->name, strlen(desc->name)) ^
	       hash_32(id, 32);
}

/* Decode the incoming record for @desc/@id into @obj; kstate_lock held. */
static int kstate_claim(const struct kstate_description *desc, void *obj,
			u32 instance_id)
{
	char why[KSTATE_WHY_LEN];
	struct kstate_in_rec *rec;

	kstate_in_take();
	rec = kstate_in_find(desc->name, instance_id);
	if (!rec || rec->taken)
		return KSTATE_NOTHING;
	rec->taken = true;
	kstate_in.taken++;
	if (kstate_load_record(&kstate_kho_ops, rec, desc, obj, why)) {
		pr_warn("%s/%u: previous kernel's state (version %u) refused: %s\n",
			desc->name, instance_id, rec->version_id, why);
		return KSTATE_REFUSED;
	}
	pr_debug("%s/%u: restored version %u into version %u\n", desc->name,
		 instance_id, rec->version_id, desc->version_id);
	kstate_in.restored++;
	return KSTATE_RESTORED;
}

/*
 * Descriptions of the kernel proper already found good, under kstate_lock.
 * Those are read-only data that no unload can replace, so a user that
 * registers thousands of instances of one has it checked once.
 */
static const struct kstate_description *kstate_good[8];
static unsigned int kstate_good_next;

static bool kstate_known_good(const struct kstate_description *desc)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kstate_good); i++)
		if (kstate_good[i] == desc)
			return true;
	return false;
}

static int kstate_check_or_complain(const struct kstate_description *desc)
{
	bool core = is_kernel_rodata((unsigned long)desc);
	char why[KSTATE_WHY_LEN];
	bool good;

	mutex_lock(&kstate_lock);
	good = core && kstate_known_good(desc);
	mutex_unlock(&kstate_lock);
	if (good)
		return 0;
	if (kstate_check_description(desc, why)) {
		pr_err("bad description: %s\n", why);
		return -EINVAL;
	}
	if (core) {
		mutex_lock(&kstate_lock);
		if (!kstate_known_good(desc))
			kstate_good[kstate_good_next++ % ARRAY_SIZE(kstate_good)] = desc;
		mutex_unlock(&kstate_lock);
	}
	return 0;
}

/**
 * kstate_check - check a description ahead of its first use
 * @desc: the description
 *
 * kstate_register() and kstate_restore() check a description the first
 * time they see it (descriptions in the kernel's read-only data once per
 * boot). Calling this when the user initialises finds a bad description
 * at boot rather than at the kexec, and keeps the check out of the kexec
 * path. May sleep.
 *
 * Return: 0, or -EINVAL for a bad description (logged).
 */
int kstate_check(const struct kstate_description *desc)
{
	return kstate_check_or_complain(desc);
}
EXPORT_SYMBOL_GPL(kstate_check);

/**
 * kstate_restore - take back what the previous kernel handed over for an
 *	instance, without registering it
 * @desc: the instance's description
 * @obj: the instance (@desc->size bytes)
 * @instance_id: its id
 *
 * As kstate_register() restores, for a user that hands its state over in
 * another way, or whose instances come and go (it registers them when the
 * kernel kexecs). May sleep.
 *
 * Return: %KSTATE_RESTORED, %KSTATE_NOTHING or %KSTATE_REFUSED (logged),
 * or -EINVAL for a bad description (logged).
 */
int kstate_restore(const struct kstate_description *desc, void *obj,
		   u32 instance_id)
{
	int ret;

	ret = kstate_check_or_complain(desc);
	if (ret)
		return ret;
	mutex_lock(&kstate_lock);
	ret = kstate_claim(desc, obj, instance_id);
	mutex_unlock(&kstate_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(kstate_restore);

/**
 * kstate_register - register an instance to hand over at kexec, and take
 *	back what the previous kernel handed over for it
 * @desc: the instance's description; it must stay valid while registered
 * @obj: the instance (@desc->size bytes)
 * @instance_id: tells instances of one description apart
 *
 * When the previous kernel handed over an instance of a description of the
 * same name with the same id, its record is decoded into a copy of @obj
 * and, if every part is accepted, the copy replaces @obj: fields matched
 * by name, fields this kernel does not know skipped, fields the record
 * lacks left as they are in @obj (or set to their default), memory fields
 * taken back from KHO, pointer fields (which must be NULL) allocated with
 * kmalloc() or kvcalloc(). A refused record leaves @obj as it was. Either
 * way @obj is then registered: the next kexec writes it.
 *
 * Records must be claimed before late_initcall_sync, when the rest of the
 * previous kernel's state is freed. May sleep.
 *
 * Return: %KSTATE_RESTORED, %KSTATE_NOTHING (nothing came for it) or
 * %KSTATE_REFUSED (the reason is logged), all registered; or, not
 * registered, -EINVAL for a bad description (logged), -EEXIST when the
 * same description and id are registered already, or -ENOMEM.
 */
int kstate_register(const struct kstate_description *desc, void *obj,
		    u32 instance_id)
{
	struct kstate_instance *ki;
	int ret;

	ret = kstate_check_or_complain(desc);
	if (ret)
		return ret;
	ki = kzalloc(sizeof(*ki), GFP_KERNEL);
	if (!ki)
		return -ENOMEM;
	ki->desc = desc;
	ki->obj = obj;
	ki->instance_id = instance_id;
	ki->key = kstate_key(desc, instance_id);

	mutex_lock(&kstate_lock);
	if (kstate_find_instance(desc, instance_id, ki->key)) {
		mutex_unlock(&kstate_lock);
		kfree(ki);
		return -EEXIST;
	}
	ret = kstate_claim(desc, obj, instance_id);
	list_add_tail(&ki->list, &kstate_instances);
	hash_add(kstate_by_id, &ki->node, ki->key);
	mutex_unlock(&kstate_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(kstate_register);

/**
 * kstate_unregister - stop handing an instance over
 * @desc: its description, as registered
 * @obj: the instance, as registered
 * @instance_id: its id, as registered
 *
 * May sleep.
 */
void kstate_unregister(const struct kstate_description *desc, void *obj,
		       u32 instance_id)
{
	struct kstate_instance *ki;

	mutex_lock(&kstate_lock);
	ki = kstate_find_instance(desc, instance_id,
				  kstate_key(desc, instance_id));
	if (ki && ki->obj == obj) {
		list_del(&ki->list);
		hash_del(&ki->node);
		kfree(ki);
	}
	mutex_unlock(&kstate_lock);
}
EXPORT_SYMBOL_GPL(kstate_unregister);

#ifdef CONFIG_KSTATE_SELFTEST
static const char *kstate_damage_name;
static u32 kstate_damage_id;

/**
 * kstate_selftest_damage - damage one record of the outgoing stream
 * @name: the description's name
 * @instance_id: the instance
 *
 * For tests: the object header of this instance's record is made invalid
 * after it is written, so that the next kernel must refuse that record
 * (and only that one).
 */
void kstate_selftest_damage(const char *name, u32 instance_id)
{
	mutex_lock(&kstate_lock);
	kstate_damage_name = name;
	kstate_damage_id = instance_id;
	mutex_unlock(&kstate_lock);
}

static void kstate_damage(struct kstate_writer *w, struct kstate_instance *ki,
			  size_t start)
{
	struct kstate_object_hdr *oh;

	if (!kstate_damage_name || ki->instance_id != kstate_damage_id ||
	    strcmp(ki->desc->name, kstate_damage_name))
		return;
	oh = (void *)w->buf + start + sizeof(struct kstate_record_hdr) +
	     strlen(ki->desc->name);
	oh->nr_fields = KSTATE_MAX_FIELDS + 1;
	pr_info("damaged the record of %s/%u\n", ki->desc->name, ki->instance_id);
}
#else
static void kstate_damage(struct kstate_writer *w, struct kstate_instance *ki,
			  size_t start)
{
}
#endif

/* Write every registered instance into the handover; caller holds the lock. */
static int kstate_serialize(void)
{
	u64 start = local_clock();
	struct kstate_writer w;
	struct kstate_instance *ki;
	size_t hint;
	u32 nr = 0;
	int err;

	list_for_each_entry(ki, &kstate_instances, list)
		nr++;
	if (!nr && !kstate_pre.buf)
		return 0;
	kstate_writer_init(&w, &kstate_kho_ops);
	hint = 0;
	list_for_each_entry(ki, &kstate_instances, list)
		hint += kstate_size_hint(ki->desc, ki->obj);
	err = 0;
	/*
	 * Nothing registered still hands over the page preserved at boot, as
	 * an empty stream the next kernel frees: giving it back here would
	 * change the preserved-memory tree on the kexec path.
	 */
	if (kstate_pre.buf && hint + nr * 256 <= PAGE_SIZE) {
		w.buf = kstate_pre.buf;
		w.room = PAGE_SIZE;
		w.borrowed = true;
	} else {
		err = kstate_grow(&w, hint + nr * PAGE_SIZE);
	}
	err = err ?: kstate_write_stream_hdr(&w, nr);
	list_for_each_entry(ki, &kstate_instances, list) {
		size_t start = w.len;
		int rc;

		if (err)
			break;
		rc = kstate_save_record(&w, ki->desc, ki->obj, ki->instance_id);
		if (rc == -ENOMEM || rc == -EFBIG) {
			err = rc;
		} else if (rc) {
			/* Only this instance is lost. */
			pr_warn("%s/%u cannot be written: %d\n", ki->desc->name,
				ki->instance_id, rc);
			nr--;
		} else {
			kstate_damage(&w, ki, start);
		}
	}
	if (!err)
		((struct kstate_stream_hdr *)w.buf)->nr_records = nr;
	/*
	 * The stream is vmalloc memory (kstate_reserve()): handed over as is,
	 * already preserved when it is still the page preserved at boot.
	 */
	if (!err && w.borrowed) {
		kstate_root_out->stream = kstate_pre.kv;
	} else if (!err) {
		err = kho_preserve_vmalloc(w.buf, &kstate_root_out->stream);
		if (!err)
			kstate_pre_drop();
	}
	if (err) {
		kstate_writer_fail(&w);
		return err;
	}
	kstate_root_out->bytes = w.len;
	if (nr)
		pr_info("handing over %u instances (%zu bytes), written in %llu us\n",
			nr, w.len,
			div_u64(local_clock() - start, NSEC_PER_USEC));
	w.buf = NULL;	/* now the next kernel's */
	kstate_writer_done(&w);
	return 0;
}

static int kstate_reboot(struct notifier_block *nb, unsigned long code,
			 void *unused)
{
	int err;

	if (code != SYS_RESTART || !kexec_in_progress || !kstate_root_out)
		return NOTIFY_DONE;
	mutex_lock(&kstate_lock);
	err = kstate_serialize();
	mutex_unlock(&kstate_lock);
	if (err)
		pr_warn("state not handed over: %d\n", err);
	return NOTIFY_DONE;
}

static struct notifier_block kstate_reboot_nb = {
	.notifier_call = kstate_reboot,
};

static int __init kstate_init(void)
{
	struct kstate_kho_root *root;
	int err;

	if (!kho_is_enabled())
		return 0;
	root = kho_alloc_preserve(sizeof(*root));
	if (IS_ERR(root))
		return PTR_ERR(root);
	strscpy(root->compatible, KSTATE_KHO_COMPATIBLE,
		sizeof(root->compatible));
	err = kho_add_subtree(KSTATE_KHO_NODE, root, sizeof(*root));
	if (err) {
		kho_unpreserve_free(root);
		return err;
	}
	kstate_root_out = root;
	kstate_pre.buf = vmalloc(PAGE_SIZE);
	if (kstate_pre.buf && kho_preserve_vmalloc(kstate_pre.buf, &kstate_pre.kv)) {
		vfree(kstate_pre.buf);
		kstate_pre.buf = NULL;
	}
	return register_reboot_notifier(&kstate_reboot_nb);
}
fs_initcall(kstate_init);

/* Records nobody claimed are named, and the stream is freed. */
static int __init kstate_in_done(void)
{
	u32 i;

	mutex_lock(&kstate_lock);
	kstate_in_take();
	if (kstate_in.nr)
		pr_info("restored %u of %u instances handed over (%llu bytes), refused %u, unclaimed %u\n",
			kstate_in.restored, kstate_in.nr, kstate_in.bytes,
			kstate_in.taken - kstate_in.restored,
			kstate_in.nr - kstate_in.taken);
	for (i = 0; i < kstate_in.nr; i++)
		if (!kstate_in.recs[i].taken)
			pr_warn("%s/%u (version %u) handed over but not claimed: dropped\n",
				kstate_in.recs[i].name,
				kstate_in.recs[i].instance_id,
				kstate_in.recs[i].version_id);
	kstate_in_free();
	mutex_unlock(&kstate_lock);
	return 0;
}
late_initcall_sync(kstate_in_done);
