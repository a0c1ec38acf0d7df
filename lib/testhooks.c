// SPDX-License-Identifier: BSD-3-Clause
/*
 * Test hooks (lib/testhooks.h): sessions on a handle that stays open.
 * Compiled into the fuzz harnesses only, never into libscmi.
 */
#include <errno.h>
#include <string.h>

#include "notify.h"
#include "protocols.h"
#include "request.h"
#include "testhooks.h"

/* The slot of protocol @id (handle.c: proto_slot()). */
static struct scmi_protocol_slot *slot_of(struct scmi_instance *inst, uint8_t id)
{
	for (size_t i = 0; i < inst->num_protos; i++)
		if (inst->protos[i].proto->id == id)
			return &inst->protos[i];
	return NULL;
}

/* Every ops pointer of the handle to NULL: nothing is published. */
static void ops_unpublish(struct scmi_instance *inst)
{
	for (size_t i = 0; i < inst->num_protos; i++) {
		const struct scmi_protocol *proto = inst->protos[i].proto;

		if (proto->ops_offset)
			*(const void **)((char *)&inst->handle + proto->ops_offset) = NULL;
	}
	inst->handle.base_ops = NULL;
	inst->handle.notify_ops = NULL;
}

/* handle.c: protos_publish(). */
static void ops_publish(struct scmi_instance *inst)
{
	struct scmi_revision_info *rev = &inst->rev;

	for (unsigned int i = 0; i < rev->num_protocols; i++) {
		struct scmi_protocol_slot *slot = slot_of(inst, rev->protocols[i].id);

		rev->protocols[i].supported = slot && slot->proto->ops;
		if (slot && slot->proto->ops_offset)
			*(const void **)((char *)&inst->handle + slot->proto->ops_offset) =
				slot->proto->ops;
	}
	inst->handle.base_ops = scmi_base_protocol.ops;
	inst->handle.notify_ops = &scmi_notify_ops;
}

/* handle.c: protos_deinit() without freeing the slots: back to "down". */
static void protos_down(struct scmi_instance *inst)
{
	for (size_t i = inst->num_protos; i-- > 0;) {
		struct scmi_protocol_slot *slot = &inst->protos[i];

		if (atomic_load(&slot->up) && slot->proto->deinit)
			slot->proto->deinit(&slot->ph);
		atomic_store(&slot->up, false);
		slot->ph.version = 0;
		slot->ph.platform_version = 0;
		slot->ph.priv = NULL;
	}
}

/* Fresh pools, as instance_setup() makes them: the first token is 0. */
static int xfers_renew(struct scmi_instance *inst)
{
	const struct scmi_transport_info *ti = &inst->tinfo;
	int ret;

	scmi_xfers_destroy(&inst->rx_minfo);
	scmi_xfers_destroy(&inst->tx_minfo);
	ret = scmi_xfers_init_limits(&inst->tx_minfo, inst, ti->max_msg, ti->max_msg_per_chan,
				     ti->max_tx_size, ti->max_rx_size, true);
	if (!ret)
		ret = scmi_xfers_init_limits(&inst->rx_minfo, inst, ti->max_msg, 0, ti->max_tx_size,
					     ti->max_rx_size, false);
	return ret;
}

/* Every counter to 0, those added later included (late_replies and the
 * trace counters were missed once: a raw command cancelled in one session
 * showed as a late reply in the next). */
static void counters_reset(struct scmi_counters *c)
{
	atomic_uint_fast64_t *v = (atomic_uint_fast64_t *)(void *)c;

	_Static_assert(sizeof(*c) % sizeof(*v) == 0, "struct scmi_counters: counters only");
	for (size_t i = 0; i < sizeof(*c) / sizeof(*v); i++)
		atomic_store(&v[i], 0);
}

int scmi_testhook_session_begin(struct scmi_handle *h)
{
	struct scmi_instance *inst;
	struct scmi_protocol_handle *ph;
	int ret;

	if (!h)
		return -EINVAL;
	inst = scmi_inst(h);
	if (inst->notify || inst->reqs || !inst->protos || !inst->tx_minfo.xfers)
		return -EINVAL; /* not after a session_end() */
	ret = xfers_renew(inst);
	if (ret)
		return ret;
	counters_reset(&inst->stats);
	memset(&inst->rev, 0, sizeof(inst->rev));
	ret = scmi_notify_instance_init(inst);
	if (ret)
		return ret;
	ret = scmi_req_engine_init(inst);
	if (ret)
		return ret;
	/* Base discovery fills inst->rev (scmi_open()). */
	ret = scmi_protocol_acquire(h, SCMI_PROTOCOL_BASE, &ph);
	if (ret)
		return ret;
	ops_publish(inst);
	return 0;
}

void scmi_testhook_session_end(struct scmi_handle *h)
{
	struct scmi_instance *inst;

	if (!h)
		return;
	inst = scmi_inst(h);
	/* scmi_close(): notifiers first (disabling them sends commands), then
	 * instance_free(): the request engine (its uv_async_t on the
	 * caller's loop too), the notification core, then the protocols. */
	scmi_req_engine_free(inst);
	scmi_notify_instance_shutdown(inst);
	scmi_notify_instance_free(inst);
	if (inst->protos)
		protos_down(inst);
	ops_unpublish(inst);
}
