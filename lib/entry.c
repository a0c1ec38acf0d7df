// SPDX-License-Identifier: BSD-3-Clause
/*
 * Guards around every public operation that takes a handle (see entry.h).
 *
 * The protocols' own ops tables stay as they are; the handle publishes
 * the guarded tables below, whose functions enter the call, run the
 * protocol's op and leave.  Each table is generated from one list per ops
 * struct, and a static assertion checks that the list covers every member
 * of the public struct: an op added to a header without its guard does not
 * build.
 */
#include <errno.h>

#include <scmi/scmi.h>

#include "common.h"
#include "entry.h"
#include "log.h"
#include "notify.h"
#include "protocols.h"
#include "request.h"

/* The calling thread's frames, innermost first. */
static _Thread_local struct scmi_frame *tls_frames;

static void frame_push(struct scmi_frame *f, const struct scmi_instance *inst, bool counted)
{
	f->inst = inst;
	f->counted = counted;
	f->outer = tls_frames;
	tls_frames = f;
}

static void frame_pop(struct scmi_frame *f)
{
	tls_frames = f->outer;
}

static void calls_put(struct scmi_instance *inst)
{
	/* seq_cst: either scmi_close() sees the count drop, or this sees
	 * closing and wakes it. */
	if (atomic_fetch_sub(&inst->calls, 1) == 1 && atomic_load(&inst->closing)) {
		pthread_mutex_lock(&inst->close_lock);
		pthread_cond_broadcast(&inst->close_cond);
		pthread_mutex_unlock(&inst->close_lock);
	}
}

int scmi_call_enter(const struct scmi_handle *h, struct scmi_frame *f)
{
	struct scmi_instance *inst;
	int ret;

	if (!h)
		return -EINVAL;
	inst = scmi_inst(h);
	atomic_fetch_add(&inst->calls, 1);
	if (atomic_load(&inst->closing)) {
		calls_put(inst);
		return -ESHUTDOWN;
	}
	/* A request armed by SCMI_ASYNC() becomes this call's. */
	ret = scmi_req_take_armed(inst);
	if (ret) {
		calls_put(inst);
		return ret;
	}
	scmi_set_last_status(SCMI_STATUS_NONE);
	scmi_clear_last_error_msg();
	frame_push(f, inst, true);
	return 0;
}

void scmi_call_leave(struct scmi_frame *f)
{
	frame_pop(f);
	calls_put((struct scmi_instance *)f->inst);
}

void scmi_user_code_enter(const struct scmi_instance *inst, struct scmi_frame *f)
{
	frame_push(f, inst, false);
}

void scmi_user_code_leave(struct scmi_frame *f)
{
	frame_pop(f);
}

bool scmi_thread_inside(const struct scmi_instance *inst)
{
	for (const struct scmi_frame *f = tls_frames; f; f = f->outer)
		if (f->inst == inst)
			return true;
	return false;
}

/* ---- the guarded tables ---------------------------------------------------- */

#define RAW_base     ((const struct scmi_base_ops *)scmi_base_protocol.ops)
#define RAW_clock    ((const struct scmi_clock_ops *)scmi_clock_protocol.ops)
#define RAW_perf     ((const struct scmi_perf_ops *)scmi_perf_protocol.ops)
#define RAW_pinctrl  ((const struct scmi_pinctrl_ops *)scmi_pinctrl_protocol.ops)
#define RAW_power    ((const struct scmi_power_ops *)scmi_power_protocol.ops)
#define RAW_powercap ((const struct scmi_powercap_ops *)scmi_powercap_protocol.ops)
#define RAW_reset    ((const struct scmi_reset_ops *)scmi_reset_protocol.ops)
#define RAW_sensor   ((const struct scmi_sensor_ops *)scmi_sensor_protocol.ops)
#define RAW_system   ((const struct scmi_system_ops *)scmi_system_protocol.ops)
#define RAW_voltage  ((const struct scmi_voltage_ops *)scmi_voltage_protocol.ops)
#define RAW_notify   (&scmi_notify_ops)

#define BASE_OPS(X)                                                                            \
	X(base, discover_agent,                                                                \
	  (const struct scmi_handle *h, uint32_t agent_id, struct scmi_base_agent_info *info), \
	  (h, agent_id, info))                                                                 \
	X(base, set_device_permissions,                                                        \
	  (const struct scmi_handle *h, uint32_t agent_id, uint32_t device_id, bool allow),    \
	  (h, agent_id, device_id, allow))                                                     \
	X(base, set_protocol_permissions,                                                      \
	  (const struct scmi_handle *h, uint32_t agent_id, uint32_t device_id,                 \
	   uint8_t protocol_id, bool allow),                                                   \
	  (h, agent_id, device_id, protocol_id, allow))                                        \
	X(base, reset_agent_configuration,                                                     \
	  (const struct scmi_handle *h, uint32_t agent_id, bool reset_permissions),            \
	  (h, agent_id, reset_permissions))

#define CLOCK_OPS(X)                                                                              \
	X(clock, count_get, (const struct scmi_handle *h), (h))                                   \
	X(clock, info_get,                                                                        \
	  (const struct scmi_handle *h, uint32_t clk_id, const struct scmi_clock_info **info),    \
	  (h, clk_id, info))                                                                      \
	X(clock, rate_get, (const struct scmi_handle *h, uint32_t clk_id, uint64_t *rate),        \
	  (h, clk_id, rate))                                                                      \
	X(clock, rate_set,                                                                        \
	  (const struct scmi_handle *h, uint32_t clk_id, uint64_t rate, uint32_t flags,           \
	   uint64_t *actual),                                                                     \
	  (h, clk_id, rate, flags, actual))                                                       \
	X(clock, enable, (const struct scmi_handle *h, uint32_t clk_id), (h, clk_id))             \
	X(clock, disable, (const struct scmi_handle *h, uint32_t clk_id), (h, clk_id))            \
	X(clock, state_get, (const struct scmi_handle *h, uint32_t clk_id, bool *enabled),        \
	  (h, clk_id, enabled))                                                                   \
	X(clock, config_oem_get,                                                                  \
	  (const struct scmi_handle *h, uint32_t clk_id, uint8_t oem_type, uint32_t *value,       \
	   bool *enabled),                                                                        \
	  (h, clk_id, oem_type, value, enabled))                                                  \
	X(clock, config_oem_set,                                                                  \
	  (const struct scmi_handle *h, uint32_t clk_id, uint8_t oem_type, uint32_t value),       \
	  (h, clk_id, oem_type, value))                                                           \
	X(clock, parent_get, (const struct scmi_handle *h, uint32_t clk_id, uint32_t *parent_id), \
	  (h, clk_id, parent_id))                                                                 \
	X(clock, parent_set, (const struct scmi_handle *h, uint32_t clk_id, uint32_t parent_id),  \
	  (h, clk_id, parent_id))                                                                 \
	X(clock, permissions_get,                                                                 \
	  (const struct scmi_handle *h, uint32_t clk_id, struct scmi_clock_permissions *perms),   \
	  (h, clk_id, perms))

#define PERF_OPS(X)                                                                               \
	X(perf, protocol_info_get, (const struct scmi_handle *h, const struct scmi_perf_info **info),      \
	  (h, info))                                                                              \
	X(perf, count_get, (const struct scmi_handle *h), (h))                              \
	X(perf, info_get,                                                                  \
	  (const struct scmi_handle *h, uint32_t domain,                                          \
	   const struct scmi_perf_domain_info **info),                                            \
	  (h, domain, info))                                                                      \
	X(perf, limits_set,                                                                       \
	  (const struct scmi_handle *h, uint32_t domain, uint32_t max_perf, uint32_t min_perf),   \
	  (h, domain, max_perf, min_perf))                                                        \
	X(perf, limits_get,                                                                       \
	  (const struct scmi_handle *h, uint32_t domain, uint32_t *max_perf, uint32_t *min_perf), \
	  (h, domain, max_perf, min_perf))                                                        \
	X(perf, level_set, (const struct scmi_handle *h, uint32_t domain, uint32_t level),        \
	  (h, domain, level))                                                                     \
	X(perf, level_get, (const struct scmi_handle *h, uint32_t domain, uint32_t *level),       \
	  (h, domain, level))                                                                     \
	X(perf, freq_set, (const struct scmi_handle *h, uint32_t domain, uint64_t freq_hz),       \
	  (h, domain, freq_hz))                                                                   \
	X(perf, freq_get, (const struct scmi_handle *h, uint32_t domain, uint64_t *freq_hz),      \
	  (h, domain, freq_hz))                                                                   \
	X(perf, est_power_get,                                                                    \
	  (const struct scmi_handle *h, uint32_t domain, uint64_t *freq_hz, uint32_t *power),     \
	  (h, domain, freq_hz, power))                                                            \
	X(perf, level_to_freq,                                                                    \
	  (const struct scmi_handle *h, uint32_t domain, uint32_t level, uint64_t *freq_hz),      \
	  (h, domain, level, freq_hz))

#define PINCTRL_OPS(X)                                                                             \
	X(pinctrl, count_get, (const struct scmi_handle *h, enum scmi_pinctrl_selector_type type), \
	  (h, type))                                                                               \
	X(pinctrl, info_get,                                                                       \
	  (const struct scmi_handle *h, enum scmi_pinctrl_selector_type type, uint32_t id,         \
	   const struct scmi_pinctrl_info **info),                                                 \
	  (h, type, id, info))                                                                     \
	X(pinctrl, name_get,                                                                       \
	  (const struct scmi_handle *h, enum scmi_pinctrl_selector_type type, uint32_t id,         \
	   const char **name),                                                                     \
	  (h, type, id, name))                                                                     \
	X(pinctrl, id_lookup,                                                                      \
	  (const struct scmi_handle *h, enum scmi_pinctrl_selector_type type, const char *name,    \
	   uint32_t *id),                                                                          \
	  (h, type, name, id))                                                                     \
	X(pinctrl, group_pins_get,                                                                 \
	  (const struct scmi_handle *h, uint32_t group, const uint32_t **pins,                     \
	   unsigned int *nr_pins),                                                                 \
	  (h, group, pins, nr_pins))                                                               \
	X(pinctrl, function_groups_get,                                                            \
	  (const struct scmi_handle *h, uint32_t function, const uint32_t **groups,                \
	   unsigned int *nr_groups),                                                               \
	  (h, function, groups, nr_groups))                                                        \
	X(pinctrl, settings_get_one,                                                               \
	  (const struct scmi_handle *h, enum scmi_pinctrl_selector_type type, uint32_t id,         \
	   uint8_t config_type, uint32_t *value),                                                  \
	  (h, type, id, config_type, value))                                                       \
	X(pinctrl, settings_get_all,                                                               \
	  (const struct scmi_handle *h, enum scmi_pinctrl_selector_type type, uint32_t id,         \
	   struct scmi_pinctrl_config *configs, unsigned int *nr_configs,                          \
	   uint32_t *function_selected),                                                           \
	  (h, type, id, configs, nr_configs, function_selected))                                   \
	X(pinctrl, settings_conf,                                                                  \
	  (const struct scmi_handle *h, enum scmi_pinctrl_selector_type type, uint32_t id,         \
	   const struct scmi_pinctrl_config *configs, unsigned int nr_configs),                    \
	  (h, type, id, configs, nr_configs))                                                      \
	X(pinctrl, function_select,                                                                \
	  (const struct scmi_handle *h, enum scmi_pinctrl_selector_type type, uint32_t id,         \
	   uint32_t function_id),                                                                  \
	  (h, type, id, function_id))                                                              \
	X(pinctrl, mux_set, (const struct scmi_handle *h, uint32_t function_id, uint32_t group),   \
	  (h, function_id, group))                                                                 \
	X(pinctrl, function_get,                                                                   \
	  (const struct scmi_handle *h, enum scmi_pinctrl_selector_type type, uint32_t id,         \
	   uint32_t *function_id),                                                                 \
	  (h, type, id, function_id))                                                              \
	X(pinctrl, request,                                                                        \
	  (const struct scmi_handle *h, enum scmi_pinctrl_selector_type type, uint32_t id),        \
	  (h, type, id))                                                                           \
	X(pinctrl, release,                                                                        \
	  (const struct scmi_handle *h, enum scmi_pinctrl_selector_type type, uint32_t id),        \
	  (h, type, id))

#define POWER_OPS(X)                                                                              \
	X(power, count_get, (const struct scmi_handle *h), (h))                             \
	X(power, protocol_info_get, (const struct scmi_handle *h, const struct scmi_power_info **info),    \
	  (h, info))                                                                              \
	X(power, info_get,                                                                 \
	  (const struct scmi_handle *h, uint32_t domain,                                          \
	   const struct scmi_power_domain_info **info),                                           \
	  (h, domain, info))                                                                      \
	X(power, name_get, (const struct scmi_handle *h, uint32_t domain, const char **name),     \
	  (h, domain, name))                                                                      \
	X(power, state_set, (const struct scmi_handle *h, uint32_t domain, uint32_t state),       \
	  (h, domain, state))                                                                     \
	X(power, state_set_async, (const struct scmi_handle *h, uint32_t domain, uint32_t state), \
	  (h, domain, state))                                                                     \
	X(power, state_get, (const struct scmi_handle *h, uint32_t domain, uint32_t *state),      \
	  (h, domain, state))

#define POWERCAP_OPS(X)                                                                            \
	X(powercap, count_get, (const struct scmi_handle *h), (h))                           \
	X(powercap, info_get,                                                                      \
	  (const struct scmi_handle *h, uint32_t domain_id,                                        \
	   const struct scmi_powercap_info **info),                                                \
	  (h, domain_id, info))                                                                    \
	X(powercap, cap_get,                                                                       \
	  (const struct scmi_handle *h, uint32_t domain_id, uint32_t *power_cap),                  \
	  (h, domain_id, power_cap))                                                               \
	X(powercap, cap_set,                                                                       \
	  (const struct scmi_handle *h, uint32_t domain_id, uint32_t power_cap,                    \
	   bool ignore_dresp),                                                                     \
	  (h, domain_id, power_cap, ignore_dresp))                                                 \
	X(powercap, cap_enable_set,                                                                \
	  (const struct scmi_handle *h, uint32_t domain_id, bool enable), (h, domain_id, enable))  \
	X(powercap, cap_enable_get,                                                                \
	  (const struct scmi_handle *h, uint32_t domain_id, bool *enable), (h, domain_id, enable)) \
	X(powercap, pai_get, (const struct scmi_handle *h, uint32_t domain_id, uint32_t *pai),     \
	  (h, domain_id, pai))                                                                     \
	X(powercap, pai_set, (const struct scmi_handle *h, uint32_t domain_id, uint32_t pai),      \
	  (h, domain_id, pai))                                                                     \
	X(powercap, measurements_get,                                                              \
	  (const struct scmi_handle *h, uint32_t domain_id, uint32_t *power, uint32_t *pai),       \
	  (h, domain_id, power, pai))                                                              \
	X(powercap, measurements_threshold_set,                                                    \
	  (const struct scmi_handle *h, uint32_t domain_id, uint32_t power_thresh_low,             \
	   uint32_t power_thresh_high),                                                            \
	  (h, domain_id, power_thresh_low, power_thresh_high))                                     \
	X(powercap, measurements_threshold_get,                                                    \
	  (const struct scmi_handle *h, uint32_t domain_id, uint32_t *power_thresh_low,            \
	   uint32_t *power_thresh_high),                                                           \
	  (h, domain_id, power_thresh_low, power_thresh_high))

#define RESET_OPS(X)                                                            \
	X(reset, count_get, (const struct scmi_handle *h), (h))           \
	X(reset, info_get,                                                      \
	  (const struct scmi_handle *h, uint32_t domain,                        \
	   const struct scmi_reset_domain_info **info),                         \
	  (h, domain, info))                                                    \
	X(reset, reset,                                                         \
	  (const struct scmi_handle *h, uint32_t domain, uint32_t reset_state,  \
	   enum scmi_reset_mode mode),                                          \
	  (h, domain, reset_state, mode))                                       \
	X(reset, reset_assert,                                                  \
	  (const struct scmi_handle *h, uint32_t domain, uint32_t reset_state), \
	  (h, domain, reset_state))                                             \
	X(reset, reset_deassert,                                                \
	  (const struct scmi_handle *h, uint32_t domain, uint32_t reset_state), \
	  (h, domain, reset_state))

#define SENSOR_OPS(X)                                                                              \
	X(sensor, count_get, (const struct scmi_handle *h), (h))                                   \
	X(sensor, protocol_info_get,                                                               \
	  (const struct scmi_handle *h, const struct scmi_sensor_protocol_info **info), (h, info)) \
	X(sensor, info_get,                                                                        \
	  (const struct scmi_handle *h, uint32_t sensor_id, const struct scmi_sensor_info **info), \
	  (h, sensor_id, info))                                                                    \
	X(sensor, reading_get, (const struct scmi_handle *h, uint32_t sensor_id, int64_t *value),  \
	  (h, sensor_id, value))                                                                   \
	X(sensor, reading_get_timestamped,                                                         \
	  (const struct scmi_handle *h, uint32_t sensor_id, unsigned int count,                    \
	   struct scmi_sensor_reading *readings),                                                  \
	  (h, sensor_id, count, readings))                                                         \
	X(sensor, reading_read,                                                                    \
	  (const struct scmi_handle *h, uint32_t sensor_id, enum scmi_sensor_read_mode mode,       \
	   unsigned int count, struct scmi_sensor_reading *readings),                              \
	  (h, sensor_id, mode, count, readings))                                                   \
	X(sensor, config_get,                                                                      \
	  (const struct scmi_handle *h, uint32_t sensor_id, struct scmi_sensor_config *cfg),       \
	  (h, sensor_id, cfg))                                                                     \
	X(sensor, config_set,                                                                      \
	  (const struct scmi_handle *h, uint32_t sensor_id, const struct scmi_sensor_config *cfg), \
	  (h, sensor_id, cfg))                                                                     \
	X(sensor, trip_point_config,                                                               \
	  (const struct scmi_handle *h, uint32_t sensor_id, uint32_t trip_id,                      \
	   enum scmi_sensor_trip_mode mode, int64_t value),                                        \
	  (h, sensor_id, trip_id, mode, value))

#define SYSTEM_OPS(X)                                                                            \
	X(system, protocol_info_get, (const struct scmi_handle *h, const struct scmi_system_info **info), \
	  (h, info))                                                                             \
	X(system, state_set, (const struct scmi_handle *h, uint32_t state, bool graceful),       \
	  (h, state, graceful))                                                                  \
	X(system, state_get, (const struct scmi_handle *h, uint32_t *state), (h, state))

#define VOLTAGE_OPS(X)                                                                           \
	X(voltage, count_get, (const struct scmi_handle *h), (h))                          \
	X(voltage, info_get,                                                                     \
	  (const struct scmi_handle *h, uint32_t domain, const struct scmi_voltage_info **info), \
	  (h, domain, info))                                                                     \
	X(voltage, config_set, (const struct scmi_handle *h, uint32_t domain, uint32_t config),  \
	  (h, domain, config))                                                                   \
	X(voltage, config_get, (const struct scmi_handle *h, uint32_t domain, uint32_t *config), \
	  (h, domain, config))                                                                   \
	X(voltage, level_set,                                                                    \
	  (const struct scmi_handle *h, uint32_t domain, enum scmi_voltage_level_mode mode,      \
	   int32_t level_uv),                                                                    \
	  (h, domain, mode, level_uv))                                                           \
	X(voltage, level_get, (const struct scmi_handle *h, uint32_t domain, int32_t *level_uv), \
	  (h, domain, level_uv))

#define NOTIFY_OPS(X)                                                                             \
	X(notify, event_notifier_register,                                                        \
	  (const struct scmi_handle *h, uint8_t proto_id, uint8_t evt_id, const uint32_t *src_id, \
	   struct scmi_notifier_block *nb),                                                       \
	  (h, proto_id, evt_id, src_id, nb))                                                      \
	X(notify, event_notifier_unregister,                                                      \
	  (const struct scmi_handle *h, uint8_t proto_id, uint8_t evt_id, const uint32_t *src_id, \
	   struct scmi_notifier_block *nb),                                                       \
	  (h, proto_id, evt_id, src_id, nb))

#define GUARD_FN(proto, op, params, args)         \
	static int guard_##proto##_##op params    \
	{                                         \
		struct scmi_frame f;              \
		int ret = scmi_call_enter(h, &f); \
                                                  \
		if (ret)                          \
			return ret;               \
		ret = RAW_##proto->op args;       \
		scmi_call_leave(&f);              \
		return ret;                       \
	}
#define GUARD_ENTRY(proto, op, params, args) .op = guard_##proto##_##op,
#define GUARD_COUNT(proto, op, params, args) +1

#define GUARDED_TABLE(proto, LIST)                                                          \
	LIST(GUARD_FN)                                                                      \
	static const struct scmi_##proto##_ops guarded_##proto##_ops = {LIST(GUARD_ENTRY)}; \
	_Static_assert(sizeof(struct scmi_##proto##_ops) ==                                 \
			       (0 LIST(GUARD_COUNT)) * sizeof(int (*)(void)),               \
		       "struct scmi_" #proto "_ops has a member without a guard")

GUARDED_TABLE(base, BASE_OPS);
GUARDED_TABLE(clock, CLOCK_OPS);
GUARDED_TABLE(perf, PERF_OPS);
GUARDED_TABLE(pinctrl, PINCTRL_OPS);
GUARDED_TABLE(power, POWER_OPS);
GUARDED_TABLE(powercap, POWERCAP_OPS);
GUARDED_TABLE(reset, RESET_OPS);
GUARDED_TABLE(sensor, SENSOR_OPS);
GUARDED_TABLE(system, SYSTEM_OPS);
GUARDED_TABLE(voltage, VOLTAGE_OPS);
GUARDED_TABLE(notify, NOTIFY_OPS);

const struct scmi_notify_ops *scmi_guarded_notify_ops(void)
{
	return &guarded_notify_ops;
}

const void *scmi_guarded_ops(uint8_t id)
{
	switch (id) {
	case SCMI_PROTOCOL_BASE:
		return &guarded_base_ops;
	case SCMI_PROTOCOL_CLOCK:
		return &guarded_clock_ops;
	case SCMI_PROTOCOL_PERF:
		return &guarded_perf_ops;
	case SCMI_PROTOCOL_PINCTRL:
		return &guarded_pinctrl_ops;
	case SCMI_PROTOCOL_POWER:
		return &guarded_power_ops;
	case SCMI_PROTOCOL_POWERCAP:
		return &guarded_powercap_ops;
	case SCMI_PROTOCOL_RESET:
		return &guarded_reset_ops;
	case SCMI_PROTOCOL_SENSOR:
		return &guarded_sensor_ops;
	case SCMI_PROTOCOL_SYSTEM:
		return &guarded_system_ops;
	case SCMI_PROTOCOL_VOLTAGE:
		return &guarded_voltage_ops;
	default:
		return NULL;
	}
}
