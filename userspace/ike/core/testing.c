// SPDX-License-Identifier: GPL-2.0
/*
 * testing: the hooks of engine_test.h. Small on purpose: each does what
 * a timer, a kernel event or a configuration would do, through the same
 * paths, so tests exercise the real code.
 */
#include <errno.h>

#include "core/core.h"
#include "engine_test.h"

static struct ike_sa *first_established(struct ike_engine *e)
{
	for (struct ike_sa *sa = e->sas; sa; sa = sa->next)
		if (!sa->dead && sa->state == IKE_ST_ESTABLISHED)
			return sa;
	return NULL;
}

int ike_test_task(struct ike_engine *e, enum ike_test_task task,
		  uint64_t now_ms)
{
	struct ike_sa *sa = first_established(e);
	struct child_sa *c;

	e->now_ms = now_ms;
	if (!sa)
		return -ENOENT;
	switch (task) {
	case IKE_TEST_REKEY_IKE:
		sa->tasks |= TASK_REKEY_IKE;
		break;
	case IKE_TEST_REKEY_CHILD:
	case IKE_TEST_DELETE_CHILD:
		c = ike_child_active(sa);
		if (!c)
			return -ENOENT;
		if (task == IKE_TEST_REKEY_CHILD) {
			sa->task_child_spi = c->spi_in;
			sa->tasks |= TASK_REKEY_CHILD;
		} else {
			sa->task_delete_spi = c->spi_in;
			sa->tasks |= TASK_DELETE_CHILD;
		}
		break;
	case IKE_TEST_DPD:
		sa->tasks |= TASK_DPD;
		break;
	}
	sa->v->run_tasks(sa);
	ike_sa_reap(e);
	return 0;
}

int ike_test_initiate_again(struct ike_engine *e, uint64_t now_ms)
{
	struct ike_tunnel *t = e->tunnels;

	e->now_ms = now_ms;
	if (!t || !t->v)
		return -ENOENT;
	return t->v->initiate(e, t);
}

uint64_t ike_test_backoff_ms(const struct ike_engine *e)
{
	return e->tunnels ? e->tunnels->backoff_ms : 0;
}

void ike_test_no_sighash(struct ike_engine *e, bool on)
{
	e->no_sighash = on;
}

const struct ike_engine_ops *ike_test_ops(const struct ike_engine *e)
{
	return &e->ops;
}

void ike_test_passive(struct ike_engine *e, bool on)
{
	e->passive = on;
}
