/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Platform-side notification state: per (protocol, event, source) whether
 * the agent enabled it and how many enable/disable requests the platform
 * accepted (spec digest §7.2).  Models record *_NOTIFY requests here and
 * send events through sim_notify(), which honours the enables.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim-internal.h"

struct sim_notify_entry {
	uint64_t key; /* proto << 40 | evt << 32 | src */
	bool enabled;
	unsigned int enables;
	unsigned int disables;
	UT_hash_handle hh;
};

static uint64_t sim_notify_key(uint8_t proto, uint8_t evt, uint32_t src)
{
	return (uint64_t)proto << 40 | (uint64_t)evt << 32 | src;
}

static struct sim_notify_entry *sim_notify_find(struct scmi_sim *sim, uint8_t proto, uint8_t evt,
						uint32_t src)
{
	struct sim_notify_entry *e;
	uint64_t key = sim_notify_key(proto, evt, src);

	HASH_FIND(hh, sim->notify, &key, sizeof(key), e);
	return e;
}

int sim_notify_request(struct scmi_sim *sim, uint8_t proto, uint8_t evt, uint32_t src, bool enable)
{
	struct sim_notify_entry *e = sim_notify_find(sim, proto, evt, src);

	if (!e) {
		e = calloc(1, sizeof(*e));
		if (!e)
			return -ENOMEM;
		e->key = sim_notify_key(proto, evt, src);
		HASH_ADD(hh, sim->notify, key, sizeof(e->key), e);
	}
	e->enabled = enable;
	if (enable)
		e->enables++;
	else
		e->disables++;
	return 0;
}

bool sim_notify_is_enabled(struct scmi_sim *sim, uint8_t proto, uint8_t evt, uint32_t src)
{
	struct sim_notify_entry *e = sim_notify_find(sim, proto, evt, src);

	return e && e->enabled;
}

void sim_notify_clear(struct scmi_sim *sim)
{
	struct sim_notify_entry *e, *tmp;

	HASH_ITER (hh, sim->notify, e, tmp) {
		e->enabled = false;
	}
}

void sim_notify_free(struct scmi_sim *sim)
{
	struct sim_notify_entry *e, *tmp;

	HASH_ITER (hh, sim->notify, e, tmp) {
		HASH_DEL(sim->notify, e);
		free(e);
	}
}

int sim_notify_emit(struct scmi_sim *sim, uint8_t proto, uint8_t evt, const void *payload,
		    size_t len, uint64_t delay_us)
{
	struct sim_out *out;

	if (len > sim->max_msg_size || (len && !payload))
		return -EMSGSIZE;
	/* SCP always sends token 0 on notifications; so do we. */
	out = sim_out_new(sim, SIM_TYPE_NOTIFICATION, proto, evt, 0);
	if (!out)
		return -ENOSPC;
	if (len)
		memcpy(out->buf + SIM_HDR_SIZE, payload, len);
	out->len = SIM_HDR_SIZE + len;
	out->delay_us = delay_us;
	sim_out_flush(sim);
	return 1;
}

int sim_notify(struct scmi_sim *sim, uint8_t proto, uint8_t evt, uint32_t src, const void *payload,
	       size_t len, uint64_t delay_us)
{
	if (!sim_notify_is_enabled(sim, proto, evt, src))
		return 0;
	return sim_notify_emit(sim, proto, evt, payload, len, delay_us);
}

/* ---- public observers ------------------------------------------------------ */

int scmi_sim_notify_enabled(struct scmi_sim *sim, uint8_t proto, uint8_t evt, uint32_t src)
{
	int ret;

	if (!sim)
		return -EINVAL;
	sim_lock(sim);
	if (!sim_proto_get(sim, proto))
		ret = -ENOENT;
	else
		ret = sim_notify_is_enabled(sim, proto, evt, src);
	sim_unlock(sim);
	return ret;
}

int scmi_sim_notify_requests(struct scmi_sim *sim, uint8_t proto, uint8_t evt, uint32_t src,
			     unsigned int *enables, unsigned int *disables)
{
	struct sim_notify_entry *e;

	if (!sim)
		return -EINVAL;
	sim_lock(sim);
	if (!sim_proto_get(sim, proto)) {
		sim_unlock(sim);
		return -ENOENT;
	}
	e = sim_notify_find(sim, proto, evt, src);
	if (enables)
		*enables = e ? e->enables : 0;
	if (disables)
		*disables = e ? e->disables : 0;
	sim_unlock(sim);
	return 0;
}
