// SPDX-License-Identifier: BSD-3-Clause
/*
 * Platform quirks: the table, the scmi_config.quirks parser, matching
 * against the identity Base discovered, and scmi_quirk_get().
 *
 * A quirk is for a deviation the general leniency rules cannot absorb
 * (docs/PROTOCOLS.md, "Leniency" and "Quirks"): it makes libscmi accept,
 * or avoid, one specific behaviour of one firmware, and stay strict with
 * every other platform.  To add one: a new enum scmi_quirk_id before
 * SCMI_QUIRK__COUNT, its entry here at the same index, the check in the
 * protocol code (scmi_quirk_active()), a simulator knob that misbehaves
 * the same way, and tests with the quirk on (by identity) and off (by
 * identity and by configuration) in tests/test_quirks.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <scmi/quirks.h>

#include "common.h"
#include "quirks.h"

struct scmi_quirk_entry {
	const char *name;
	const char *description;
	const char *vendor;	/* compared without regard to case */
	const char *sub_vendor; /* NULL: any */
	uint32_t impl_ver_min;
	uint32_t impl_ver_max;
};

static const struct scmi_quirk_entry scmi_quirk_table[SCMI_QUIRK__COUNT] = {
	/*
	 * SCP-firmware reports vendor "arm", sub-vendor "arm" (its product
	 * configurations of mod_scmi) and, we assume, its build version as
	 * the implementation version (major<<24 | minor<<16 | patch; the
	 * encoding is unverified).  Older releases answered a range-form
	 * CLOCK_DESCRIBE_RATES with a count of 1 before the whole triplet
	 * (the issue report; current sources count 3).  Which release fixed
	 * it is not established either, so the entry covers every version
	 * below 3.0; the check is narrow (exactly one triplet's bytes,
	 * nothing remaining) and harmless where the count is right.
	 */
	[SCMI_QUIRK_CLOCK_RATE_RANGE_COUNT] =
		{
			.name = "clock_rate_range_count",
			.description =
				"CLOCK_DESCRIBE_RATES range answered with a count of 1 before "
				"a whole triplet (old SCP-firmware): the triplet is accepted",
			.vendor = "arm",
			.sub_vendor = "arm",
			.impl_ver_min = 0,
			.impl_ver_max = 0x02ffffff,
		},
	/*
	 * The scmi-msg server of TF-A and OP-TEE reports the platform's
	 * plat_scmi_vendor_name(): "ST" on STM32MP1/MP2 (sub-vendor "" or
	 * "STM32MP2"; implementation version not keyed).  That an async
	 * CLOCK_RATE_SET is answered without a delayed response comes from
	 * the issue report; it is not verified in the scmi-msg sources.
	 */
	[SCMI_QUIRK_CLOCK_RATE_SET_NO_DRESP] =
		{
			.name = "clock_rate_set_no_dresp",
			.description =
				"asynchronous CLOCK_RATE_SET never completed by a delayed response "
				"(TF-A, OP-TEE): rate changes use the synchronous form",
			.vendor = "ST",
			.sub_vendor = NULL,
			.impl_ver_min = 0,
			.impl_ver_max = UINT32_MAX,
		},
	/*
	 * TF-A's SCMI sensor server (NXP i.MX platforms, vendor "NXP" as
	 * their plat_scmi_vendor_name() reports it; sub-vendor per SoC)
	 * answers an asynchronous SENSOR_READING_GET with the reading in the
	 * response and sends no delayed response.  Vendor string and
	 * behaviour are from the issue report and TF-A's NXP platform code;
	 * unverified on hardware.
	 */
	[SCMI_QUIRK_SENSOR_ASYNC_INLINE] =
		{
			.name = "sensor_async_inline",
			.description =
				"asynchronous SENSOR_READING_GET answered inline, with no delayed "
				"response (TF-A): the inline reading is accepted",
			.vendor = "NXP",
			.sub_vendor = NULL,
			.impl_ver_min = 0,
			.impl_ver_max = UINT32_MAX,
		},
};

static int quirk_lookup(const char *name, size_t len)
{
	for (unsigned int i = 0; i < SCMI_QUIRK__COUNT; i++)
		if (strlen(scmi_quirk_table[i].name) == len &&
		    !strncmp(scmi_quirk_table[i].name, name, len))
			return (int)i;
	return -1;
}

int scmi_quirks_parse(struct scmi_instance *inst, const char *spec, struct scmi_quirk_config *qc)
{
	const uint32_t all = (1u << SCMI_QUIRK__COUNT) - 1;
	const char *p = spec;

	qc->force_on = qc->force_off = 0;
	if (!spec || !*spec)
		return 0;
	for (;;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		bool off = false;
		uint32_t bits;
		int id;

		if (len && (*p == '-' || *p == '+')) {
			off = *p == '-';
			p++;
			len--;
		}
		if (!len) {
			scmi_err(&inst->log, "config: quirks '%s': empty item", spec);
			return -EINVAL;
		}
		if (len == 3 && !strncmp(p, "all", 3)) {
			bits = all;
		} else if ((id = quirk_lookup(p, len)) >= 0) {
			bits = 1u << id;
		} else {
			scmi_err(&inst->log,
				 "config: quirks: unknown quirk '%.*s' (scmi_quirk_get() lists "
				 "them)",
				 (int)len, p);
			return -EINVAL;
		}
		/* The last word on a quirk wins. */
		if (off) {
			qc->force_off |= bits;
			qc->force_on &= ~bits;
		} else {
			qc->force_on |= bits;
			qc->force_off &= ~bits;
		}
		if (!end)
			return 0;
		p = end + 1;
	}
}

bool scmi_identity_match(const struct scmi_revision_info *rev, const char *vendor,
			 const char *sub_vendor, uint32_t impl_ver_min, uint32_t impl_ver_max)
{
	return (!vendor || !strcasecmp(vendor, rev->vendor_id)) &&
	       (!sub_vendor || !strcasecmp(sub_vendor, rev->sub_vendor_id)) &&
	       rev->impl_ver >= impl_ver_min && rev->impl_ver <= impl_ver_max;
}

static bool quirk_matches(const struct scmi_quirk_entry *q, const struct scmi_revision_info *rev)
{
	return scmi_identity_match(rev, q->vendor, q->sub_vendor, q->impl_ver_min,
				   q->impl_ver_max);
}

void scmi_quirks_apply(struct scmi_instance *inst, const struct scmi_quirk_config *qc)
{
	uint32_t active = 0;

	for (unsigned int i = 0; i < SCMI_QUIRK__COUNT; i++)
		if (quirk_matches(&scmi_quirk_table[i], &inst->rev))
			active |= 1u << i;
	active = (active & ~qc->force_off) | qc->force_on;
	inst->quirks = active;
	for (unsigned int i = 0; i < SCMI_QUIRK__COUNT; i++)
		if (active & (1u << i))
			scmi_info(&inst->log, "quirk %s active%s", scmi_quirk_table[i].name,
				  (qc->force_on & (1u << i)) ? " (forced by the configuration)"
							     : "");
}

bool scmi_quirk_active(const struct scmi_instance *inst, enum scmi_quirk_id id)
{
	return inst->quirks & (1u << id);
}

int scmi_quirk_get(const struct scmi_handle *h, unsigned int idx, struct scmi_quirk_info *info)
{
	const struct scmi_quirk_entry *q;

	if (!info)
		return -EINVAL;
	if (idx >= SCMI_QUIRK__COUNT)
		return -ENOENT;
	q = &scmi_quirk_table[idx];
	info->name = q->name;
	info->description = q->description;
	info->vendor = q->vendor;
	info->sub_vendor = q->sub_vendor;
	info->impl_ver_min = q->impl_ver_min;
	info->impl_ver_max = q->impl_ver_max;
	info->active = h && scmi_quirk_active(scmi_inst(h), (enum scmi_quirk_id)idx);
	return 0;
}
