/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Test-facing API of the simulator's clock model (protocol 0x14; see
 * scmi-sim/sim.h).
 *
 * The default platform has nine clocks:
 *
 * @verbatim
 *   id name                        rates                      notes
 *   0  cpu_cluster0                24 discrete, 200M..2.5G    both events; async
 *   1  gpu                         range 100M..1G step 1M     rate-changed event only
 *   2  display_pixel_clock_main    5 discrete                 extended name; no events;
 *                                                             off at boot
 *   3  uart_baud                   4 discrete                 restricted: rate control
 *                                                             denied to the agent
 *   4  osc_24m                     1 discrete (24 MHz)        restricted: nothing allowed
 *   5  pll_sys                     range 800M..4.8G step 200k both events (rates > 32 bits)
 *   6  pll_audio                   5 discrete                 rate-change-requested only
 *   7  periph_mux                  range 1M..4.8G step 1      parents {4,5,6}; OEM config;
 *                                                             follows its parent's rate
 *   8  sdmmc_card_clock_for_slot0  5 discrete                 extended name; parents {5,6};
 *                                                             OEM config
   @endverbatim
 *
 * Version 1.0 has no names longer than 15 characters, no events and no
 * enable latency; 2.0 adds them; 3.0 adds parents, OEM configuration,
 * CONFIG_GET and permissions.  The platform accepts at most 2 pending
 * asynchronous RATE_SETs (scmi_sim_clock_max_async_set()); their delayed
 * response follows after 200 µs (scmi_sim_clock_async_delay_set()).
 *
 * Every function takes the simulator's lock; all are thread-safe.  They
 * return 0 (or a count) on success, -EINVAL for a NULL simulator/pointer
 * or a bad value, -ENOENT for a clock id the model does not have.
 */
#ifndef SCMI_SIM_CLOCK_H
#define SCMI_SIM_CLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <scmi-sim/sim.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Longest clock name, terminating NUL included. */
#define SCMI_SIM_CLOCK_NAME_MAX 64
/** Most possible parents a clock of the model can have. */
#define SCMI_SIM_CLOCK_MAX_PARENTS 16
/** Most discrete rates scmi_sim_clock_rates_set() accepts. */
#define SCMI_SIM_CLOCK_MAX_RATES 65535

/** OEM configuration types the model implements (spec §6.5 CONFIG_SET). */
#define SCMI_SIM_CLOCK_OEM_DUTY_CYCLE 1 /**< duty cycle: percent, 1..99 */
#define SCMI_SIM_CLOCK_OEM_PHASE      2 /**< phase: degrees, 0..359 */

/** One clock as the model holds it. */
struct scmi_sim_clock_info {
	char name[SCMI_SIM_CLOCK_NAME_MAX];	      /**< full name, NUL-terminated */
	bool range;				      /**< rates are a {min, max, step} range */
	uint32_t num_rates;			      /**< discrete rates (0 for a range) */
	uint64_t min_rate;			      /**< range minimum (for lists: lowest) */
	uint64_t max_rate;			      /**< range maximum (for lists: highest) */
	uint64_t step;				      /**< range step (for lists: 0) */
	uint64_t rate;				      /**< current rate, Hz */
	bool enabled;				      /**< the clock runs (ungated) */
	uint32_t enable_latency_us;		      /**< 0: not reported */
	bool notify_rate_changed;		      /**< supports CLOCK_RATE_CHANGED */
	bool notify_rate_change_requested;	      /**< supports CLOCK_RATE_CHANGE_REQUESTED */
	bool oem_config;			      /**< duty cycle and phase (extended config) */
	uint32_t duty_cycle;			      /**< percent (oem_config) */
	uint32_t phase;				      /**< degrees (oem_config) */
	uint32_t num_parents;			      /**< 0: no parent support */
	uint32_t parents[SCMI_SIM_CLOCK_MAX_PARENTS]; /**< possible parents (num_parents) */
	uint32_t parent;			      /**< current parent (num_parents > 0) */
	bool restricted;			      /**< some control is denied to the agent */
	bool state_control;			      /**< agent may enable/disable */
	bool rate_control;			      /**< agent may set the rate */
	bool parent_control;			      /**< agent may set the parent */
};

/** Counters of the clock model since creation. */
struct scmi_sim_clock_stats {
	uint64_t rate_sets;	  /**< RATE_SETs accepted (any form) */
	uint64_t async_rate_sets; /**< ... of which asynchronous */
	uint64_t async_busy;	  /**< async RATE_SETs refused with BUSY */
	unsigned int async_peak;  /**< most async RATE_SETs pending at once */
	uint64_t config_sets;	  /**< CONFIG_SETs accepted */
};

/**
 * Number of clocks.
 *
 * @param sim the simulator.
 * @return the number of clocks, or -EINVAL / -ENOENT.
 */
SCMI_EXPORT int scmi_sim_clock_count(struct scmi_sim *sim);
/**
 * Copy clock @p id's model into @p info.
 *
 * @param sim the simulator.
 * @param id the clock id.
 * @param[out] info receives a copy.
 * @return 0 (or the count described above) on success, or a negative errno:
 *	-EINVAL (NULL simulator or pointer, bad value), -ENOENT (no such id, or the
 *	model was removed).
 */
SCMI_EXPORT int scmi_sim_clock_info_get(struct scmi_sim *sim, uint32_t id,
					struct scmi_sim_clock_info *info);
/**
 * Copy up to @p cap discrete rates of clock @p id (in the order the platform
 * reports them) into @p rates; returns how many the clock has (may exceed
 * @p cap), 0 for a range clock.
 *
 * @param sim the simulator.
 * @param id the clock id.
 * @param[out] rates receives up to @p cap rates.
 * @param cap capacity of @p rates.
 * @return how many discrete rates the clock has (0 for a range clock), or a
 *	negative errno.
 */
SCMI_EXPORT int scmi_sim_clock_rates_get(struct scmi_sim *sim, uint32_t id, uint64_t *rates,
					 size_t cap);
/**
 * Replace clock @p id's rates by the discrete list @p rates (1 to
 * SCMI_SIM_CLOCK_MAX_RATES entries, any order, reported in that order);
 * the current rate becomes rates[0].  For tests that need long or
 * unsorted lists; do it before the agent discovers the clocks.
 *
 * @param sim the simulator.
 * @param id the clock id.
 * @param rates the new rates; copied.
 * @param n their number.
 * @return 0 (or the count described above) on success, or a negative errno:
 *	-EINVAL (NULL simulator or pointer, bad value), -ENOENT (no such id, or the
 *	model was removed).
 */
SCMI_EXPORT int scmi_sim_clock_rates_set(struct scmi_sim *sim, uint32_t id, const uint64_t *rates,
					 size_t n);
/**
 * The platform changes clock @p id's rate on its own (e.g. thermal
 * throttling): @p rate must be one the clock supports (-ERANGE otherwise).
 * Sends CLOCK_RATE_CHANGED with agent_id 0 when the agent enabled it.
 * Returns 1 if the notification was sent, 0 if not (not enabled or the
 * rate did not change), <0 on error.
 *
 * @param sim the simulator.
 * @param id the clock id.
 * @param rate the new rate, Hz.
 * @return 1 if the notification was sent, 0 if not, or a negative errno
 *	(-EINVAL, -ENOENT).
 */
SCMI_EXPORT int scmi_sim_clock_rate_change(struct scmi_sim *sim, uint32_t id, uint64_t rate);
/**
 * Another agent (@p agent_id) asks for @p rate on clock @p id: sends
 * CLOCK_RATE_CHANGE_REQUESTED to the connected agent when it enabled it.
 * The rate itself does not change.  Returns 1 if sent, 0 if not enabled.
 *
 * @param sim the simulator.
 * @param id the clock id.
 * @param agent_id the requesting agent.
 * @param rate the rate asked for, Hz.
 * @return 1 if the notification was sent, 0 if not, or a negative errno
 *	(-EINVAL, -ENOENT).
 */
SCMI_EXPORT int scmi_sim_clock_rate_change_request(struct scmi_sim *sim, uint32_t id,
						   uint32_t agent_id, uint64_t rate);
/**
 * Enable or disable clock @p id from the platform side (no notification:
 * the protocol has none for the gate state).
 *
 * @param sim the simulator.
 * @param id the clock id.
 * @param enabled the new gate state.
 * @return 0 (or the count described above) on success, or a negative errno:
 *	-EINVAL (NULL simulator or pointer, bad value), -ENOENT (no such id, or the
 *	model was removed).
 */
SCMI_EXPORT int scmi_sim_clock_enabled_set(struct scmi_sim *sim, uint32_t id, bool enabled);
/**
 * What the connected agent may do with clock @p id; the clock is reported
 * "restricted" (3.0) when any of them is false.  Affects CLOCK_ATTRIBUTES
 * only for discoveries made afterwards.
 *
 * @param sim the simulator.
 * @param id the clock id.
 * @param state_control the agent may enable/disable.
 * @param rate_control the agent may set the rate.
 * @param parent_control the agent may set the parent.
 * @return 0 (or the count described above) on success, or a negative errno:
 *	-EINVAL (NULL simulator or pointer, bad value), -ENOENT (no such id, or the
 *	model was removed).
 */
SCMI_EXPORT int scmi_sim_clock_permissions_set(struct scmi_sim *sim, uint32_t id,
					       bool state_control, bool rate_control,
					       bool parent_control);
/**
 * Answer DENIED to every clock message whose id has its bit set in
 * @p msg_mask (1u << 0x4: DESCRIBE_RATES ...) when it names clock @p id, the
 * way per-resource message permissions of a platform do.  0 clears.
 *
 * @param sim the simulator.
 * @param id the clock id.
 * @param msg_mask bit n denies message id n (0: none).
 * @return 0 (or the count described above) on success, or a negative errno:
 *	-EINVAL (NULL simulator or pointer, bad value), -ENOENT (no such id, or the
 *	model was removed).
 */
SCMI_EXPORT int scmi_sim_clock_deny_msgs_set(struct scmi_sim *sim, uint32_t id, uint32_t msg_mask);
/**
 * Maximum pending async RATE_SETs the platform advertises (0..255;
 * default 2).  Set it before the agent discovers the protocol.
 *
 * @param sim the simulator.
 * @param max the number advertised (0..255).
 * @return 0 (or the count described above) on success, or a negative errno:
 *	-EINVAL (NULL simulator or pointer, bad value), -ENOENT (no such id, or the
 *	model was removed).
 */
SCMI_EXPORT int scmi_sim_clock_max_async_set(struct scmi_sim *sim, unsigned int max);
/**
 * The maximum pending async RATE_SETs advertised.  0, -EINVAL, -ENOENT.
 *
 * @param sim the simulator.
 * @param[out] max the number advertised.
 * @return 0 (or the count described above) on success, or a negative errno:
 *	-EINVAL (NULL simulator or pointer, bad value), -ENOENT (no such id, or the
 *	model was removed).
 */
SCMI_EXPORT int scmi_sim_clock_max_async_get(struct scmi_sim *sim, unsigned int *max);
/**
 * Delay of the delayed response of async RATE_SETs, µs (default 200).  An
 * async RATE_SET holds a pending slot until then (see "Time" in
 * <scmi-sim/sim.h>).
 *
 * @param sim the simulator.
 * @param delay_us the delay, µs.
 * @return 0 (or the count described above) on success, or a negative errno:
 *	-EINVAL (NULL simulator or pointer, bad value), -ENOENT (no such id, or the
 *	model was removed).
 */
SCMI_EXPORT int scmi_sim_clock_async_delay_set(struct scmi_sim *sim, uint64_t delay_us);
/**
 * The delay set above.  0, -EINVAL, -ENOENT.
 *
 * @param sim the simulator.
 * @param[out] delay_us the delay, µs.
 * @return 0 (or the count described above) on success, or a negative errno:
 *	-EINVAL (NULL simulator or pointer, bad value), -ENOENT (no such id, or the
 *	model was removed).
 */
SCMI_EXPORT int scmi_sim_clock_async_delay_get(struct scmi_sim *sim, uint64_t *delay_us);
/** Ways the next async RATE_SET's delayed response misbehaves (one shot;
 *  the generic fault layer does not alter delayed-response payloads). */
enum scmi_sim_clock_dresp_fault {
	SCMI_SIM_CLOCK_DRESP_OK = 0,
	SCMI_SIM_CLOCK_DRESP_WRONG_ID, /**< names the next clock id */
	SCMI_SIM_CLOCK_DRESP_SHORT,    /**< rate hi word missing (8 bytes) */
};
/**
 * Arm @p fault for the next delayed RATE_SET response.
 *
 * @param sim the simulator.
 * @param fault the misbehaviour.
 * @return 0 (or the count described above) on success, or a negative errno:
 *	-EINVAL (NULL simulator or pointer, bad value), -ENOENT (no such id, or the
 *	model was removed).
 */
SCMI_EXPORT int scmi_sim_clock_dresp_fault_set(struct scmi_sim *sim,
					       enum scmi_sim_clock_dresp_fault fault);
/**
 * Counters of the model.
 *
 * @param sim the simulator.
 * @param[out] st receives the counters.
 * @return 0 (or the count described above) on success, or a negative errno:
 *	-EINVAL (NULL simulator or pointer, bad value), -ENOENT (no such id, or the
 *	model was removed).
 */
SCMI_EXPORT int scmi_sim_clock_stats_get(struct scmi_sim *sim, struct scmi_sim_clock_stats *st);

#ifdef __cplusplus
}
#endif
#endif /* SCMI_SIM_CLOCK_H */
