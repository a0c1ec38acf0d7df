/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Platform quirks: workarounds for firmware known to deviate from the
 * specification in ways the general leniency rules (docs/PROTOCOLS.md,
 * "Leniency") cannot absorb.
 *
 * Each quirk is keyed on the identity the Base protocol reports at
 * scmi_open() -- vendor, sub-vendor, implementation version range -- and
 * is active on a handle whose platform matches.  scmi_config.quirks turns
 * quirks off (or, for testing, on) by name:
 *
 * @code
 *	struct scmi_config cfg = {.quirks = "-clock_rate_set_no_dresp"};
 *	struct scmi_quirk_info qi;
 *
 *	scmi_open(uri, &cfg, &h);
 *	for (unsigned int i = 0; !scmi_quirk_get(h, i, &qi); i++)
 *		printf("%s%s\n", qi.name, qi.active ? " (active)" : "");
 * @endcode
 *
 * docs/PROTOCOLS.md ("Quirks") lists them with the firmware each is for.
 */
#ifndef SCMI_QUIRKS_H
#define SCMI_QUIRKS_H

#include <stdbool.h>
#include <stdint.h>

#include <scmi/handle.h>

#ifdef __cplusplus
extern "C" {
#endif

/** One quirk libscmi knows (scmi_quirk_get()).  The strings are static. */
struct scmi_quirk_info {
	/** Short name, as scmi_config.quirks and `scmi info` spell it. */
	const char *name;
	/** One sentence: what the firmware does and what libscmi does then. */
	const char *description;
	/** Vendor the quirk applies to (Base DISCOVER_VENDOR, compared
	 *  without regard to case). */
	const char *vendor;
	/** Sub-vendor it applies to, or NULL for any. */
	const char *sub_vendor;
	uint32_t impl_ver_min; /**< lowest implementation version matched */
	uint32_t impl_ver_max; /**< highest implementation version matched */
	/** Active on the handle given to scmi_quirk_get() (false without
	 *  one). */
	bool active;
};

/**
 * Describe quirk number @p idx, and whether it is active on @p h: matched
 * by the platform's identity and not disabled by scmi_config.quirks, or
 * forced on there.  Iterate from 0 until -ENOENT.  Thread-safe.
 *
 * @param h a handle, or NULL to list the quirks without one (active is
 *	then false).
 * @param idx 0, 1, ...
 * @param[out] info receives the description.
 * @return 0, -ENOENT past the last quirk, -EINVAL (NULL @p info).
 */
SCMI_EXPORT int scmi_quirk_get(const struct scmi_handle *h, unsigned int idx,
			       struct scmi_quirk_info *info);

#ifdef __cplusplus
}
#endif
#endif /* SCMI_QUIRKS_H */
