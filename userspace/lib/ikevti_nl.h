/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ikevti_nl: the generic netlink family "ikevti" through libnl-3.
 *
 * Every request function returns 0 or a negative errno. When the kernel
 * refused a request, ikevti_nl_errmsg() holds its extended ACK message
 * (or a description of the missing/invalid attribute), "" if it sent
 * none. Keys are wiped from the message buffers once sent.
 *
 * The message builders and reply parsers are exported too, so they can
 * be tested without a kernel.
 */
#ifndef IKEVTI_NL_H
#define IKEVTI_NL_H

#include <stddef.h>
#include <stdint.h>

#include <netlink/msg.h>

#include "ikevti_sa.h"

struct ikevti_nl;

#define IKEVTI_ERRMSG_LEN 256

/*
 * Open a generic netlink socket and resolve the family. On failure
 * returns a negative errno (-ENOENT when the module is not loaded) and a
 * message in err[errlen].
 */
int ikevti_nl_open(struct ikevti_nl **out, char *err, size_t errlen);
void ikevti_nl_close(struct ikevti_nl *h);

/* Message of the last failed request, "" if none. */
const char *ikevti_nl_errmsg(const struct ikevti_nl *h);
int ikevti_nl_family_id(const struct ikevti_nl *h);
/* Family version reported by the kernel (IKEVTI_GENL_VERSION there). */
unsigned int ikevti_nl_family_version(const struct ikevti_nl *h);

int ikevti_sa_new(struct ikevti_nl *h, const struct ikevti_devid *dev,
		  const struct ikevti_sa_cfg *cfg);
int ikevti_sa_del(struct ikevti_nl *h, const struct ikevti_devid *dev,
		  uint8_t dir, uint32_t spi);
int ikevti_sa_get(struct ikevti_nl *h, const struct ikevti_devid *dev,
		  uint8_t dir, uint32_t spi, struct ikevti_sa_info *out);
int ikevti_sa_flush(struct ikevti_nl *h, const struct ikevti_devid *dev);
/* spi_min/spi_max 0: the kernel's default range. */
int ikevti_spi_alloc(struct ikevti_nl *h, const struct ikevti_devid *dev,
		     uint32_t spi_min, uint32_t spi_max, uint32_t *spi);
int ikevti_set_tx(struct ikevti_nl *h, const struct ikevti_devid *dev,
		  uint32_t spi);
int ikevti_dev_get(struct ikevti_nl *h, const struct ikevti_devid *dev,
		   struct ikevti_dev_info *out);

/*
 * All SAs of a device, as one consistent snapshot (a dump interrupted by
 * a change is retried). *out is malloc()ed; free() it.
 */
int ikevti_sa_list(struct ikevti_nl *h, const struct ikevti_devid *dev,
		   struct ikevti_sa_info **out, size_t *n);

/* Calls cb for each SA of ikevti_sa_list(); a non-zero return stops and
 * is returned.
 */
typedef int (*ikevti_sa_cb)(const struct ikevti_sa_info *sa, void *arg);
int ikevti_sa_dump(struct ikevti_nl *h, const struct ikevti_devid *dev,
		   ikevti_sa_cb cb, void *arg);

/* --- building and parsing, without a socket ------------------------- */

/* A request with the genl header and the device; NULL on ENOMEM. */
struct nl_msg *ikevti_msg_new(int family, uint8_t cmd, int flags,
			      const struct ikevti_devid *dev);
/* Append IKEVTI_A_SA for SA_NEW; 0 or negative errno. */
int ikevti_msg_put_sa_cfg(struct nl_msg *msg, const struct ikevti_sa_cfg *cfg);
/* Append IKEVTI_A_SA{DIR (if non-zero), SPI}. */
int ikevti_msg_put_sa_id(struct nl_msg *msg, uint8_t dir, uint32_t spi);
/* Zero the payload of every key attribute in a built message. */
void ikevti_msg_wipe_keys(struct nl_msg *msg);

/* Attribute readers: a fixed-size value (0, or -1 when the length is
 * wrong), an outer address (4 or 16 bytes), a name (always terminated). */
int ikevti_nla_fixed(const struct nlattr *a, void *out, size_t size);
int ikevti_nla_addr(const struct nlattr *a, struct ikevti_addr *out);
void ikevti_nla_name(const struct nlattr *a, char *out, size_t size);

/* Parse a reply carrying IKEVTI_A_SA; 0 or -EBADMSG (message in err). */
int ikevti_parse_sa_reply(struct nlmsghdr *nlh, struct ikevti_sa_info *sa,
			  char *err, size_t errlen);
/* Parse a DEV_GET reply. */
int ikevti_parse_dev_reply(struct nlmsghdr *nlh, struct ikevti_dev_info *dev,
			   char *err, size_t errlen);
/* Parse a nest of IKEVTI_STATS_A_* counters. */
int ikevti_parse_stats(struct nlattr *nest, struct ikevti_stats *st,
		       char *err, size_t errlen);

/*
 * Describe an NLMSG_ERROR message (with its extended ACK TLVs) into
 * msg[len]; sent is the request it answers (for attribute offsets), may
 * be NULL. Returns the (negative) error number it carries.
 */
int ikevti_describe_error(const struct nlmsghdr *err_nlh,
			  const struct nlmsghdr *sent, char *msg, size_t len);

/* Name of an attribute, "sa.spi", "ifname"... (nested: in IKEVTI_A_SA). */
const char *ikevti_attr_name(int attr, int nested);

#endif /* IKEVTI_NL_H */
