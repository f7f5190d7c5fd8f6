/* SPDX-License-Identifier: GPL-2.0 */
/* Shim: work items run at once, in the caller. */
#include <kshim.h>

struct work_struct {
	void (*func)(struct work_struct *work);
};
struct workqueue_struct;
#define system_unbound_wq ((struct workqueue_struct *)NULL)
#define DECLARE_WORK(n, f) struct work_struct n = { .func = (f) }

static inline bool queue_work(struct workqueue_struct *wq, struct work_struct *work)
{
	(void)wq;
	work->func(work);
	return true;
}

/* Delayed work runs at once too; nothing is ever pending to flush. */
struct delayed_work {
	struct work_struct work;
};
#define DECLARE_DELAYED_WORK(n, f) \
	struct delayed_work n = { .work = { .func = (f) } }

static inline bool queue_delayed_work(struct workqueue_struct *wq,
				      struct delayed_work *dwork,
				      unsigned long delay)
{
	(void)delay;
	return queue_work(wq, &dwork->work);
}

static inline bool flush_delayed_work(struct delayed_work *dwork)
{
	(void)dwork;
	return false;
}
