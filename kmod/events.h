/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Events to the IKE helper (SA_EXPIRE, ACQUIRE, NEW_MAPPING), multicast
 * on the "events" group in the device's namespace. The datapath only
 * flips bits and kicks a per-device work item; the work builds and sends
 * the messages in process context.
 */
#ifndef _IKEVTI_EVENTS_H
#define _IKEVTI_EVENTS_H

#include "addr.h"

struct ikevti_device;
struct ikevti_sa;

/* Bits of ikevti_sa.events. */
enum {
	IKEVTI_SA_EV_SOFT,		/* soft limit reached (once) */
	IKEVTI_SA_EV_HARD,		/* hard limit reached (once) */
	IKEVTI_SA_EV_SOFT_PENDING,	/* its event is still to be sent */
	IKEVTI_SA_EV_HARD_PENDING,
	IKEVTI_SA_EV_MAPPING_BUSY,	/* new_addr/new_port are taken */
	IKEVTI_SA_EV_MAPPING_PENDING,	/* ... and filled in */
};

/* Bits of ikevti_device.event_bits. */
enum {
	IKEVTI_DEV_EV_ACQUIRE,
};

void ikevti_events_dev_init(struct ikevti_device *idev);
void ikevti_events_sa_init(struct ikevti_sa *sa);
void ikevti_events_kick(struct ikevti_device *idev);
void ikevti_event_acquire(struct ikevti_device *idev);
void ikevti_event_new_mapping(struct ikevti_sa *sa,
			      const struct ikevti_addr *addr, __be16 port);
int ikevti_events_init(void);
void ikevti_events_uninit(void);

#endif /* _IKEVTI_EVENTS_H */
