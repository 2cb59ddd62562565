// SPDX-License-Identifier: GPL-2.0
/*
 * Crypto that is not bound to the CPU a packet was sent or received on.
 *
 * One flow arrives on one CPU (one socket sends it, one RX queue takes
 * it), so doing its crypto where it arrives caps a tunnel at one core.
 * Instead each request goes to padata (kernel/padata.c), through an
 * instance of ikevti's own: padata runs it on a worker of an unbound
 * workqueue over all online CPUs, then hands it back in the order it was
 * submitted, per "shell", on one CPU. Every device has two shells, one
 * per direction, so sequence numbers leave in the order they were taken
 * and received packets reach the replay window and GRO in the order they
 * arrived, and one tunnel never waits for another.
 *
 * Why padata and not pcrypt, which an earlier version used: pcrypt
 * instances are global crypto templates, so once one exists the kernel's
 * own ESP gets it too, and on 6.1 an xfrm interface then leaks a
 * reference to its underlay device per asynchronously decrypted packet.
 * An instance of our own is invisible to the crypto API. Why not bound
 * per-CPU workers handed packets round-robin (tried too): in the 2-vCPU
 * test VM, where both tunnel ends and the traffic share the CPUs, they
 * ran at two thirds of padata's throughput; the scheduler's choice of
 * CPU for an unbound worker wins when the CPUs are busy with other work.
 *
 * References: every submitted packet holds its SA and its device until
 * it is finished (send.c, receive.c), so a device's shells are freed
 * only once nothing of it is in padata; module exit frees the instance
 * (draining its workqueues) after every device is gone.
 */
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>

#include "crypto.h"
#include "parallel.h"

static int parallel = -1;
module_param(parallel, int, 0644);
MODULE_PARM_DESC(parallel,
		 "spread crypto over the CPUs, in order: 1 always, 0 never, -1 (default) when more than one CPU is online");

/* What each CPU ran, for debugfs. */
struct crypt_counts {
	unsigned long encrypted, decrypted;
};

static DEFINE_PER_CPU(struct crypt_counts, crypt_counts);
static struct padata_instance *pinst;
static atomic_t next_cb_cpu = ATOMIC_INIT(0);
static struct dentry *debug_dir;

static bool parallel_wanted(void)
{
	int p = READ_ONCE(parallel);

	/* With one CPU the hop to a worker would only add latency. */
	if (p < 0)
		return num_online_cpus() > 1;
	return p;
}

static struct ikevti_crypt *crypt_of(struct padata_priv *padata)
{
	return container_of(padata, struct ikevti_crypt, padata);
}

/* padata's serial callback: in submission order, BH off. */
static void finish_in_order(struct padata_priv *padata)
{
	struct ikevti_crypt *c = crypt_of(padata);
	struct ikevti_queue *q = c->queue;
	struct sk_buff *skb = c->skb;
	int err = c->err;

	ikevti_crypt_free(c);
	atomic_dec(&q->inflight);
	rcu_read_lock();
	q->finish(skb, err);
	rcu_read_unlock();
}

static void crypt_complete(struct crypto_async_request *base, int err)
{
	struct ikevti_crypt *c = base->data;

	/* Only a backlogged request is told this; we never backlog. */
	if (err == -EINPROGRESS)
		return;
	c->err = err;
	padata_do_serial(&c->padata);
}

/* padata's parallel callback: on any CPU, BH off. */
static void run_request(struct padata_priv *padata)
{
	struct ikevti_crypt *c = crypt_of(padata);
	int err;

	if (c->encrypt) {
		this_cpu_inc(crypt_counts.encrypted);
		err = crypto_aead_encrypt(c->req);
	} else {
		this_cpu_inc(crypt_counts.decrypted);
		err = crypto_aead_decrypt(c->req);
	}
	if (err == -EINPROGRESS)
		return;
	c->err = err;
	padata_do_serial(padata);
}

/* -EINPROGRESS once padata has c, else -ENOBUFS: a drop, counted. */
static int submit(struct ikevti_queue *q, struct ikevti_crypt *c,
		  bool encrypt)
{
	int max = max(READ_ONCE(netdev_max_backlog), IKEVTI_QUEUE_MIN_MAX);
	int cb_cpu = READ_ONCE(q->cb_cpu);

	if (atomic_inc_return(&q->inflight) > max)
		goto refused;
	c->queue = q;
	c->encrypt = encrypt;
	c->padata.parallel = run_request;
	c->padata.serial = finish_in_order;
	aead_request_set_callback(c->req, 0, crypt_complete, c);
	/* Fails only while padata is reconfigured for CPU hotplug. */
	if (padata_do_parallel(q->shell, &c->padata, &cb_cpu))
		goto refused;
	/* padata moves the callback CPU off one gone offline: keep that. */
	if (unlikely(cb_cpu != READ_ONCE(q->cb_cpu)))
		WRITE_ONCE(q->cb_cpu, cb_cpu);
	return -EINPROGRESS;

refused:
	atomic_dec(&q->inflight);
	return -ENOBUFS;
}

/*
 * Encrypt or decrypt c's packet. -EINPROGRESS: q's finish function (or,
 * for an asynchronous transform run here, the request's own callback)
 * will be called with the packet. Anything else: done here, finish it.
 * While packets are in padata new ones follow them even when parallel
 * crypto was just switched off, so the switch never reorders.
 */
int ikevti_crypt_run(struct ikevti_queue *q, struct ikevti_crypt *c,
		     bool encrypt)
{
	if (parallel_wanted() || atomic_read(&q->inflight))
		return submit(q, c, encrypt);
	return encrypt ? crypto_aead_encrypt(c->req) :
			 crypto_aead_decrypt(c->req);
}

/* Process context: padata allocates under a mutex. */
int ikevti_queue_init(struct ikevti_queue *q, ikevti_finish_fn finish)
{
	q->shell = padata_alloc_shell(pinst);
	if (!q->shell)
		return -ENOMEM;
	/* Spread the devices' in-order stages over the CPUs. */
	q->cb_cpu = (unsigned int)atomic_inc_return(&next_cb_cpu) %
		    nr_cpu_ids;
	atomic_set(&q->inflight, 0);
	q->finish = finish;
	return 0;
}

/* Once nothing of the device can be in padata (its refcount is zero). */
void ikevti_queue_destroy(struct ikevti_queue *q)
{
	if (q->shell)
		padata_free_shell(q->shell);
	q->shell = NULL;
}

static int crypt_cpus_show(struct seq_file *m, void *v)
{
	unsigned int cpu;

	seq_printf(m, "parallel %s\n", parallel_wanted() ? "on" : "off");
	seq_printf(m, "parallel_cpus %*pbl\n",
		   cpumask_pr_args(pinst->cpumask.pcpu));
	seq_puts(m, "cpu encrypted decrypted\n");
	for_each_possible_cpu(cpu) {
		const struct crypt_counts *cc = per_cpu_ptr(&crypt_counts, cpu);

		seq_printf(m, "%u %lu %lu\n", cpu, READ_ONCE(cc->encrypted),
			   READ_ONCE(cc->decrypted));
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(crypt_cpus);

int ikevti_parallel_init(void)
{
	pinst = padata_alloc("ikevti");
	if (!pinst)
		return -ENOMEM;
	debug_dir = debugfs_create_dir("ikevti", NULL);
	debugfs_create_file("crypt_cpus", 0444, debug_dir, NULL,
			    &crypt_cpus_fops);
	return 0;
}

/* After every device is gone: drains padata's workqueues. */
void ikevti_parallel_uninit(void)
{
	debugfs_remove_recursive(debug_dir);
	padata_free(pinst);
}
