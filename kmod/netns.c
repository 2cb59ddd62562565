// SPDX-License-Identifier: GPL-2.0
/*
 * Per-namespace state, and deleting the devices whose underlay goes
 * away: a device without its underlay could never send or receive again,
 * and holding a reference on the underlay instead would let two
 * namespaces keep each other alive.
 */
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/netns/generic.h>

#include "device.h"
#include "netns.h"

static unsigned int ikevti_net_id __read_mostly;

struct ikevti_net *ikevti_net(const struct net *net)
{
	return net_generic(net, ikevti_net_id);
}

static int __net_init ikevti_net_init(struct net *net)
{
	struct ikevti_net *in = ikevti_net(net);
	unsigned int i;

	INIT_LIST_HEAD(&in->devices);
	spin_lock_init(&in->spi_lock);
	for (i = 0; i < ARRAY_SIZE(in->spi_hash); i++)
		INIT_HLIST_HEAD(&in->spi_hash[i]);
	return 0;
}

/*
 * Devices living in a dying namespace are also deleted by the core, but
 * this runs first (pernet device exits run newest first), so each device
 * is queued exactly once.
 */
static void __net_exit ikevti_net_exit_batch(struct list_head *net_list)
{
	struct ikevti_device *idev;
	struct net *net;
	LIST_HEAD(kill);

	rtnl_lock();
	list_for_each_entry(net, net_list, exit_list) {
		list_for_each_entry(idev, &ikevti_net(net)->devices,
				    underlay_node)
			unregister_netdevice_queue(idev->dev, &kill);
	}
	unregister_netdevice_many(&kill);
	rtnl_unlock();
}

static struct pernet_operations ikevti_net_ops = {
	.init = ikevti_net_init,
	.exit_batch = ikevti_net_exit_batch,
	.id = &ikevti_net_id,
	.size = sizeof(struct ikevti_net),
};

int ikevti_netns_init(void)
{
	return register_pernet_device(&ikevti_net_ops);
}

void ikevti_netns_uninit(void)
{
	unregister_pernet_device(&ikevti_net_ops);
}
