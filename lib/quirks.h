/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Platform quirks (internal; the public side is <scmi/quirks.h>, the table
 * and how to add an entry are in lib/quirks.c and docs/PROTOCOLS.md).
 */
#ifndef SCMI_LIB_QUIRKS_H
#define SCMI_LIB_QUIRKS_H

#include <stdbool.h>
#include <stdint.h>

struct scmi_instance;

/* One bit each in scmi_instance.quirks; order of scmi_quirk_table[]. */
enum scmi_quirk_id {
	SCMI_QUIRK_CLOCK_RATE_RANGE_COUNT,
	SCMI_QUIRK_CLOCK_RATE_SET_NO_DRESP,
	SCMI_QUIRK_SENSOR_ASYNC_INLINE,
	SCMI_QUIRK__COUNT
};

/* What scmi_config.quirks asks for: bits forced on, bits turned off. */
struct scmi_quirk_config {
	uint32_t force_on;
	uint32_t force_off;
};

/**
 * Parse scmi_config.quirks ("-name,+name,...", "name" meaning "+name",
 * "-all"/"+all" every quirk; NULL or "" nothing) into @qc.  An unknown
 * name or an empty item is -EINVAL, logged at error level (and so the
 * caller's scmi_last_error_msg()).
 */
int scmi_quirks_parse(struct scmi_instance *inst, const char *spec, struct scmi_quirk_config *qc);

/**
 * Compute the handle's active set from the identity Base discovered
 * (inst->rev) and @qc; logs the active ones at info level.  Called once by
 * scmi_open(), after Base discovery and before any other protocol comes
 * up, so the set is immutable by the time protocol code reads it.
 */
void scmi_quirks_apply(struct scmi_instance *inst, const struct scmi_quirk_config *qc);

/**
 * Does the identity Base discovered (@rev) match @vendor (NULL: any),
 * @sub_vendor (NULL: any), both compared without regard to case, and the
 * implementation-version range @impl_ver_min..@impl_ver_max?  The one
 * matching rule of quirks and vendor protocols (lib/vendor.c).
 */
struct scmi_revision_info;
bool scmi_identity_match(const struct scmi_revision_info *rev, const char *vendor,
			 const char *sub_vendor, uint32_t impl_ver_min, uint32_t impl_ver_max);

/** Is quirk @id active on the handle of @inst? */
bool scmi_quirk_active(const struct scmi_instance *inst, enum scmi_quirk_id id);

#endif
