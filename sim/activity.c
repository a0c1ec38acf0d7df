/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Platform "activity": a demo mode in which the simulated platform changes
 * things on its own, as a live one does (thermal capping, rate changes,
 * other agents resetting devices), so that `scmi monitor` on loopback://
 * has something to show.  Each step makes one change, round-robin over the
 * protocols, through the models' own test-facing APIs -- so only while the
 * agent enabled the matching notification does anything reach it.
 *
 * Driven: Base (a non-fatal error event), Performance, Clock, Power,
 * Reset and Powercap; Sensor readings move on their own.  System power
 * requests are deliberately not made: a daemon such as scmi-evdev turns
 * them into KEY_POWER / KEY_RESTART / KEY_SLEEP on the host running it.
 * Voltage and Pin control have no events.
 */
#include <errno.h>

#include "sim-internal.h"

/* Sensors need no step: their readings are live already (a slow wave). */
enum {
	ACT_PERF,
	ACT_CLOCK,
	ACT_POWER,
	ACT_RESET,
	ACT_POWERCAP,
	ACT_BASE,
	ACT_N
};

static void act_perf(struct scmi_sim *sim, unsigned int round)
{
	struct scmi_sim_perf_domain d;
	struct scmi_sim_perf_level lo, hi;

	if (scmi_sim_perf_domain_get(sim, 0, &d) || d.num_levels < 2 ||
	    scmi_sim_perf_level_entry(sim, 0, 0, &lo) ||
	    scmi_sim_perf_level_entry(sim, 0, d.num_levels - 1, &hi))
		return;
	/* Alternate thermal capping to the middle of the table and release. */
	if (round % 2) {
		struct scmi_sim_perf_level mid;

		if (!scmi_sim_perf_level_entry(sim, 0, d.num_levels / 2, &mid))
			scmi_sim_perf_limits_set(sim, 0, mid.perf, lo.perf);
	} else {
		scmi_sim_perf_limits_set(sim, 0, hi.perf, lo.perf);
	}
}

static void act_clock(struct scmi_sim *sim, unsigned int round)
{
	uint64_t rates[2];

	if (scmi_sim_clock_rates_get(sim, 0, rates, 2) >= 2)
		scmi_sim_clock_rate_change(sim, 0, rates[round % 2]);
}

static void act_power(struct scmi_sim *sim, unsigned int round)
{
	/* Domain 1 (a GPU-like domain) goes on and off at the platform's will. */
	scmi_sim_power_state_change(sim, 1, round % 2 ? 0x40000000u : 0, 0);
}

static void act_reset(struct scmi_sim *sim, unsigned int round)
{
	scmi_sim_reset_issue(sim, round % 2, 2, 0); /* agent 2 resets a device */
}

static void act_powercap(struct scmi_sim *sim, unsigned int round)
{
	struct scmi_sim_powercap_domain d;

	if (!scmi_sim_powercap_domain_get(sim, 0, &d) && d.max_cap)
		scmi_sim_powercap_power_set(sim, 0, d.max_cap / 4 * (1 + round % 4));
}

static void act_base(struct scmi_sim *sim, unsigned int round)
{
	uint64_t report = round; /* one vendor-defined report word */

	scmi_sim_base_error_event(sim, 0, false, &report, 1);
}

void scmi_sim_activity_step(struct scmi_sim *sim, unsigned int step)
{
	unsigned int round = step / ACT_N;

	if (!sim)
		return;
	switch (step % ACT_N) {
	case ACT_PERF:
		act_perf(sim, round);
		break;
	case ACT_CLOCK:
		act_clock(sim, round);
		break;
	case ACT_POWER:
		act_power(sim, round);
		break;
	case ACT_RESET:
		act_reset(sim, round);
		break;
	case ACT_POWERCAP:
		act_powercap(sim, round);
		break;
	default:
		act_base(sim, round);
		break;
	}
}
