/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Receive: ESP packets for our SPIs, taken from the xfrm protocol
 * handler chain, decrypted and delivered on the ikevti device.
 */
#ifndef _IKEVTI_RECEIVE_H
#define _IKEVTI_RECEIVE_H

#include <linux/skbuff.h>

void ikevti_receive_finish(struct sk_buff *skb, int err);
int ikevti_receive_init(void);
void ikevti_receive_uninit(void);

#endif /* _IKEVTI_RECEIVE_H */
