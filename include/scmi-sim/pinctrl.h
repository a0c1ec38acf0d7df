/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Test-facing API of the simulator's pin control model (protocol 0x19, see
 * scmi-sim/sim.h and sim/pinctrl.c).
 *
 * The model is a small SoC: 64 pins, 87 groups (23 peripheral groups such
 * as uart0_grp / i2c1_grp / spi0_grp, then one "gpioN" group per pin) and
 * 16 functions ("gpio" spans the 64 gpio groups, so its group list needs
 * two replies at the default 128-byte message size).  Some names are
 * longer than 15 characters and need PINCTRL_NAME_GET.
 *
 * Every function takes the simulator's lock; all may be called from any
 * thread.  Ids are the protocol's: pins 0..n-1, groups 0..n-1, functions
 * 0..n-1.  Return values are 0 (or a count) or a negative errno: -EINVAL
 * for a NULL simulator / pointer or a selector type the call does not
 * take, -ENOENT for an id outside the model or when the pinctrl model is
 * not present.
 */
#ifndef SCMI_SIM_PINCTRL_H
#define SCMI_SIM_PINCTRL_H

#include <scmi-sim/sim.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Selector types, as on the wire (spec §6.10). */
enum scmi_sim_pinctrl_type {
	SCMI_SIM_PINCTRL_PIN = 0,      /**< a pin */
	SCMI_SIM_PINCTRL_GROUP = 1,    /**< a group of pins */
	SCMI_SIM_PINCTRL_FUNCTION = 2, /**< a function */
};

/** Longest name in the model, NUL included (the extended-name size). */
#define SCMI_SIM_PINCTRL_NAME_MAX 64
/** function_selected of a pin or group no function is selected for. */
#define SCMI_SIM_PINCTRL_NO_FUNCTION 0xFFFFFFFFu

/**
 * Number of pins, groups or functions (@p type), or a negative errno.
 *
 * @param sim the simulator.
 * @param type PIN, GROUP or FUNCTION.
 * @return the number, or a negative errno.
 */
SCMI_EXPORT int scmi_sim_pinctrl_count(struct scmi_sim *sim, enum scmi_sim_pinctrl_type type);

/**
 * Full name of element (@p type, @p id) into @p name (NUL-terminated).
 *
 * @param sim the simulator.
 * @param type PIN, GROUP or FUNCTION (as the call takes).
 * @param id the element.
 * @param[out] name receives the NUL-terminated name.
 * @return 0 (or the count described above) on success, or a negative errno:
 *	-EINVAL (NULL simulator or pointer, a selector type the call does not take),
 *	-ENOENT (an id outside the model, or no pinctrl model).
 */
SCMI_EXPORT int scmi_sim_pinctrl_name(struct scmi_sim *sim, enum scmi_sim_pinctrl_type type,
				      uint32_t id, char name[SCMI_SIM_PINCTRL_NAME_MAX]);

/**
 * Associations: the pins of group @p id (@p type GROUP) or the groups of
 * function @p id (@p type FUNCTION), in the order LIST_ASSOCIATIONS sends
 * them.  Writes at most @p cap ids; returns how many there are.
 *
 * @param sim the simulator.
 * @param type GROUP or FUNCTION.
 * @param id the group or function.
 * @param[out] ids receives at most @p cap ids.
 * @param cap capacity of @p ids.
 * @return how many members there are, or a negative errno.
 */
SCMI_EXPORT int scmi_sim_pinctrl_members(struct scmi_sim *sim, enum scmi_sim_pinctrl_type type,
					 uint32_t id, uint32_t *ids, size_t cap);

/**
 * Platform-side value of config @p config_type (spec §6.10 numbering) of pin
 * or group @p id.  For a group this is the group's own record: what was last
 * configured through the group (initially its first pin's defaults).
 * -EOPNOTSUPP when the element does not have that config (including
 * "default", which can only be written, and "input-value" on a group).
 *
 * @param sim the simulator.
 * @param type PIN or GROUP.
 * @param id the pin or group.
 * @param config_type the config type.
 * @param[out] value its value.
 * @return 0, -EOPNOTSUPP, -EINVAL or -ENOENT.
 */
SCMI_EXPORT int scmi_sim_pinctrl_config_get(struct scmi_sim *sim, enum scmi_sim_pinctrl_type type,
					    uint32_t id, uint8_t config_type, uint32_t *value);

/**
 * Change a config of pin or group @p id platform-side (e.g. firmware
 * reconfiguring a pad), bypassing ownership.  The command's rules apply:
 * -EOPNOTSUPP for a config the element lacks, -EINVAL for a reserved or
 * read-only type or a value out of range.  "default" (value 0) restores
 * the reset settings; a group writes its record and its pins.
 *
 * @param sim the simulator.
 * @param type PIN or GROUP.
 * @param id the pin or group.
 * @param config_type the config type.
 * @param value the new value.
 * @return 0, -EOPNOTSUPP, -EINVAL or -ENOENT.
 */
SCMI_EXPORT int scmi_sim_pinctrl_config_set(struct scmi_sim *sim, enum scmi_sim_pinctrl_type type,
					    uint32_t id, uint8_t config_type, uint32_t value);

/**
 * Mux pin or group @p id to function @p function_id platform-side, bypassing
 * ownership and locks (overlapping groups left with pins of another
 * function then report no function).  -ENOENT for an unknown function,
 * -EINVAL when the function does not apply to the element.
 *
 * @param sim the simulator.
 * @param type PIN or GROUP.
 * @param id the pin or group.
 * @param function_id the function.
 * @return 0, -ENOENT or -EINVAL.
 */
SCMI_EXPORT int scmi_sim_pinctrl_function_set(struct scmi_sim *sim, enum scmi_sim_pinctrl_type type,
					      uint32_t id, uint32_t function_id);

/**
 * How many configs SETTINGS_GET "all configs" reports for pin or group
 * @p id (the configs it supports, in ascending type order).
 *
 * @param sim the simulator.
 * @param type PIN or GROUP.
 * @param id the pin or group.
 * @return the number of configs, or a negative errno.
 */
SCMI_EXPORT int scmi_sim_pinctrl_config_count(struct scmi_sim *sim, enum scmi_sim_pinctrl_type type,
					      uint32_t id);

/**
 * Set the level the outside world drives on pin @p pin (0 or 1).  The pin's
 * "input-value" config reads it while output mode is off; with output
 * mode on it reads the output value.
 *
 * @param sim the simulator.
 * @param pin the pin.
 * @param level 0 or 1.
 * @return 0 (or the count described above) on success, or a negative errno:
 *	-EINVAL (NULL simulator or pointer, a selector type the call does not take),
 *	-ENOENT (an id outside the model, or no pinctrl model).
 */
SCMI_EXPORT int scmi_sim_pinctrl_input_set(struct scmi_sim *sim, uint32_t pin, uint32_t level);

/**
 * Function selected for pin or group @p id (SCMI_SIM_PINCTRL_NO_FUNCTION
 * when none).
 *
 * @param sim the simulator.
 * @param type PIN or GROUP.
 * @param id the pin or group.
 * @param[out] function_id the function.
 * @return 0 (or the count described above) on success, or a negative errno:
 *	-EINVAL (NULL simulator or pointer, a selector type the call does not take),
 *	-ENOENT (an id outside the model, or no pinctrl model).
 */
SCMI_EXPORT int scmi_sim_pinctrl_function_get(struct scmi_sim *sim, enum scmi_sim_pinctrl_type type,
					      uint32_t id, uint32_t *function_id);

/**
 * Agent that holds pin or group @p id through PINCTRL_REQUEST (0 = free).  A
 * pin also counts as held when a group containing it is held.
 *
 * @param sim the simulator.
 * @param type PIN or GROUP.
 * @param id the pin or group.
 * @param[out] agent the agent holding it (0: free).
 * @return 0 (or the count described above) on success, or a negative errno:
 *	-EINVAL (NULL simulator or pointer, a selector type the call does not take),
 *	-ENOENT (an id outside the model, or no pinctrl model).
 */
SCMI_EXPORT int scmi_sim_pinctrl_owner_get(struct scmi_sim *sim, enum scmi_sim_pinctrl_type type,
					   uint32_t id, uint32_t *agent);

/**
 * Run PINCTRL_REQUEST / PINCTRL_RELEASE of pin or group @p id on behalf of
 * agent @p agent (1..num_agents; typically another agent than the connected
 * one, to make resources busy).  The same rules as the commands apply:
 * -EACCES when another agent holds it (or, for a release, when @p agent does
 * not hold it directly), -EINVAL for agent 0 or past num_agents.
 *
 * @param sim the simulator.
 * @param agent the agent (1..num_agents).
 * @param type PIN or GROUP.
 * @param id the pin or group.
 * @return 0, -EACCES, -EINVAL or -ENOENT.
 */
SCMI_EXPORT int scmi_sim_pinctrl_request_as(struct scmi_sim *sim, uint32_t agent,
					    enum scmi_sim_pinctrl_type type, uint32_t id);
/**
 * PINCTRL_RELEASE on behalf of another agent, as scmi_sim_pinctrl_request_as().
 *
 * @param sim the simulator.
 * @param agent the agent (1..num_agents).
 * @param type PIN or GROUP.
 * @param id the pin or group.
 * @return 0, -EACCES, -EINVAL or -ENOENT.
 */
SCMI_EXPORT int scmi_sim_pinctrl_release_as(struct scmi_sim *sim, uint32_t agent,
					    enum scmi_sim_pinctrl_type type, uint32_t id);

/**
 * Misbehaviours of a buggy platform, to test the agent's checks (a bit
 * mask; 0 = a correct platform, the default).
 */
enum scmi_sim_pinctrl_quirk {
	/** LIST_ASSOCIATIONS: the last id of the list is out of range (the
	 *  number of pins / groups). */
	SCMI_SIM_PINCTRL_QUIRK_ASSOC_BAD_ID = 1u << 0,
	/** LIST_ASSOCIATIONS: returned + remaining of every reply is one less
	 *  than the element count PINCTRL_ATTRIBUTES gave. */
	SCMI_SIM_PINCTRL_QUIRK_ASSOC_SHORT = 1u << 1,
	/** LIST_ASSOCIATIONS: a reply with an odd number of ids lacks the
	 *  2-byte padding to a word boundary. */
	SCMI_SIM_PINCTRL_QUIRK_ASSOC_NO_PADDING = 1u << 2,
	/** LIST_ASSOCIATIONS: the first id of the list is repeated. */
	SCMI_SIM_PINCTRL_QUIRK_ASSOC_DUPLICATE = 1u << 3,
	/** PINCTRL_ATTRIBUTES: every group claims one pin more than there
	 *  are pins. */
	SCMI_SIM_PINCTRL_QUIRK_ATTR_TOO_MANY = 1u << 4,
	/** SETTINGS_GET: function_selected is the number of functions (out
	 *  of range). */
	SCMI_SIM_PINCTRL_QUIRK_BAD_FUNCTION = 1u << 5,
	/** SETTINGS_GET one config: the reply names the next config type. */
	SCMI_SIM_PINCTRL_QUIRK_WRONG_CONFIG_TYPE = 1u << 6,
	/** SETTINGS_GET all configs: remaining is one more than what is
	 *  left (the counts change between replies). */
	SCMI_SIM_PINCTRL_QUIRK_CONFIGS_REMAINING = 1u << 7,
};

/**
 * Set the quirk mask (replaces the previous one).
 *
 * @param sim the simulator.
 * @param quirks a mask of enum scmi_sim_pinctrl_quirk.
 * @return 0 (or the count described above) on success, or a negative errno:
 *	-EINVAL (NULL simulator or pointer, a selector type the call does not take),
 *	-ENOENT (an id outside the model, or no pinctrl model).
 */
SCMI_EXPORT int scmi_sim_pinctrl_quirks_set(struct scmi_sim *sim, unsigned int quirks);

/**
 * Number of PINCTRL_SETTINGS_CONFIGURE commands the model accepted
 * (answered SUCCESS) since creation.
 *
 * @param sim the simulator.
 * @param[out] count the number.
 * @return 0 (or the count described above) on success, or a negative errno:
 *	-EINVAL (NULL simulator or pointer, a selector type the call does not take),
 *	-ENOENT (an id outside the model, or no pinctrl model).
 */
SCMI_EXPORT int scmi_sim_pinctrl_configure_count(struct scmi_sim *sim, uint64_t *count);

#ifdef __cplusplus
}
#endif
#endif /* SCMI_SIM_PINCTRL_H */
