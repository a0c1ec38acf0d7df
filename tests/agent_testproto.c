// SPDX-License-Identifier: BSD-3-Clause
#include <errno.h>
#include <stdlib.h>

#include "agent_testproto.h"
#include "notify.h"
#include "protocols.h"

#define TP_NOTIFY	0x5
#define TP_EVT_PAYLD_SZ 12

static struct scmi_protocol_handle *tp_handles[256];

atomic_bool tp_emit_on_enable;

static int tp_set_notify_enabled(const struct scmi_protocol_handle *ph, uint8_t evt_id,
				 uint32_t src_id, bool enable)
{
	uint8_t tx[12];

	scmi_put_le32(tx, evt_id);
	scmi_put_le32(tx + 4, src_id);
	scmi_put_le32(tx + 8, enable ? 1 | (atomic_load(&tp_emit_on_enable) ? 2 : 0) : 0);
	return scmi_common_cmd(ph, TP_NOTIFY, tx, sizeof(tx), NULL, 0, 0, NULL);
}

static int tp_fill_report(const struct scmi_protocol_handle *ph, uint8_t evt_id, const void *payld,
			  size_t payld_sz, void *report, uint32_t *src_id)
{
	struct tp_report *r = report;
	const uint8_t *p = payld;

	if (payld_sz != TP_EVT_PAYLD_SZ || scmi_get_le32(p + 8) != evt_id)
		return -EPROTO;
	r->seq = scmi_get_le32(p + 4);
	*src_id = scmi_get_le32(p); /* the core checks it against the sources */
	return 0;
}

static const struct scmi_event tp_events[TP_NUM_EVENTS] = {
	{0, TP_EVT_PAYLD_SZ, sizeof(struct tp_report)},
	{1, TP_EVT_PAYLD_SZ, sizeof(struct tp_report)},
	{2, TP_EVT_PAYLD_SZ, sizeof(struct tp_report)},
	{3, TP_EVT_PAYLD_SZ, sizeof(struct tp_report)},
};

static const struct scmi_event_ops tp_event_ops = {
	.set_notify_enabled = tp_set_notify_enabled,
	.fill_report = tp_fill_report,
};

static const struct scmi_protocol_events tp_protocol_events = {
	.ops = &tp_event_ops,
	.evts = tp_events,
	.num_events = TP_NUM_EVENTS,
};

int tp_register_events(struct scmi_handle *h, uint8_t proto)
{
	struct scmi_protocol_handle *ph = calloc(1, sizeof(*ph));
	uint8_t rx[4];
	size_t len;
	int ret;

	if (!ph)
		return -ENOMEM;
	ph->inst = scmi_inst(h);
	ph->handle = h;
	ph->id = proto;
	ph->version = ph->platform_version = SCMI_PROTO_VERSION(1, 0);
	/* PROTOCOL_ATTRIBUTES: b[15:0] number of sources. */
	ret = scmi_raw_command(h, proto, 0x1, NULL, 0, rx, sizeof(rx), &len);
	if (!ret)
		ret = scmi_notify_protocol_register(ph, &tp_protocol_events,
						    scmi_get_le32(rx) & 0xffff);
	if (ret) {
		free(ph);
		return ret;
	}
	free(tp_handles[proto]);
	tp_handles[proto] = ph;
	return 0;
}

void tp_cleanup(void)
{
	for (size_t i = 0; i < 256; i++) {
		free(tp_handles[i]);
		tp_handles[i] = NULL;
	}
}

struct tp_emit_args {
	struct scmi_sim *sim;
	uint8_t proto, evt;
	uint32_t src, count;
	int force;
	int ret;
};

static void tp_emit_on_runner(void *arg)
{
	struct tp_emit_args *a = arg;

	a->ret = scmi_sim_test_emit(a->sim, a->proto, a->evt, a->src, a->count, a->force);
}

int tp_emit(struct scmi_handle *h, uint8_t proto, uint8_t evt, uint32_t src, uint32_t count,
	    int force)
{
	struct tp_emit_args a = {scmi_loopback_sim(h), proto, evt, src, count, force, 0};
	int ret = scmi_sim_runner_call(scmi_loopback_runner(h), tp_emit_on_runner, &a);

	return ret ? ret : a.ret;
}
