// SPDX-License-Identifier: GPL-2.0
/*
 * Crypto that is not bound to the CPU a packet arrived or was sent on.
 *
 * The transmit and receive paths already treat every request as possibly
 * asynchronous: the request owns the packet, an SA reference and a
 * device reference until its completion runs. pcrypt (crypto/pcrypt.c)
 * is an AEAD template whose requests padata hands to workers on all
 * online CPUs and whose completions it calls back in the order the
 * requests were submitted, on one CPU per transform. Wrapping the SA's
 * transform in it is therefore all it takes to spread one tunnel's
 * crypto over the CPUs without reordering it: sequence numbers leave in
 * the order they were taken, and received packets reach the replay
 * window and GRO in the order they arrived.
 */
#include <linux/cpumask.h>
#include <linux/module.h>
#include <linux/string.h>

#include "parallel.h"

/*
 * Off unless asked for: pcrypt instances are global, and once one exists
 * the kernel's own ESP gets it too for SAs added later. On 6.1 that
 * breaks xfrm interfaces: xfrm_input() holds skb->dev across an
 * asynchronous decryption but puts it after xfrmi_rcv_cb() replaced it
 * with the xfrm interface, leaking a reference to the underlay device
 * per packet (netns deletion then hangs).
 */
static int parallel;
module_param(parallel, int, 0644);
MODULE_PARM_DESC(parallel,
		 "crypto through pcrypt on all CPUs, in order: 1 always, 0 never (default), -1 when more than one CPU is online");

#define PCRYPT_PREFIX "pcrypt("

static bool want_parallel(void)
{
	int p = READ_ONCE(parallel);

	/* With one CPU the workqueue hops would only add latency. */
	if (p < 0)
		return num_online_cpus() > 1;
	return p;
}

static bool is_pcrypt(const char *driver)
{
	return str_has_prefix(driver, PCRYPT_PREFIX);
}

/* "pcrypt(pcrypt(X))" -> "X": the driver below every pcrypt layer. */
static int strip_pcrypt(const char *driver, char *name)
{
	size_t len = strlen(driver);

	while (is_pcrypt(driver) && len > strlen(PCRYPT_PREFIX)) {
		driver += strlen(PCRYPT_PREFIX);
		len -= strlen(PCRYPT_PREFIX) + 1;	/* and the ')' */
	}
	if (len >= CRYPTO_MAX_ALG_NAME)
		return -ENAMETOOLONG;
	memcpy(name, driver, len);
	name[len] = '\0';
	return 0;
}

/*
 * The driver name of the variant we want of the transform we were given.
 * A pcrypt instance takes its child's algorithm name and 100 more
 * priority, and its driver name is "pcrypt(<child driver>)". Asking for
 * "pcrypt(<algorithm name>)" does build the instance but never matches
 * it, hence ENOENT; the driver name does. Once the instance exists,
 * lookups by algorithm name prefer it (esp4 and esp6 included, which is
 * how pcrypt is meant to be used), so the sequential variant must be
 * asked for by the child's driver name too. Nested pcrypt layers, which
 * only add hops, are dropped either way.
 */
static int variant_name(struct crypto_aead *found, bool want, char *name)
{
	const char *driver = crypto_aead_driver_name(found);
	char child[CRYPTO_MAX_ALG_NAME];
	int err;

	if (!want)
		return strip_pcrypt(driver, name);
	err = strip_pcrypt(driver, child);
	if (err)
		return err;
	if (snprintf(name, CRYPTO_MAX_ALG_NAME, PCRYPT_PREFIX "%s)", child) >=
	    CRYPTO_MAX_ALG_NAME)
		return -ENAMETOOLONG;
	return 0;
}

/*
 * The AEAD for an SA: parallel or not as the "parallel" parameter says,
 * and the other variant rather than none when the wanted one cannot be
 * had (pcrypt not built, or its instance refused).
 */
struct crypto_aead *ikevti_parallel_alloc_aead(const char *name)
{
	char wanted[CRYPTO_MAX_ALG_NAME];
	struct crypto_aead *aead, *variant;
	bool want = want_parallel();
	int err;

	aead = crypto_alloc_aead(name, 0, 0);
	if (IS_ERR(aead))
		return aead;
	err = variant_name(aead, want, wanted);
	if (err || !strcmp(wanted, crypto_aead_driver_name(aead)))
		goto out;
	variant = crypto_alloc_aead(wanted, 0, 0);
	if (IS_ERR(variant)) {
		pr_info_ratelimited("%s: %s unavailable (%ld), using %s\n",
				    name, wanted, PTR_ERR(variant),
				    crypto_aead_driver_name(aead));
		goto out;
	}
	crypto_free_aead(aead);
	aead = variant;
out:
	pr_debug("%s: using %s\n", name, crypto_aead_driver_name(aead));
	return aead;
}
