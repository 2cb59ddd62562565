// SPDX-License-Identifier: GPL-2.0
/*
 * Crypto that is not bound to the CPU a packet was sent or received on.
 *
 * One flow arrives on one CPU (one socket sends it, one RX queue takes
 * it), so doing its crypto where it arrives caps a tunnel at one core.
 * Instead each packet's request goes to a per-CPU worker, round-robin
 * over the online CPUs, and to the tail of an ordered queue of its
 * device and direction. Whoever completes a request marks it done and
 * kicks the queue's finisher, which takes packets off the head while
 * they are done and finishes them (send, or replay check and delivery)
 * in the order they were submitted. So sequence numbers leave in the
 * order they were taken, and received packets reach the replay window
 * and GRO in the order they arrived, however the workers interleave.
 *
 * Why not pcrypt or padata: pcrypt instances are global, so the kernel's
 * own ESP picks them up too, and on 6.1 an xfrm interface leaks a
 * reference to its underlay device per asynchronously decrypted packet;
 * padata's parallel workqueue is unbound, so where the work runs is the
 * scheduler's choice. Here a packet runs on the CPU it was given to,
 * which the per-CPU counters in debugfs (ikevti/crypt_cpus) show.
 *
 * References: every submitted packet holds its SA and its device until
 * it is finished (send.c, receive.c). The finisher holds the device for
 * each time it is queued, taken while the completing packet still holds
 * its own, so the device outlives the last run of its finisher.
 */
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/llist.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>

#include "crypto.h"
#include "parallel.h"

static int parallel = -1;
module_param(parallel, int, 0644);
MODULE_PARM_DESC(parallel,
		 "spread crypto over the CPUs, in order: 1 always, 0 never, -1 (default) when more than one CPU is online");

/* The requests given to one CPU, and what it has run. */
struct crypt_cpu {
	struct llist_head jobs;
	struct work_struct work;
	unsigned long encrypted, decrypted;
};

static DEFINE_PER_CPU(struct crypt_cpu, crypt_cpus);
static struct workqueue_struct *crypt_wq;
static struct dentry *debug_dir;

/* Packets finished per run of the finisher before it lets BH run. */
#define FINISH_BATCH	64

static bool parallel_wanted(void)
{
	int p = READ_ONCE(parallel);

	/* With one CPU the hop to a worker would only add latency. */
	if (p < 0)
		return num_online_cpus() > 1;
	return p;
}

/* The oldest packet of the queue if its crypto is done, unlinked. */
static struct ikevti_crypt *take_done(struct ikevti_queue *q)
{
	struct ikevti_crypt *c;

	spin_lock(&q->lock);
	c = list_first_entry_or_null(&q->packets, struct ikevti_crypt, order);
	/* Pairs with crypt_done(): the crypto's writes are visible. */
	if (c && smp_load_acquire(&c->done)) {
		list_del(&c->order);
		q->len--;
	} else {
		c = NULL;
	}
	spin_unlock(&q->lock);
	return c;
}

static void finisher(struct work_struct *work)
{
	struct ikevti_queue *q = container_of(work, struct ikevti_queue,
					      finisher);
	struct net_device *dev = q->dev;
	struct ikevti_crypt *c;
	unsigned int n;

	do {
		/* BH off in batches, so GRO sees more than one packet. */
		local_bh_disable();
		rcu_read_lock();
		for (n = 0; n < FINISH_BATCH; n++) {
			struct sk_buff *skb;
			int err;

			c = take_done(q);
			if (!c)
				break;
			skb = c->skb;
			err = c->err;
			ikevti_crypt_free(c);
			q->finish(skb, err);
		}
		rcu_read_unlock();
		local_bh_enable();
		cond_resched();
	} while (c);
	dev_put(dev);
}

/* Runs wherever the request completed; c may be freed once it is done. */
static void crypt_done(struct ikevti_crypt *c, int err)
{
	struct ikevti_queue *q = c->queue;

	dev_hold(q->dev);
	c->err = err;
	/* Publishes err and the packet; take_done() may free c after. */
	smp_store_release(&c->done, true);
	if (!queue_work(crypt_wq, &q->finisher))
		dev_put(q->dev);
}

static void crypt_complete(struct crypto_async_request *base, int err)
{
	/* Only a backlogged request is told this; we never backlog. */
	if (err == -EINPROGRESS)
		return;
	crypt_done(base->data, err);
}

static void crypt_worker(struct work_struct *work)
{
	struct crypt_cpu *cc = container_of(work, struct crypt_cpu, work);
	struct llist_node *jobs = llist_del_all(&cc->jobs);
	struct ikevti_crypt *c, *next;
	int err;

	/* llist pops newest first; run them in the order they came. */
	jobs = llist_reverse_order(jobs);
	llist_for_each_entry_safe(c, next, jobs, job) {
		if (c->encrypt) {
			this_cpu_inc(crypt_cpus.encrypted);
			err = crypto_aead_encrypt(c->req);
		} else {
			this_cpu_inc(crypt_cpus.decrypted);
			err = crypto_aead_decrypt(c->req);
		}
		if (err != -EINPROGRESS)
			crypt_done(c, err);
		cond_resched();
	}
}

/* The online CPU after the queue's last one; under q->lock. */
static unsigned int next_cpu(struct ikevti_queue *q)
{
	unsigned int cpu = cpumask_next(q->last_cpu, cpu_online_mask);

	if (cpu >= nr_cpu_ids)
		cpu = cpumask_first(cpu_online_mask);
	q->last_cpu = cpu;
	return cpu;
}

static int submit(struct ikevti_queue *q, struct ikevti_crypt *c,
		  bool encrypt)
{
	struct crypt_cpu *cc;
	unsigned int cpu;

	c->queue = q;
	c->encrypt = encrypt;
	c->done = false;
	aead_request_set_callback(c->req, 0, crypt_complete, c);
	spin_lock_bh(&q->lock);
	if (q->len >= IKEVTI_QUEUE_MAX) {
		spin_unlock_bh(&q->lock);
		return -ENOBUFS;
	}
	list_add_tail(&c->order, &q->packets);
	q->len++;
	cpu = next_cpu(q);
	spin_unlock_bh(&q->lock);
	/* From here on c belongs to the worker and the finisher. */
	cc = per_cpu_ptr(&crypt_cpus, cpu);
	llist_add(&c->job, &cc->jobs);
	queue_work_on(cpu, crypt_wq, &cc->work);
	return -EINPROGRESS;
}

/*
 * Encrypt or decrypt c's packet. -EINPROGRESS: q's finish function (or,
 * for an asynchronous transform run here, the request's own callback)
 * will be called with the packet. Anything else: done here, finish it.
 * While packets wait in the queue new ones join them even when parallel
 * crypto was just switched off, so the switch never reorders.
 */
int ikevti_crypt_run(struct ikevti_queue *q, struct ikevti_crypt *c,
		     bool encrypt)
{
	if (parallel_wanted() || READ_ONCE(q->len))
		return submit(q, c, encrypt);
	return encrypt ? crypto_aead_encrypt(c->req) :
			 crypto_aead_decrypt(c->req);
}

void ikevti_queue_init(struct ikevti_queue *q, struct net_device *dev,
		       ikevti_finish_fn finish)
{
	spin_lock_init(&q->lock);
	INIT_LIST_HEAD(&q->packets);
	q->len = 0;
	q->last_cpu = nr_cpu_ids;
	INIT_WORK(&q->finisher, finisher);
	q->dev = dev;
	q->finish = finish;
}

static int crypt_cpus_show(struct seq_file *m, void *v)
{
	unsigned int cpu;

	seq_printf(m, "parallel %s\n", parallel_wanted() ? "on" : "off");
	seq_puts(m, "cpu encrypted decrypted\n");
	for_each_possible_cpu(cpu) {
		const struct crypt_cpu *cc = per_cpu_ptr(&crypt_cpus, cpu);

		seq_printf(m, "%u %lu %lu\n", cpu, READ_ONCE(cc->encrypted),
			   READ_ONCE(cc->decrypted));
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(crypt_cpus);

int ikevti_parallel_init(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		struct crypt_cpu *cc = per_cpu_ptr(&crypt_cpus, cpu);

		init_llist_head(&cc->jobs);
		INIT_WORK(&cc->work, crypt_worker);
	}
	/* Per-CPU (bound), and not throttled as if it were short work. */
	crypt_wq = alloc_workqueue("ikevti_crypt", WQ_CPU_INTENSIVE, 0);
	if (!crypt_wq)
		return -ENOMEM;
	debug_dir = debugfs_create_dir("ikevti", NULL);
	debugfs_create_file("crypt_cpus", 0444, debug_dir, NULL,
			    &crypt_cpus_fops);
	return 0;
}

/* After every device is gone: drains the finishers' last returns. */
void ikevti_parallel_uninit(void)
{
	debugfs_remove_recursive(debug_dir);
	destroy_workqueue(crypt_wq);
}
