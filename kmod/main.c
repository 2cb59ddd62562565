// SPDX-License-Identifier: GPL-2.0
/*
 * ikevti: route-based IPsec tunnel devices doing ESP through the kernel
 * crypto API, wire-compatible with the kernel's own ESP and Cisco VTIs.
 *
 * Module init brings the pieces up from the bottom (namespace state,
 * ESP receive hook, link type, configuration interface) and exit tears
 * them down in exactly the reverse order.
 */
#include <linux/module.h>
#include <net/genetlink.h>
#include <net/rtnetlink.h>
#include <uapi/linux/ikevti.h>
#include <ikevti_version.h>

#include "device.h"
#include "events.h"
#include "netlink.h"
#include "netns.h"
#include "parallel.h"
#include "receive.h"
#include "replay.h"
#include "sa.h"

static int __init ikevti_mod_init(void)
{
	int err;

#ifdef DEBUG
	if (!ikevti_replay_selftest())
		return -ENOTRECOVERABLE;
#endif
	err = ikevti_sa_module_init();
	if (err)
		return err;
	err = ikevti_events_init();
	if (err)
		goto err_sa;
	err = ikevti_netns_init();
	if (err)
		goto err_events;
	err = ikevti_receive_init();
	if (err)
		goto err_netns;
	err = ikevti_parallel_init();
	if (err)
		goto err_receive;
	err = ikevti_device_init();
	if (err)
		goto err_parallel;
	err = ikevti_genl_init();
	if (err)
		goto err_device;
	pr_info("ESP tunnel devices loaded\n");
	return 0;

err_device:
	ikevti_device_uninit();
err_parallel:
	ikevti_parallel_uninit();
err_receive:
	ikevti_receive_uninit();
err_netns:
	ikevti_netns_uninit();
err_events:
	ikevti_events_uninit();
err_sa:
	rcu_barrier();
	ikevti_sa_module_exit();
	return err;
}

static void __exit ikevti_mod_exit(void)
{
	ikevti_genl_uninit();
	ikevti_device_uninit();		/* deletes every ikevti device */
	ikevti_parallel_uninit();
	ikevti_receive_uninit();
	ikevti_netns_uninit();
	/* Device event works held their device: all are done but returning. */
	ikevti_events_uninit();
	/* SA frees are RCU callbacks that queue work: drain both. */
	rcu_barrier();
	ikevti_sa_module_exit();
}

module_init(ikevti_mod_init);
module_exit(ikevti_mod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Route-based IPsec (ESP tunnel) devices");
MODULE_ALIAS_RTNL_LINK(IKEVTI_LINK_KIND);
MODULE_ALIAS_GENL_FAMILY(IKEVTI_GENL_NAME);
MODULE_VERSION(IKEVTI_VERSION);
