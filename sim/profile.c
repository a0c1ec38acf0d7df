/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Named platform profiles: the version each standard protocol claims, and
 * which protocols exist (version 0 = absent).  The table carries all ten
 * standard protocols; a protocol without a model yet is simply skipped, so a
 * model added later picks its versions up from here.
 */
#include <errno.h>
#include <string.h>

#include "sim-internal.h"

/* Versions by protocol id; 0 = the protocol is absent. */
typedef uint32_t sim_profile_versions[SIM_PROTO_STD_LAST + 1];

/* The newest versions in the spec digest (§3.1, Linux column). */
static const sim_profile_versions sim_newest = {
	[SIM_PROTO_BASE] = SIM_VERSION(2, 1),	  [SIM_PROTO_POWER] = SIM_VERSION(3, 1),
	[SIM_PROTO_SYSTEM] = SIM_VERSION(2, 1),	  [SIM_PROTO_PERF] = SIM_VERSION(4, 0),
	[SIM_PROTO_CLOCK] = SIM_VERSION(3, 0),	  [SIM_PROTO_SENSOR] = SIM_VERSION(3, 1),
	[SIM_PROTO_RESET] = SIM_VERSION(3, 1),	  [SIM_PROTO_VOLTAGE] = SIM_VERSION(2, 1),
	[SIM_PROTO_POWERCAP] = SIM_VERSION(2, 0), [SIM_PROTO_PINCTRL] = SIM_VERSION(1, 0),
};

/* A SCMI 2.0-era platform, close to what SCP-firmware ships: no Voltage,
 * Powercap or Pinctrl. */
static const sim_profile_versions sim_scmi20 = {
	[SIM_PROTO_BASE] = SIM_VERSION(2, 0),	[SIM_PROTO_POWER] = SIM_VERSION(2, 0),
	[SIM_PROTO_SYSTEM] = SIM_VERSION(1, 0), [SIM_PROTO_PERF] = SIM_VERSION(2, 0),
	[SIM_PROTO_CLOCK] = SIM_VERSION(1, 0),	[SIM_PROTO_SENSOR] = SIM_VERSION(1, 0),
	[SIM_PROTO_RESET] = SIM_VERSION(1, 0),
};

struct sim_profile {
	const char *name;
	const uint32_t *versions; /* sim_profile_versions */
};

static const struct sim_profile sim_profiles[] = {
	{"newest", sim_newest},
	{"scmi-2.0", sim_scmi20},
};

static const struct sim_profile *sim_profile_find(const char *name)
{
	size_t i;

	for (i = 0; i < SIM_ARRAY_SIZE(sim_profiles); i++)
		if (!strcmp(sim_profiles[i].name, name))
			return &sim_profiles[i];
	return NULL;
}

/* Every modelled protocol the profile keeps must speak its version: check
 * all before changing anything, so a failure leaves the platform as it was. */
static bool sim_profile_fits(struct scmi_sim *sim, const struct sim_profile *prof)
{
	unsigned int id;

	for (id = SIM_PROTO_STD_FIRST; id <= SIM_PROTO_STD_LAST; id++) {
		const struct sim_proto *p = sim_proto_get(sim, (uint8_t)id);

		if (p && prof->versions[id] && !sim_proto_speaks(p->ops, prof->versions[id]))
			return false;
	}
	return true;
}

int sim_profile_apply_locked(struct scmi_sim *sim, const char *name)
{
	const struct sim_profile *prof = name ? sim_profile_find(name) : NULL;
	unsigned int id;

	if (!prof || !sim_profile_fits(sim, prof))
		return -EINVAL;
	for (id = SIM_PROTO_STD_FIRST; id <= SIM_PROTO_STD_LAST; id++) {
		struct sim_proto *p = sim_proto_get(sim, (uint8_t)id);
		uint32_t v = prof->versions[id];

		if (!p)
			continue;
		p->present = v != 0;
		if (v)
			p->version = p->active = v;
	}
	return 0;
}

int scmi_sim_profile_apply(struct scmi_sim *sim, const char *name)
{
	int ret;

	if (!sim || !name)
		return -EINVAL;
	sim_lock(sim);
	ret = sim_profile_apply_locked(sim, name);
	sim_unlock(sim);
	return ret;
}
