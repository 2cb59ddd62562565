/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one version of ikevti: the module (MODULE_VERSION), ikevtid
 * --version, ikevtictl version, dkms.conf and the Debian packages all
 * take it from here (debian/rules refuses a changelog that disagrees).
 */
#ifndef IKEVTI_VERSION_H
#define IKEVTI_VERSION_H

#define IKEVTI_VERSION "0.9.0"

#endif /* IKEVTI_VERSION_H */
