// SPDX-License-Identifier: GPL-2.0
/*
 * Events to the IKE helper. The datapath runs in softirq (or wherever
 * crypto completed) and must neither allocate large messages nor walk
 * the SA list, so it only records what happened in bits of the device
 * or SA and kicks the device's work item. The work runs under RTNL,
 * where the SA list is stable, and multicasts the messages with
 * GFP_KERNEL.
 *
 * A kicked work holds a reference on the net_device, so it can never
 * outlive the device; unregistering waits for it, and module exit
 * destroys the workqueue after every device is gone. An SA deleted
 * before its event went out gets none: whoever deleted it knows.
 */
#include <linux/jiffies.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>

#include "device.h"
#include "encap.h"
#include "events.h"
#include "netlink.h"
#include "sa.h"

static struct workqueue_struct *ikevti_events_wq;

void ikevti_events_kick(struct ikevti_device *idev)
{
	dev_hold(idev->dev);
	if (!queue_work(ikevti_events_wq, &idev->event_work))
		dev_put(idev->dev);
}

/* Rate limits start "long ago", so the first event always goes out. */
void ikevti_events_sa_init(struct ikevti_sa *sa)
{
	sa->mapping_ts = jiffies - HZ;
}

/* Racy on purpose: two CPUs may both see the second pass, one wins. */
static bool ratelimit_pass(unsigned long *ts)
{
	unsigned long last = READ_ONCE(*ts), now = jiffies;

	if (time_before(now, last + HZ))
		return false;
	return cmpxchg(ts, last, now) == last;
}

void ikevti_event_acquire(struct ikevti_device *idev)
{
	if (!ratelimit_pass(&idev->acquire_ts))
		return;
	set_bit(IKEVTI_DEV_EV_ACQUIRE, &idev->event_bits);
	ikevti_events_kick(idev);
}

/* An authenticated packet came from addr:port, not from the SA's peer. */
void ikevti_event_new_mapping(struct ikevti_sa *sa,
			      const struct ikevti_addr *addr, __be16 port)
{
	if (time_before(jiffies, READ_ONCE(sa->mapping_ts) + HZ))
		return;
	if (test_and_set_bit_lock(IKEVTI_SA_EV_MAPPING_BUSY, &sa->events))
		return;
	sa->new_addr = *addr;
	sa->new_port = port;
	/* Publish new_addr/new_port before the bit the work tests. */
	smp_mb__before_atomic();
	set_bit(IKEVTI_SA_EV_MAPPING_PENDING, &sa->events);
	ikevti_events_kick(sa->idev);
}

/* A_SA{DIR, SPI} opened; the caller adds the rest and closes it. */
static struct nlattr *sa_nest_start(struct sk_buff *msg,
				    const struct ikevti_sa *sa)
{
	struct nlattr *nest = nla_nest_start(msg, IKEVTI_A_SA);

	if (!nest || nla_put_u8(msg, IKEVTI_SA_A_DIR, sa->dir) ||
	    nla_put_u32(msg, IKEVTI_SA_A_SPI, ntohl(sa->spi)))
		return NULL;
	return nest;
}

static int put_counts(struct sk_buff *msg, const u64 *at)
{
	struct nlattr *stats = nla_nest_start(msg, IKEVTI_SA_A_STATS);

	if (!stats ||
	    nla_put_u64_64bit(msg, IKEVTI_STATS_A_PACKETS, at[0],
			      IKEVTI_STATS_A_PAD) ||
	    nla_put_u64_64bit(msg, IKEVTI_STATS_A_BYTES, at[1],
			      IKEVTI_STATS_A_PAD))
		return -EMSGSIZE;
	nla_nest_end(msg, stats);
	return 0;
}

static void send_expire(struct ikevti_device *idev, struct ikevti_sa *sa,
			bool hard)
{
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;

	msg = ikevti_genl_event_new(idev, IKEVTI_CMD_SA_EXPIRE, &hdr);
	if (!msg)
		return;
	nest = sa_nest_start(msg, sa);
	if (!nest || nla_put_u8(msg, IKEVTI_SA_A_EXPIRE_HARD, hard) ||
	    put_counts(msg, hard ? sa->hard_at : sa->soft_at)) {
		nlmsg_free(msg);
		return;
	}
	nla_nest_end(msg, nest);
	ikevti_genl_event_send(idev, msg, hdr);
}

static void send_mapping(struct ikevti_device *idev, struct ikevti_sa *sa,
			 const struct ikevti_addr *addr, __be16 port)
{
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;

	msg = ikevti_genl_event_new(idev, IKEVTI_CMD_NEW_MAPPING, &hdr);
	if (!msg)
		return;
	nest = sa_nest_start(msg, sa);
	if (!nest || ikevti_addr_put(msg, IKEVTI_SA_A_REMOTE, addr) ||
	    nla_put_u16(msg, IKEVTI_SA_A_ENCAP_SPORT, ntohs(sa->encap_sport)) ||
	    nla_put_u16(msg, IKEVTI_SA_A_ENCAP_DPORT, ntohs(port))) {
		nlmsg_free(msg);
		return;
	}
	nla_nest_end(msg, nest);
	ikevti_genl_event_send(idev, msg, hdr);
}

static void send_acquire(struct ikevti_device *idev)
{
	struct sk_buff *msg;
	void *hdr;

	msg = ikevti_genl_event_new(idev, IKEVTI_CMD_ACQUIRE, &hdr);
	if (msg)
		ikevti_genl_event_send(idev, msg, hdr);
}

/*
 * RFC 3948 and RFC 7296 2.23: only an authenticated packet may move the
 * peer, and only where the helper allowed it (ALLOW_FLOAT); otherwise
 * the helper is told and decides.
 */
static void sa_mapping(struct ikevti_device *idev, struct ikevti_sa *sa)
{
	struct ikevti_addr addr;
	__be16 port;

	if (!test_bit(IKEVTI_SA_EV_MAPPING_PENDING, &sa->events))
		return;
	/* Pairs with the barrier in ikevti_event_new_mapping(). */
	smp_mb__after_atomic();
	addr = sa->new_addr;
	port = sa->new_port;
	clear_bit(IKEVTI_SA_EV_MAPPING_PENDING, &sa->events);
	if (sa->flags & IKEVTI_SA_F_ALLOW_FLOAT)
		ikevti_encap_float(idev, &addr, port);
	send_mapping(idev, sa, &addr, port);
	WRITE_ONCE(sa->mapping_ts, jiffies);
	clear_bit_unlock(IKEVTI_SA_EV_MAPPING_BUSY, &sa->events);
}

static void sa_events(struct ikevti_device *idev, struct ikevti_sa *sa)
{
	if (test_and_clear_bit(IKEVTI_SA_EV_SOFT_PENDING, &sa->events))
		send_expire(idev, sa, false);
	if (test_and_clear_bit(IKEVTI_SA_EV_HARD_PENDING, &sa->events))
		send_expire(idev, sa, true);
	sa_mapping(idev, sa);
}

static void event_work(struct work_struct *work)
{
	struct ikevti_device *idev = container_of(work, struct ikevti_device,
						  event_work);
	struct ikevti_sa *sa;

	rtnl_lock();
	if (idev->dev->reg_state == NETREG_REGISTERED) {
		if (test_and_clear_bit(IKEVTI_DEV_EV_ACQUIRE,
				       &idev->event_bits))
			send_acquire(idev);
		list_for_each_entry(sa, &idev->sa_list, dev_node)
			sa_events(idev, sa);
	}
	rtnl_unlock();
	dev_put(idev->dev);
}

void ikevti_events_dev_init(struct ikevti_device *idev)
{
	INIT_WORK(&idev->event_work, event_work);
	idev->acquire_ts = jiffies - HZ;
}

int ikevti_events_init(void)
{
	ikevti_events_wq = alloc_workqueue("ikevti_events", 0, 0);
	return ikevti_events_wq ? 0 : -ENOMEM;
}

/* After every device is gone: runs the last works' final instructions. */
void ikevti_events_uninit(void)
{
	destroy_workqueue(ikevti_events_wq);
}
