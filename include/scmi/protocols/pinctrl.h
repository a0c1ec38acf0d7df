/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Pin control protocol (0x19, version 1.0): pins, groups of pins and the
 * functions (peripherals) groups can be muxed to; per pin / group settings
 * (bias, drive, input, output ...), function selection, and exclusive use
 * of pins and groups through request / release.  Pin control has no
 * notifications.
 *
 * Reachable as handle->pinctrl_ops (NULL when the platform does not list
 * the protocol).  The protocol is discovered on first use: the counts, the
 * name of every pin, group and function (extended names through
 * PINCTRL_NAME_GET), and the pins of every group and the groups of every
 * function (PINCTRL_LIST_ASSOCIATIONS, every multi-part list walked to
 * the end and checked).  This is cached until scmi_close() and never
 * re-read: pointers handed out by the query ops stay valid and unchanged
 * until then.
 *
 * Every op validates its arguments against what discovery found and
 * returns -EINVAL without sending anything when an id, a selector type or
 * a config type is invalid, -EPROTO for an element disabled at discovery
 * (see scmi_pinctrl_info.usable).  Errors from the platform map to errnos
 * (NOT_FOUND -ENOENT, INVALID_PARAMETERS -EINVAL, DENIED -EACCES, BUSY
 * -EBUSY, NOT_SUPPORTED -EOPNOTSUPP ...); scmi_last_status() keeps the raw
 * status.  Malformed replies are -EPROTO.  All ops may be called from any
 * thread, including notification callbacks of other protocols; none
 * allocates memory.
 *
 * PINCTRL_SET_PERMISSIONS (0xA) is not exposed: the spec digest knows its
 * id only, not its layout (unverified), and a guessed layout could change
 * another agent's access.  scmi_raw_command() reaches it if needed.
 */
#ifndef SCMI_PROTOCOLS_PINCTRL_H
#define SCMI_PROTOCOLS_PINCTRL_H

#include <stdbool.h>
#include <stdint.h>

#include <scmi/handle.h>

#ifdef __cplusplus
extern "C" {
#endif

/** What an identifier names (the protocol's "selector type"). */
enum scmi_pinctrl_selector_type {
	SCMI_PINCTRL_PIN = 0,
	SCMI_PINCTRL_GROUP = 1,
	SCMI_PINCTRL_FUNCTION = 2,
};

/**
 * Config types (spec §6.10).  21..191 are reserved (refused locally with
 * -EINVAL), 192..255 are OEM-defined.  Units of values are the platform's
 * (typically: drive strength mA, debounce µs, power source mV, pulls 0/1
 * or ohms, booleans 0/1).
 */
enum scmi_pinctrl_conf_type {
	SCMI_PINCTRL_CONF_DEFAULT = 0,
	SCMI_PINCTRL_CONF_BIAS_BUS_HOLD = 1,
	SCMI_PINCTRL_CONF_BIAS_DISABLE = 2,
	SCMI_PINCTRL_CONF_BIAS_HIGH_IMPEDANCE = 3,
	SCMI_PINCTRL_CONF_BIAS_PULL_UP = 4,
	SCMI_PINCTRL_CONF_BIAS_PULL_DEFAULT = 5,
	SCMI_PINCTRL_CONF_BIAS_PULL_DOWN = 6,
	SCMI_PINCTRL_CONF_DRIVE_OPEN_DRAIN = 7,
	SCMI_PINCTRL_CONF_DRIVE_OPEN_SOURCE = 8,
	SCMI_PINCTRL_CONF_DRIVE_PUSH_PULL = 9,
	SCMI_PINCTRL_CONF_DRIVE_STRENGTH = 10,
	SCMI_PINCTRL_CONF_INPUT_DEBOUNCE = 11,
	SCMI_PINCTRL_CONF_INPUT_MODE = 12,
	SCMI_PINCTRL_CONF_PULL_MODE = 13,
	SCMI_PINCTRL_CONF_INPUT_VALUE = 14,
	SCMI_PINCTRL_CONF_INPUT_SCHMITT = 15,
	SCMI_PINCTRL_CONF_LOW_POWER_MODE = 16,
	SCMI_PINCTRL_CONF_OUTPUT_MODE = 17,
	SCMI_PINCTRL_CONF_OUTPUT_VALUE = 18,
	SCMI_PINCTRL_CONF_POWER_SOURCE = 19,
	SCMI_PINCTRL_CONF_SLEW_RATE = 20,
	SCMI_PINCTRL_CONF_OEM_FIRST = 192,
	SCMI_PINCTRL_CONF_OEM_LAST = 255,
};

/** function_selected when no function is selected for a pin or group. */
#define SCMI_PINCTRL_NO_FUNCTION 0xffffffffu

/** Most configs one pin or group can report (one per config type);
 *  an array this long always suffices for settings_get_all(). */
#define SCMI_PINCTRL_MAX_CONFIGS 256

/** One setting: a config type and its value. */
struct scmi_pinctrl_config {
	uint8_t type;	/**< enum scmi_pinctrl_conf_type or OEM 192..255 */
	uint32_t value; /**< type-specific */
};

/** What discovery found about one pin, group or function. */
struct scmi_pinctrl_info {
	/**
	 * false: the platform described this element badly (its attributes
	 * refused or malformed, more pins / groups than exist, a malformed or
	 * empty association list; the log says which) and libscmi disabled
	 * it: num_elems is 0, info_get() / name_get() / id_lookup() still
	 * work, every other op on it (and function_select() of a disabled
	 * function) returns -EPROTO without sending.  The other elements are
	 * not affected.
	 */
	bool usable;
	/** Full name, NUL-terminated (the extended name when the platform
	 *  flags one and PINCTRL_NAME_GET worked, else the short name, at
	 *  most 15 characters). */
	char name[SCMI_MAX_STR_SIZE];
	/** The platform flagged an extended name (PINCTRL_ATTRIBUTES b31). */
	bool extended_name;
	/** Pins of a group / groups of a function; 0 for a pin.  The ids
	 *  PINCTRL_LIST_ASSOCIATIONS listed: fewer than the attributes
	 *  counted when the list ended earlier (with a warning). */
	unsigned int num_elems;
	/** Their ids (pin ids for a group, group ids for a function), in
	 *  the platform's order, each checked against the counts; NULL
	 *  when num_elems is 0. */
	const uint32_t *elems;
};

/**
 * Pin control protocol operations, reachable as handle->pinctrl_ops (NULL when the
 * platform lacks the protocol).  Every op may be called from any thread,
 * including notification callbacks, and returns 0 or a negative errno
 * (platform statuses map as in scmi/errors.h, the raw one is in
 * scmi_last_status()); returned pointers point into the handle's cache
 * and stay valid until scmi_close().
 *
 * Every op has a non-blocking form: the op called under SCMI_ASYNC()
 * (scmi/request.h).  Its outputs, and the arrays it reads (the configs of
 * settings_conf()), must stay valid and unchanged until the callback
 * runs.  count_get(), info_get(), name_get(), id_lookup(),
 * group_pins_get() and function_groups_get() answer from the discovery
 * cache and complete without the platform (the callback still runs,
 * once; a failed lookup, e.g. id_lookup()'s -ENOENT, is not submitted).
 * The others complete when the platform's last answer is in: after the
 * last page of settings_get_all()'s walk, after the last message of a
 * split settings_conf().
 */
struct scmi_pinctrl_ops {
	/**
	 * Number of pins, groups or functions (@p type), or a negative errno
	 * (-EINVAL for an unknown @p type, errors of the protocol's bring-up).
	 *
	 * @param h the handle.
	 * @param type SCMI_PINCTRL_PIN, SCMI_PINCTRL_GROUP or SCMI_PINCTRL_FUNCTION
	 *	(as the op takes).
	 * @return the number, or a negative errno.
	 */
	int (*count_get)(const struct scmi_handle *h, enum scmi_pinctrl_selector_type type);
	/**
	 * Everything discovered about element (@p type, @p id): *@p info points
	 * into the cache (valid until scmi_close()), also for a disabled
	 * element (check ->usable).  -EINVAL for an unknown type, an id past
	 * the count, or a NULL @p info.
	 *
	 * @param h the handle.
	 * @param type SCMI_PINCTRL_PIN, SCMI_PINCTRL_GROUP or SCMI_PINCTRL_FUNCTION
	 *	(as the op takes).
	 * @param id the element id.
	 * @param[out] info receives a pointer into the handle's cache, valid
	 *	until scmi_close(); not to be freed.
	 * @return 0 or a negative errno (above).
	 */
	int (*info_get)(const struct scmi_handle *h, enum scmi_pinctrl_selector_type type,
			uint32_t id, const struct scmi_pinctrl_info **info);
	/**
	 * Name of element (@p type, @p id): *@p name points into the cache.
	 *
	 * @param h the handle.
	 * @param type SCMI_PINCTRL_PIN, SCMI_PINCTRL_GROUP or SCMI_PINCTRL_FUNCTION
	 *	(as the op takes).
	 * @param id the element id.
	 * @param[out] name receives a pointer to the NUL-terminated name in the
	 *	handle's cache (valid until scmi_close()).
	 * @return 0 or a negative errno (above).
	 */
	int (*name_get)(const struct scmi_handle *h, enum scmi_pinctrl_selector_type type,
			uint32_t id, const char **name);
	/**
	 * Find the element of @p type called @p name (exact match): its id in
	 * *@p id.  -ENOENT when there is none; -EINVAL for NULL pointers or an
	 * empty name (elements the platform did not describe have one).
	 *
	 * @param h the handle.
	 * @param type SCMI_PINCTRL_PIN, SCMI_PINCTRL_GROUP or SCMI_PINCTRL_FUNCTION
	 *	(as the op takes).
	 * @param name the name (exact match).
	 * @param[out] id its id.
	 * @return 0 or a negative errno (above).
	 */
	int (*id_lookup)(const struct scmi_handle *h, enum scmi_pinctrl_selector_type type,
			 const char *name, uint32_t *id);
	/**
	 * Pins of group @p group: *@p pins (cached) and *@p nr_pins.
	 *
	 * @param h the handle.
	 * @param group the group id.
	 * @param[out] pins the pin ids, in the handle's cache (valid until
	 *	scmi_close()).
	 * @param[out] nr_pins their number.
	 * @return 0 or a negative errno (above).
	 */
	int (*group_pins_get)(const struct scmi_handle *h, uint32_t group, const uint32_t **pins,
			      unsigned int *nr_pins);
	/**
	 * Groups of function @p function: *@p groups (cached) and *@p nr_groups.
	 *
	 * @param h the handle.
	 * @param function the function id.
	 * @param[out] groups the group ids, in the handle's cache (valid until
	 *	scmi_close()).
	 * @param[out] nr_groups their number.
	 * @return 0 or a negative errno (above).
	 */
	int (*function_groups_get)(const struct scmi_handle *h, uint32_t function,
				   const uint32_t **groups, unsigned int *nr_groups);

	/**
	 * Read one config of pin or group @p id (SETTINGS_GET, one config).
	 * -EINVAL locally for a function, a bad id or a reserved config type;
	 * the platform answers -EOPNOTSUPP for a config the element does not
	 * have.
	 *
	 * @param h the handle.
	 * @param type pin or group (enum scmi_pinctrl_selector_type).
	 * @param id the element id.
	 * @param config_type the config type (enum scmi_pinctrl_conf_type).
	 * @param[out] value its value.
	 * @return 0 or a negative errno (above).
	 */
	int (*settings_get_one)(const struct scmi_handle *h, enum scmi_pinctrl_selector_type type,
				uint32_t id, uint8_t config_type, uint32_t *value);
	/**
	 * Read every config of pin or group @p id (SETTINGS_GET, all configs,
	 * walked to the end).  @p configs has room for *@p nr_configs entries;
	 * on return *@p nr_configs is the number the platform reported.  If
	 * that is more than the room, the first entries are stored and
	 * -ENOSPC is returned (SCMI_PINCTRL_MAX_CONFIGS entries always
	 * suffice).  @p function_selected (may be NULL) receives the function
	 * selected for the element, or SCMI_PINCTRL_NO_FUNCTION.
	 *
	 * Non-blocking, the walk is one request that sends its pages one
	 * after the other; the callback runs once, after the last page, and
	 * @p configs, @p nr_configs and @p function_selected are written
	 * until then.
	 *
	 * @param h the handle.
	 * @param type pin or group (enum scmi_pinctrl_selector_type).
	 * @param id the element id.
	 * @param[out] configs the caller's array.
	 * @param[in,out] nr_configs room in @p configs; on return, the number
	 *	the platform reported.
	 * @param[out] function_selected optional (may be NULL): the function
	 *	selected, or SCMI_PINCTRL_NO_FUNCTION.
	 * @return 0, -ENOSPC when @p configs was too small (the first entries
	 *	stored), or another negative errno (above).
	 */
	int (*settings_get_all)(const struct scmi_handle *h, enum scmi_pinctrl_selector_type type,
				uint32_t id, struct scmi_pinctrl_config *configs,
				unsigned int *nr_configs, uint32_t *function_selected);
	/**
	 * Apply @p nr_configs settings to pin or group @p id, in order
	 * (SETTINGS_CONFIGURE, function unchanged).  A list longer than one
	 * message holds is sent as several messages, each cut to the
	 * transport's message size; if one fails, the ones before it stay
	 * applied (the platform applies each message as a whole) and its
	 * error is returned.  -EINVAL locally for a function, a bad id,
	 * @p nr_configs 0 or a reserved config type.
	 *
	 * Non-blocking, each message is built from @p configs when it is
	 * sent: the array must stay valid and unchanged until the callback
	 * runs (once, after the last message or the first failure).
	 *
	 * @param h the handle.
	 * @param type pin or group (enum scmi_pinctrl_selector_type).
	 * @param id the element id.
	 * @param configs the settings, applied in order; not kept once the
	 *	call (or, non-blocking, its callback) is over.
	 * @param nr_configs their number (at least 1).
	 * @return 0 or a negative errno (above).
	 */
	int (*settings_conf)(const struct scmi_handle *h, enum scmi_pinctrl_selector_type type,
			     uint32_t id, const struct scmi_pinctrl_config *configs,
			     unsigned int nr_configs);
	/**
	 * Select function @p function_id for pin or group @p id (SETTINGS_
	 * CONFIGURE with the function-valid flag and no configs).  For a
	 * group, the function must list it (-EINVAL locally otherwise); for
	 * a pin the platform decides.  Platforms answer -EBUSY when a pin
	 * is in use by another function and -EACCES when another agent
	 * holds the pin or group.
	 *
	 * @param h the handle.
	 * @param type pin or group (enum scmi_pinctrl_selector_type).
	 * @param id the element id.
	 * @param function_id the function.
	 * @return 0 or a negative errno (above).
	 */
	int (*function_select)(const struct scmi_handle *h, enum scmi_pinctrl_selector_type type,
			       uint32_t id, uint32_t function_id);
	/**
	 * Mux group @p group to function @p function_id (the Linux name for
	 * function_select() on a group).
	 *
	 * @param h the handle.
	 * @param function_id the function.
	 * @param group the group id.
	 * @return 0 or a negative errno (above).
	 */
	int (*mux_set)(const struct scmi_handle *h, uint32_t function_id, uint32_t group);
	/**
	 * Function currently selected for pin or group @p id, or
	 * SCMI_PINCTRL_NO_FUNCTION.  Uses SETTINGS_GET "all configs" from
	 * index 0 and reads only its function field: the dedicated
	 * "function only" flag value is unverified in the spec digest.
	 *
	 * @param h the handle.
	 * @param type pin or group (enum scmi_pinctrl_selector_type).
	 * @param id the element id.
	 * @param[out] function_id the function, or SCMI_PINCTRL_NO_FUNCTION.
	 * @return 0 or a negative errno (above).
	 */
	int (*function_get)(const struct scmi_handle *h, enum scmi_pinctrl_selector_type type,
			    uint32_t id, uint32_t *function_id);
	/**
	 * Ask for exclusive use of pin or group @p id (PINCTRL_REQUEST); a
	 * group brings its pins.  Platforms answer -EACCES when another
	 * agent holds it.
	 *
	 * @param h the handle.
	 * @param type pin or group (enum scmi_pinctrl_selector_type).
	 * @param id the element id.
	 * @return 0 or a negative errno (above).
	 */
	int (*request)(const struct scmi_handle *h, enum scmi_pinctrl_selector_type type,
		       uint32_t id);
	/**
	 * Give pin or group @p id back (PINCTRL_RELEASE).
	 *
	 * @param h the handle.
	 * @param type pin or group (enum scmi_pinctrl_selector_type).
	 * @param id the element id.
	 * @return 0 or a negative errno (above).
	 */
	int (*release)(const struct scmi_handle *h, enum scmi_pinctrl_selector_type type,
		       uint32_t id);
};

/**
 * Name of a pin configuration type.  Thread-safe.
 *
 * @param type a config type (0..255).
 * @return "bias-pull-up", "drive-strength" ..., "oem" for 192..255, NULL for
 *	reserved values; a static string.
 */
SCMI_EXPORT const char *scmi_pinctrl_config_name(unsigned int type);

/**
 * Parse a pin configuration type.  Thread-safe.
 *
 * @param name a name as scmi_pinctrl_config_name() gives it, "oem-N" (N
 *	192..255), or a number 0..20 / 192..255 (decimal or 0x hex).
 * @param[out] type the type, on success.
 * @return 0, or -EINVAL (reserved or unknown).
 */
SCMI_EXPORT int scmi_pinctrl_config_parse(const char *name, uint8_t *type);

/**
 * Name of a selector type.  Thread-safe.
 *
 * @param type the selector type.
 * @return "pin", "group", "function", or "unknown": a static string.
 */
SCMI_EXPORT const char *scmi_pinctrl_type_name(enum scmi_pinctrl_selector_type type);

#ifdef __cplusplus
}
#endif
#endif /* SCMI_PROTOCOLS_PINCTRL_H */
