/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parallel crypto: an SA's transform may be wrapped in pcrypt, whose
 * padata instance runs requests on all online CPUs and completes them
 * in submission order. See Documentation/architecture.rst.
 */
#ifndef _IKEVTI_PARALLEL_H
#define _IKEVTI_PARALLEL_H

#include <crypto/aead.h>

struct crypto_aead *ikevti_parallel_alloc_aead(const char *name);

#endif /* _IKEVTI_PARALLEL_H */
