// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the pkernfs handover parser: a good stream is accepted,
 * and every kind of damage the previous kernel could hand over is refused
 * with its reason.
 */

#include <kunit/test.h>
#include <kunit/visibility.h>
#include <linux/slab.h>

#include "internal.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

#define NR_INODES	4
#define NR_EXTENTS	4
#define NAMES		"da1b2"

/*
 * root/              inode 0
 * root/d/            inode 1
 * root/d/a1          inode 2: 4 pages: pfn 0x1000, a hole, pfn 0x2000 (order 1)
 * root/d/b2          inode 3: 2 MiB at pfn 0x200 (order 9)
 */
struct pk_stream {
	struct pkernfs_kho_header h;
	struct pkernfs_kho_inode ino[NR_INODES];
	u64 ext[NR_EXTENTS];
	char names[sizeof(NAMES) - 1];
} __packed;

static u64 pk_folio(u64 pfn, unsigned int order)
{
	return pfn | (u64)order << PKERNFS_EXTENT_ORDER_SHIFT;
}

static bool pk_preserved(u64 pfn, unsigned int order, void *ctx)
{
	return (pfn == 0x1000 && order == 0) || (pfn == 0x2000 && order == 1) ||
	       (pfn == 0x200 && order == 9);
}

static void pk_good(struct pk_stream *s)
{
	memset(s, 0, sizeof(*s));
	s->h.magic = PKERNFS_KHO_MAGIC;
	s->h.version = PKERNFS_KHO_VERSION;
	s->h.header_bytes = sizeof(s->h);
	s->h.inode_bytes = sizeof(s->ino[0]);
	s->h.bytes = sizeof(*s);
	s->h.node = -1;
	s->h.nr_inodes = NR_INODES;
	s->h.nr_extents = NR_EXTENTS;
	s->h.names_bytes = sizeof(s->names);
	memcpy(s->names, NAMES, sizeof(s->names));
	s->ino[0].mode = S_IFDIR | 0755;
	s->ino[1] = (struct pkernfs_kho_inode){ .parent = 0,
		.mode = S_IFDIR | 0700, .name_off = 0, .name_len = 1 };
	s->ino[2] = (struct pkernfs_kho_inode){ .parent = 1,
		.mode = S_IFREG | 0644, .name_off = 1, .name_len = 2,
		.size = 4 * PAGE_SIZE - 10, .first_extent = 0,
		.nr_extents = 3, .mtime = -5, .mtime_nsec = 999999999 };
	s->ino[3] = (struct pkernfs_kho_inode){ .parent = 1,
		.mode = S_IFREG | 0600, .name_off = 3, .name_len = 2,
		.size = 512 * PAGE_SIZE, .first_extent = 3, .nr_extents = 1 };
	s->ext[0] = pk_folio(0x1000, 0);
	s->ext[1] = PKERNFS_EXTENT_HOLE | 1;
	s->ext[2] = pk_folio(0x2000, 1);
	s->ext[3] = pk_folio(0x200, 9);
}

static int pk_check(struct pk_stream *s, const char **reason)
{
	*reason = "";
	return pkernfs_check_stream(s, min_t(u64, s->h.bytes, sizeof(*s)),
				    pk_preserved, NULL, reason);
}

static void pk_test_good(struct kunit *test)
{
	struct pk_stream *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	const char *reason;

	KUNIT_ASSERT_NOT_NULL(test, s);
	pk_good(s);
	KUNIT_EXPECT_EQ_MSG(test, pk_check(s, &reason), 0, "%s", reason);
}

struct pk_case {
	const char *what;
	int err;
	const char *reason;
};

static const struct pk_case pk_cases[] = {
	{ "magic", -EINVAL, "bad magic" },
	{ "version", -EPROTO, "unknown version" },
	{ "short", -EINVAL, "stream shorter than its header" },
	{ "length", -EINVAL, "bad header" },
	{ "record-size", -EINVAL, "bad record sizes" },
	{ "flags", -EINVAL, "bad header" },
	{ "no-inodes", -EINVAL, "absurd counts" },
	{ "many-inodes", -EINVAL, "absurd counts" },
	{ "many-extents", -EINVAL, "absurd counts" },
	{ "counts", -EINVAL, "counts do not add up to the stream's length" },
	{ "root-file", -EINVAL, "bad root" },
	{ "root-name", -EINVAL, "bad root" },
	{ "fifo", -EINVAL, "bad inode record" },
	{ "mode-bits", -EINVAL, "bad inode record" },
	{ "nsec", -EINVAL, "bad inode record" },
	{ "huge-size", -EINVAL, "bad inode record" },
	{ "bad-uid", -EINVAL, "bad inode record" },
	{ "cycle", -EINVAL, "parent is not an earlier directory (a cycle?)" },
	{ "self-parent", -EINVAL, "parent is not an earlier directory (a cycle?)" },
	{ "file-parent", -EINVAL, "parent is not an earlier directory (a cycle?)" },
	{ "name-slash", -EINVAL, "bad name" },
	{ "name-nul", -EINVAL, "bad name" },
	{ "name-dotdot", -EINVAL, "bad name" },
	{ "name-empty", -EINVAL, "bad name" },
	{ "name-long", -EINVAL, "bad name" },
	{ "name-outside", -EINVAL, "bad name" },
	{ "dup-name", -EINVAL, "duplicate name in a directory" },
	{ "dir-data", -EINVAL, "directory with data" },
	{ "extent-order", -EINVAL, "extents not in file order" },
	{ "extent-count", -EINVAL, "extents not in file order" },
	{ "extent-orphan", -EINVAL, "extents no file owns" },
	{ "extent-misaligned", -EINVAL, "extent outside its file" },
	{ "extent-past-size", -EINVAL, "extent outside its file" },
	{ "extent-reserved", -EINVAL, "bad extent" },
	{ "extent-pfn-order", -EINVAL, "bad extent" },
	{ "extent-zero", -EINVAL, "bad extent" },
	{ "hole-zero", -EINVAL, "bad hole" },
	{ "hole-past-size", -EINVAL, "extent outside its file" },
	{ "shared", -EINVAL, "folios shared or overlapping" },
	{ "overlap", -EINVAL, "folios shared or overlapping" },
	{ "not-preserved", -EINVAL, "extent outside preserved memory" },
	{ "wrong-order", -EINVAL, "extent outside preserved memory" },
};

static void pk_damage(struct pk_stream *s, const char *what)
{
	if (!strcmp(what, "magic"))
		s->h.magic++;
	else if (!strcmp(what, "version"))
		s->h.version = 2;
	else if (!strcmp(what, "short"))
		s->h.bytes = sizeof(s->h) - 1;
	else if (!strcmp(what, "length"))
		s->h.bytes++;
	else if (!strcmp(what, "record-size"))
		s->h.inode_bytes = 8;
	else if (!strcmp(what, "flags"))
		s->h.flags = 0x80;
	else if (!strcmp(what, "no-inodes"))
		s->h.nr_inodes = 0;
	else if (!strcmp(what, "many-inodes"))
		s->h.nr_inodes = U32_MAX;
	else if (!strcmp(what, "many-extents"))
		s->h.nr_extents = U64_MAX / 4;
	else if (!strcmp(what, "counts"))
		s->h.names_bytes--;
	else if (!strcmp(what, "root-file"))
		s->ino[0].mode = S_IFREG;
	else if (!strcmp(what, "root-name"))
		s->ino[0].name_len = 1;
	else if (!strcmp(what, "fifo"))
		s->ino[2].mode = S_IFIFO | 0600;
	else if (!strcmp(what, "mode-bits"))
		s->ino[2].mode |= 010000000;
	else if (!strcmp(what, "nsec"))
		s->ino[3].ctime_nsec = NSEC_PER_SEC;
	else if (!strcmp(what, "huge-size"))
		s->ino[3].size = U64_MAX;
	else if (!strcmp(what, "bad-uid"))
		s->ino[2].uid = (u32)-1;
	else if (!strcmp(what, "cycle"))
		s->ino[1].parent = 3;
	else if (!strcmp(what, "self-parent"))
		s->ino[1].parent = 1;
	else if (!strcmp(what, "file-parent"))
		s->ino[3].parent = 2;
	else if (!strcmp(what, "name-slash"))
		s->names[1] = '/';
	else if (!strcmp(what, "name-nul"))
		s->names[2] = '\0';
	else if (!strcmp(what, "name-dotdot"))
		memcpy(&s->names[1], "..", 2);
	else if (!strcmp(what, "name-empty"))
		s->ino[1].name_len = 0;
	else if (!strcmp(what, "name-long"))
		s->ino[1].name_len = NAME_MAX + 1;
	else if (!strcmp(what, "name-outside"))
		s->ino[3].name_off = sizeof(s->names) - 1;
	else if (!strcmp(what, "dup-name"))
		memcpy(&s->names[3], "a1", 2);
	else if (!strcmp(what, "dir-data"))
		s->ino[1].size = 1;
	else if (!strcmp(what, "extent-order"))
		s->ino[3].first_extent = 0;
	else if (!strcmp(what, "extent-count"))
		s->ino[3].nr_extents = 2;
	else if (!strcmp(what, "extent-orphan"))
		s->ino[3].nr_extents = 0;
	else if (!strcmp(what, "extent-misaligned"))
		s->ext[1] = PKERNFS_EXTENT_HOLE | 2;
	else if (!strcmp(what, "extent-past-size"))
		s->ino[2].size = 2 * PAGE_SIZE;
	else if (!strcmp(what, "extent-reserved"))
		s->ext[0] |= 1ULL << 60;
	else if (!strcmp(what, "extent-pfn-order"))
		s->ext[2] = pk_folio(0x2001, 1);
	else if (!strcmp(what, "extent-zero"))
		s->ext[0] = 0;
	else if (!strcmp(what, "hole-zero"))
		s->ext[1] = PKERNFS_EXTENT_HOLE;
	else if (!strcmp(what, "hole-past-size"))
		s->ext[1] = PKERNFS_EXTENT_HOLE | 100;
	else if (!strcmp(what, "shared"))
		s->ext[2] = pk_folio(0x1000, 0);
	else if (!strcmp(what, "overlap"))
		s->ext[3] = pk_folio(0x1000, 9);
	else if (!strcmp(what, "not-preserved"))
		s->ext[0] = pk_folio(0x3000, 0);
	else if (!strcmp(what, "wrong-order"))
		s->ext[3] = pk_folio(0x200, 8);
}

static void pk_case_desc(const struct pk_case *c, char *desc)
{
	strscpy(desc, c->what, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(pk_damage, pk_cases, pk_case_desc);

static void pk_test_damaged(struct kunit *test)
{
	const struct pk_case *c = test->param_value;
	struct pk_stream *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	const char *reason;

	KUNIT_ASSERT_NOT_NULL(test, s);
	pk_good(s);
	pk_damage(s, c->what);
	KUNIT_EXPECT_EQ(test, pk_check(s, &reason), c->err);
	KUNIT_EXPECT_STREQ(test, reason, c->reason);
}

/* A later version's longer records: the known part is read. */
static void pk_test_longer_records(struct kunit *test)
{
	size_t hb = sizeof(struct pkernfs_kho_header) + 16;
	size_t ib = sizeof(struct pkernfs_kho_inode) + 8;
	struct pk_stream *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	size_t bytes = hb + NR_INODES * ib + sizeof(s->ext) + sizeof(s->names);
	u8 *b = kunit_kzalloc(test, bytes, GFP_KERNEL);
	const char *reason = "";
	int i;

	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_ASSERT_NOT_NULL(test, b);
	pk_good(s);
	s->h.header_bytes = hb;
	s->h.inode_bytes = ib;
	s->h.bytes = bytes;
	memcpy(b, &s->h, sizeof(s->h));
	for (i = 0; i < NR_INODES; i++)
		memcpy(b + hb + i * ib, &s->ino[i], sizeof(s->ino[i]));
	memcpy(b + hb + NR_INODES * ib, s->ext, sizeof(s->ext));
	memcpy(b + hb + NR_INODES * ib + sizeof(s->ext), s->names,
	       sizeof(s->names));
	KUNIT_EXPECT_EQ_MSG(test, pkernfs_check_stream(b, bytes, pk_preserved,
						       NULL, &reason), 0,
			    "%s", reason);
}

static struct kunit_case pkernfs_test_cases[] = {
	KUNIT_CASE(pk_test_good),
	KUNIT_CASE(pk_test_longer_records),
	KUNIT_CASE_PARAM(pk_test_damaged, pk_damage_gen_params),
	{}
};

static struct kunit_suite pkernfs_test_suite = {
	.name = "pkernfs_handover",
	.test_cases = pkernfs_test_cases,
};
kunit_test_suite(pkernfs_test_suite);

MODULE_DESCRIPTION("KUnit tests of the pkernfs handover parser");
MODULE_LICENSE("GPL");
