// SPDX-License-Identifier: BSD-3-Clause
/* System power management protocol (0x12), spec §6.3. */
#include <errno.h>
#include <stdlib.h>

#include <scmi/protocols/system.h>

#include "../notify.h"
#include "../protocols.h"

#define SYSTEM_POWER_STATE_SET	  0x3
#define SYSTEM_POWER_STATE_GET	  0x4
#define SYSTEM_POWER_STATE_NOTIFY 0x5

#define SYSTEM_FLAG_GRACEFUL	(1u << 0)
#define SYSTEM_ATTR_WARM_RESET	(1u << 31)
#define SYSTEM_ATTR_SUSPEND	(1u << 30)
#define SYSTEM_NOTIFIER_V1_SIZE 12
#define SYSTEM_NOTIFIER_V2_SIZE 16

const char *scmi_system_state_name(uint32_t state)
{
	static const char *const names[] = {"shutdown", "cold-reset", "warm-reset", "power-up",
					    "suspend"};

	if (state < ARRAY_SIZE(names))
		return names[state];
	return state >= SCMI_SYSTEM_VENDOR_MIN ? "vendor" : "unknown";
}

static int system_set_notify_enabled(const struct scmi_protocol_handle *ph, uint8_t evt_id,
				     uint32_t src_id, bool enable)
{
	const struct scmi_system_info *info = ph->priv;
	uint8_t tx[4];

	if (evt_id != SCMI_EVENT_SYSTEM_POWER_STATE_NOTIFIER || src_id)
		return -EINVAL;
	if (!info->notifier) {
		scmi_dbg_reason(&ph->inst->log,
				"system: the platform has no SYSTEM_POWER_STATE_NOTIFY");
		return -EOPNOTSUPP;
	}
	scmi_put_le32(tx, enable ? 1 : 0);
	return scmi_common_cmd(ph, SYSTEM_POWER_STATE_NOTIFY, tx, sizeof(tx), NULL, 0, 0, NULL);
}

/* 12 bytes before 2.0, 16 (with the timeout) from 2.0: exactly. */
static int system_fill_report(const struct scmi_protocol_handle *ph, uint8_t evt_id,
			      const void *payld, size_t payld_sz, void *report, uint32_t *src_id)
{
	struct scmi_system_power_state_notifier_report *r = report;
	bool v2 = SCMI_PROTO_VERSION_MAJOR(ph->version) >= 2;
	const uint8_t *p = payld;

	if (evt_id != SCMI_EVENT_SYSTEM_POWER_STATE_NOTIFIER ||
	    payld_sz != (v2 ? SYSTEM_NOTIFIER_V2_SIZE : SYSTEM_NOTIFIER_V1_SIZE))
		return -EPROTO;
	r->agent_id = scmi_get_le32(p);
	r->flags = scmi_get_le32(p + 4);
	r->graceful = r->flags & SYSTEM_FLAG_GRACEFUL;
	r->system_state = scmi_get_le32(p + 8);
	r->has_timeout = v2;
	r->timeout_ms = v2 ? scmi_get_le32(p + 12) : 0;
	*src_id = 0;
	return 0;
}

static const struct scmi_event system_events[] = {
	{
		.id = SCMI_EVENT_SYSTEM_POWER_STATE_NOTIFIER,
		.max_payld_sz = SYSTEM_NOTIFIER_V2_SIZE,
		.max_report_sz = sizeof(struct scmi_system_power_state_notifier_report),
	},
};

static const struct scmi_event_ops system_event_ops = {
	.set_notify_enabled = system_set_notify_enabled,
	.fill_report = system_fill_report,
};

static const struct scmi_protocol_events system_protocol_events = {
	.ops = &system_event_ops,
	.evts = system_events,
	.num_events = ARRAY_SIZE(system_events),
};

static int system_init(struct scmi_protocol_handle *ph)
{
	struct scmi_system_info *info = calloc(1, sizeof(*info));
	uint32_t attrs = 0;
	int ret;

	if (!info)
		return -ENOMEM;
	info->version = ph->version;
	info->notify_timeout = SCMI_PROTO_VERSION_MAJOR(ph->version) >= 2;
	/*
	 * Optional states are advertised in STATE_SET's message attributes.
	 * A platform that refuses to say (a status other than NOT_FOUND) or
	 * answers malformed advertises none: those states are then refused
	 * locally, the rest of the protocol works.  No answer at all fails
	 * the bring-up (retried on the next call).
	 */
	ret = scmi_common_msg_attributes(ph, SYSTEM_POWER_STATE_SET, &attrs);
	if (ret && ret != -ENOENT) {
		if (!scmi_common_bad_answer(ret)) {
			free(info);
			return ret;
		}
		scmi_warn(&ph->inst->log,
			  "system: optional states unknown (PROTOCOL_MESSAGE_ATTRIBUTES: %s); "
			  "warm reset and suspend not used",
			  scmi_strerror(ret));
		attrs = 0;
	}
	info->warm_reset = attrs & SYSTEM_ATTR_WARM_RESET;
	info->suspend = attrs & SYSTEM_ATTR_SUSPEND;
	info->state_get = scmi_common_msg_supported(ph, SYSTEM_POWER_STATE_GET);
	/* Enable only what the platform implements (§3.2, as Linux probes). */
	info->notifier = scmi_common_msg_supported(ph, SYSTEM_POWER_STATE_NOTIFY);
	ph->priv = info;
	ret = scmi_notify_protocol_register(ph, &system_protocol_events, 1);
	if (ret) {
		free(info);
		ph->priv = NULL;
	}
	return ret;
}

static void system_deinit(struct scmi_protocol_handle *ph)
{
	free(ph->priv);
	ph->priv = NULL;
}

static int system_ph(const struct scmi_handle *h, struct scmi_protocol_handle **ph)
{
	return scmi_protocol_acquire(h, SCMI_PROTOCOL_SYSTEM, ph);
}

static int system_info_get(const struct scmi_handle *h, const struct scmi_system_info **info)
{
	struct scmi_protocol_handle *ph;
	int ret;

	if (!info)
		return -EINVAL;
	ret = system_ph(h, &ph);
	if (!ret)
		*info = ph->priv;
	return ret;
}

/* SYSTEM_POWER_STATE_SET answers with a status only. */
static const struct scmi_req_msg state_set_msg = {
	.msg_id = SYSTEM_POWER_STATE_SET,
};

static int system_state_set(const struct scmi_handle *h, uint32_t state, bool graceful)
{
	const struct scmi_system_info *info;
	struct scmi_protocol_handle *ph;
	uint8_t tx[8];
	int ret;

	ret = system_ph(h, &ph);
	if (ret)
		return ret;
	info = ph->priv;
	if ((state == SCMI_SYSTEM_WARM_RESET && !info->warm_reset) ||
	    (state == SCMI_SYSTEM_SUSPEND && !info->suspend) || state >= SCMI_SYSTEM_VENDOR_MIN) {
		scmi_dbg_reason(&ph->inst->log, "system: state %u not supported by the platform",
				state);
		return -EOPNOTSUPP;
	}
	if (state > SCMI_SYSTEM_SUSPEND) {
		scmi_dbg_reason(&ph->inst->log, "system: state %u undefined", state);
		return -EINVAL;
	}
	SCMI_REQ(r, ph);
	scmi_put_le32(tx, graceful ? SYSTEM_FLAG_GRACEFUL : 0);
	scmi_put_le32(tx + 4, state);
	return scmi_req_run(r, &state_set_msg, tx, sizeof(tx));
}

/* SYSTEM_POWER_STATE_GET as a request: the state word is the caller's output. */
static const struct scmi_req_msg state_get_msg = {
	.msg_id = SYSTEM_POWER_STATE_GET,
	.rx_min = 4,
	.decode = scmi_req_decode_u32,
};

static int system_state_get(const struct scmi_handle *h, uint32_t *state)
{
	struct scmi_protocol_handle *ph;
	const struct scmi_system_info *info;
	int ret;

	if (!state)
		return -EINVAL;
	ret = system_ph(h, &ph);
	if (ret)
		return ret;
	info = ph->priv;
	if (!info->state_get)
		return -EOPNOTSUPP;
	SCMI_REQ(r, ph);
	SCMI_REQ_CTX(r, struct scmi_req_u32)->out = state;
	return scmi_req_run(r, &state_get_msg, NULL, 0);
}

static const struct scmi_system_ops system_ops = {
	.protocol_info_get = system_info_get,
	.state_set = system_state_set,
	.state_get = system_state_get,
};

const struct scmi_protocol scmi_system_protocol = {
	.id = SCMI_PROTOCOL_SYSTEM,
	.supported_version = SCMI_PROTO_VERSION(2, 1),
	.ops_offset = offsetof(struct scmi_handle, system_ops),
	.ops = &system_ops,
	.init = system_init,
	.deinit = system_deinit,
};
