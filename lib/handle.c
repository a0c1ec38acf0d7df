// SPDX-License-Identifier: BSD-3-Clause
/*
 * Handles: open/close, transport registry and URI dispatch, protocol
 * bring-up.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "entry.h"
#include "handle.h"
#include "notify.h"
#include "protocols.h"
#include "request.h"
#include "quirks.h"
#include "raw.h"
#include "trace.h"
#include "uri.h"
#include "vendor.h"

#define SCMI_URI_ENV		      "SCMI_URI"
#define SCMI_DEFAULT_DRESP_TIMEOUT_MS 2000
#define SCMI_MAX_TIMEOUT_MS	      (3600u * 1000u)
#define SCMI_MAX_QUEUE_DEPTH	      65536u

/* ---- protocols libscmi implements --------------------------------------- */

static const struct scmi_protocol *const scmi_protocol_table[] = {
	&scmi_base_protocol,	&scmi_power_protocol,	&scmi_system_protocol,
	&scmi_perf_protocol,	&scmi_clock_protocol,	&scmi_sensor_protocol,
	&scmi_reset_protocol,	&scmi_voltage_protocol, &scmi_powercap_protocol,
	&scmi_pinctrl_protocol,
};

const char *scmi_protocol_name(uint8_t id)
{
	static const char *const names[] = {
		[SCMI_PROTOCOL_BASE - 0x10] = "base",
		[SCMI_PROTOCOL_POWER - 0x10] = "power",
		[SCMI_PROTOCOL_SYSTEM - 0x10] = "system",
		[SCMI_PROTOCOL_PERF - 0x10] = "perf",
		[SCMI_PROTOCOL_CLOCK - 0x10] = "clock",
		[SCMI_PROTOCOL_SENSOR - 0x10] = "sensor",
		[SCMI_PROTOCOL_RESET - 0x10] = "reset",
		[SCMI_PROTOCOL_VOLTAGE - 0x10] = "voltage",
		[SCMI_PROTOCOL_POWERCAP - 0x10] = "powercap",
		[SCMI_PROTOCOL_PINCTRL - 0x10] = "pinctrl",
	};

	if (id >= 0x10 && id < 0x10 + ARRAY_SIZE(names))
		return names[id - 0x10];
	if (id >= 0x80)
		return "vendor";
	return "unknown";
}

static struct scmi_protocol_slot *proto_slot(struct scmi_instance *inst, uint8_t id)
{
	for (size_t i = 0; i < inst->num_protos; i++)
		if (inst->protos[i].proto->id == id)
			return &inst->protos[i];
	return scmi_vendor_slot(inst, id); /* vendor protocols (lib/vendor.c) */
}

bool scmi_inst_protocol_listed(const struct scmi_instance *inst, uint8_t id)
{
	if (id == SCMI_PROTOCOL_BASE)
		return true;
	for (unsigned int i = 0; i < inst->rev.num_protocols; i++)
		if (inst->rev.protocols[i].id == id)
			return true;
	return false;
}

int scmi_inst_protocol_version(struct scmi_instance *inst, uint8_t id, uint32_t *version)
{
	struct scmi_xfer *x;
	int ret;

	ret = scmi_xfer_get_init(&inst->tx_minfo, id, SCMI_MSG_PROTOCOL_VERSION, 0, 0,
				 inst->timeout_ms, &x);
	if (ret)
		return ret;
	ret = scmi_do_xfer(x);
	if (!ret && x->t.rx_len < 4)
		ret = -EPROTO;
	if (!ret)
		*version = scmi_get_le32(x->t.rx);
	scmi_xfer_put(x);
	return ret;
}

/*
 * Settle the version to speak (spec §3.2): the platform's if we know it,
 * else ours, after asking the platform to downgrade when it can.
 */
static int proto_negotiate(struct scmi_protocol_handle *ph)
{
	uint32_t ours = ph->proto->supported_version;
	uint8_t tx[4];
	int ret;

	ret = scmi_inst_protocol_version(ph->inst, ph->id, &ph->platform_version);
	if (ret)
		return ret;
	ph->version = ph->platform_version;
	if (ph->platform_version <= ours)
		return 0;

	ph->version = ours;
	if (scmi_common_msg_supported(ph, SCMI_MSG_NEGOTIATE_PROTOCOL_VERSION)) {
		scmi_put_le32(tx, ours);
		ret = scmi_common_cmd(ph, SCMI_MSG_NEGOTIATE_PROTOCOL_VERSION, tx, sizeof(tx), NULL,
				      0, 0, NULL);
		if (!ret) {
			scmi_info(&ph->inst->log, "%s: negotiated version 0x%x (platform 0x%x)",
				  scmi_protocol_name(ph->id), ours, ph->platform_version);
			return 0;
		}
	}
	scmi_warn(&ph->inst->log,
		  "%s: platform version 0x%x is newer than ours (0x%x); compatibility not assured",
		  scmi_protocol_name(ph->id), ph->platform_version, ours);
	return 0;
}

static int proto_bring_up(struct scmi_protocol_slot *slot)
{
	struct scmi_protocol_handle *ph = &slot->ph;
	int ret;

	ret = proto_negotiate(ph);
	if (ret) {
		if (ret != -ESHUTDOWN)
			scmi_warn(&ph->inst->log,
				  "%s: PROTOCOL_VERSION failed (%s): the protocol stays down",
				  scmi_protocol_name(ph->id), scmi_strerror(ret));
		return ret;
	}
	ret = ph->proto->init ? ph->proto->init(ph) : 0;
	if (ret) {
		if (ret != -ESHUTDOWN)
			scmi_warn(&ph->inst->log, "%s: bring-up failed: %s",
				  scmi_protocol_name(ph->id), scmi_strerror(ret));
		return ret;
	}
	/* Up, so that close tears it down (it may have registered events). */
	atomic_store_explicit(&slot->up, true, memory_order_release);
	if (scmi_inst_aborting(ph->inst))
		return -ESHUTDOWN; /* commands were refused part-way */
	scmi_dbg(&ph->inst->log, "%s: up, version 0x%x", scmi_protocol_name(ph->id), ph->version);
	return 0;
}

int scmi_protocol_acquire(const struct scmi_handle *h, uint8_t id,
			  struct scmi_protocol_handle **out)
{
	struct scmi_instance *inst;
	struct scmi_protocol_slot *slot;
	int ret = 0;

	if (!h)
		return -EINVAL;
	inst = scmi_inst(h);
	slot = proto_slot(inst, id);
	if (!slot || !scmi_inst_protocol_listed(inst, id))
		return -EOPNOTSUPP;
	if (atomic_load_explicit(&slot->up, memory_order_acquire)) {
		*out = &slot->ph;
		return 0;
	}
	if (scmi_inst_aborting(inst))
		return -ESHUTDOWN;

	/* Waiters here are released when the bring-up in progress fails
	 * with -ESHUTDOWN at its next command. */
	pthread_mutex_lock(&slot->lock);
	if (scmi_inst_aborting(inst)) {
		ret = -ESHUTDOWN;
	} else if (!atomic_load_explicit(&slot->up, memory_order_relaxed)) {
		/* The bring-up blocks, even for a non-blocking call. */
		int armed = scmi_req_suspend_armed();

		ret = proto_bring_up(slot);
		scmi_req_resume_armed(armed);
	}
	pthread_mutex_unlock(&slot->lock);
	if (!ret)
		*out = &slot->ph;
	return ret;
}

static int protos_init(struct scmi_instance *inst)
{
	inst->num_protos = ARRAY_SIZE(scmi_protocol_table);
	inst->protos = calloc(inst->num_protos, sizeof(*inst->protos));
	if (!inst->protos)
		return -ENOMEM;
	for (size_t i = 0; i < inst->num_protos; i++) {
		struct scmi_protocol_slot *slot = &inst->protos[i];

		slot->proto = scmi_protocol_table[i];
		pthread_mutex_init(&slot->lock, NULL);
		atomic_init(&slot->up, false);
		slot->ph.inst = inst;
		slot->ph.handle = &inst->handle;
		slot->ph.proto = slot->proto;
		slot->ph.id = slot->proto->id;
	}
	return 0;
}

static void protos_deinit(struct scmi_instance *inst)
{
	/* Reverse order: Base last. */
	for (size_t i = inst->num_protos; i-- > 0;) {
		struct scmi_protocol_slot *slot = &inst->protos[i];

		if (atomic_load(&slot->up) && slot->proto->deinit)
			slot->proto->deinit(&slot->ph);
		pthread_mutex_destroy(&slot->lock);
	}
	free(inst->protos);
	inst->protos = NULL;
}

/* Point the handle's ops at every protocol both sides implement: the
 * guarded tables (lib/entry.c), so that scmi_close() knows the calls. */
static void protos_publish(struct scmi_instance *inst)
{
	struct scmi_revision_info *rev = &inst->rev;

	for (unsigned int i = 0; i < rev->num_protocols; i++) {
		struct scmi_protocol_slot *slot = proto_slot(inst, rev->protocols[i].id);

		rev->protocols[i].supported = slot && slot->proto->ops;
		if (slot && slot->proto->ops_offset)
			*(const void **)((char *)&inst->handle + slot->proto->ops_offset) =
				scmi_guarded_ops(slot->proto->id);
	}
	inst->handle.base_ops = scmi_guarded_ops(SCMI_PROTOCOL_BASE);
	inst->handle.notify_ops = scmi_guarded_notify_ops();
}

/* ---- transport registry ------------------------------------------------- */

struct transport_entry {
	const struct scmi_transport_desc *desc;
	struct transport_entry *next;
};

static pthread_mutex_t transports_lock = PTHREAD_MUTEX_INITIALIZER;
static struct transport_entry *transports; /* registered at run time */

/* The real transports.  loopback:// (the simulator) is registered at run
 * time by libscmi-sim. */
static const struct scmi_transport_desc *const builtin_transports[] = {
#ifdef SCMI_HAVE_SHMEM
	&scmi_shmem_transport,
#endif
#ifdef SCMI_HAVE_UIO
	&scmi_uio_transport,
#endif
#ifdef SCMI_HAVE_VIRTIO_VFIO_USER
	&scmi_virtio_vfio_user_transport,
#endif
	NULL,
};

static const struct scmi_transport_desc *transport_find_locked(const char *scheme)
{
	for (size_t i = 0; builtin_transports[i]; i++)
		if (!strcmp(builtin_transports[i]->scheme, scheme))
			return builtin_transports[i];
	for (struct transport_entry *e = transports; e; e = e->next)
		if (!strcmp(e->desc->scheme, scheme))
			return e->desc;
	return NULL;
}

#define SCMI_TRANSPORT_MIN_SIZE 8
#define SCMI_TRANSPORT_MAX_SIZE 65536

static bool transport_size_valid(size_t size, bool optional)
{
	return (optional && size == 0) ||
	       (size >= SCMI_TRANSPORT_MIN_SIZE && size <= SCMI_TRANSPORT_MAX_SIZE);
}

/* What is wrong with @info for a transport with @ops, or NULL. */
static const char *transport_info_problem(const struct scmi_transport_info *info,
					  const struct scmi_transport_ops *ops)
{
	if (info->max_msg < 1 || info->max_msg > SCMI_MAX_TOKENS)
		return "max_msg outside 1..1024";
	if (info->max_msg_per_chan > info->max_msg)
		return "max_msg_per_chan above max_msg";
	if (!transport_size_valid(info->max_msg_size, false) ||
	    !transport_size_valid(info->max_tx_size, true) ||
	    !transport_size_valid(info->max_rx_size, true) ||
	    !transport_size_valid(info->max_notif_size, true))
		return "a size limit outside 8..65536";
	if (!info->timeout_ms)
		return "timeout_ms 0";
	if (info->caps & ~SCMI_TRANSPORT_CAPS_ALL)
		return "unknown capability bits";
	if ((info->caps & SCMI_TRANSPORT_P2A) && !ops->fetch_notification)
		return "a P2A channel without fetch_notification";
	if ((info->caps & SCMI_TRANSPORT_POLLING) && !ops->poll_done)
		return "polling without poll_done";
	if ((info->caps & SCMI_TRANSPORT_POLLING) &&
	    (info->caps & SCMI_TRANSPORT_COMPLETES_ON_RETURN))
		return "both polling and completes-on-return";
	if ((info->caps & SCMI_TRANSPORT_PER_PROTOCOL) && !ops->channel_of)
		return "per-protocol channels without channel_of";
	return NULL;
}

/* The limits in force: sizes left 0 take max_msg_size. */
static void transport_info_resolve(struct scmi_transport_info *info)
{
	if (!info->max_tx_size)
		info->max_tx_size = info->max_msg_size;
	if (!info->max_rx_size)
		info->max_rx_size = info->max_msg_size;
	if (!info->max_notif_size)
		info->max_notif_size = info->max_msg_size;
	if (!info->max_msg_per_chan)
		info->max_msg_per_chan = info->max_msg;
}

int scmi_transport_register(const struct scmi_transport_desc *desc)
{
	const struct scmi_transport_ops *ops = desc ? desc->ops : NULL;
	struct transport_entry *e;
	int ret = 0;

	if (!desc || !desc->scheme || !*desc->scheme || !ops || !ops->open || !ops->close ||
	    !ops->send_message || !ops->fetch_response ||
	    transport_info_problem(&desc->defaults, ops))
		return -EINVAL;
	e = malloc(sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->desc = desc;
	pthread_mutex_lock(&transports_lock);
	if (transport_find_locked(desc->scheme)) {
		ret = -EEXIST;
		free(e);
	} else {
		e->next = transports;
		transports = e;
	}
	pthread_mutex_unlock(&transports_lock);
	return ret;
}

int scmi_transport_unregister(const char *scheme)
{
	struct transport_entry **pp, *e;
	int ret = -ENOENT;

	if (!scheme)
		return -EINVAL;
	pthread_mutex_lock(&transports_lock);
	for (pp = &transports; (e = *pp); pp = &e->next) {
		if (!strcmp(e->desc->scheme, scheme)) {
			*pp = e->next;
			free(e);
			ret = 0;
			break;
		}
	}
	pthread_mutex_unlock(&transports_lock);
	return ret;
}

static const struct scmi_transport_desc *transport_find(const char *scheme)
{
	const struct scmi_transport_desc *d;

	pthread_mutex_lock(&transports_lock);
	d = transport_find_locked(scheme);
	pthread_mutex_unlock(&transports_lock);
	return d;
}

void *scmi_handle_transport_priv(const struct scmi_handle *h,
				 const struct scmi_transport_desc *desc)
{
	struct scmi_instance *inst;

	if (!h)
		return NULL;
	inst = scmi_inst(h);
	return inst->tdesc == desc ? inst->tpriv : NULL;
}

uv_loop_t *scmi_chan_loop(struct scmi_chan *chan)
{
	return &chan->inst->loop.uv;
}

void scmi_chan_log(struct scmi_chan *chan, enum scmi_log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	scmi_logv(&chan->inst->log, level, fmt, ap);
	va_end(ap);
}

/* ---- open / close --------------------------------------------------------- */

static int config_apply(struct scmi_instance *inst, const struct scmi_config *cfg)
{
	if (cfg)
		inst->cfg = *cfg;
	inst->cfg.event_queues = NULL;
	inst->cfg.num_event_queues = 0;
	inst->cfg.quirks = NULL; /* parsed by scmi_open(), not kept */
	scmi_logger_init(&inst->log, cfg);
	inst->log.owner = inst;
	scmi_trace_set(&inst->handle, inst->cfg.trace_fn, inst->cfg.trace_priv);
	/* Until the open succeeds: its first error line, for the caller. */
	inst->log.capture = inst->open_error;
	atomic_store(&inst->log.capturing, true);
	if (inst->cfg.timeout_ms > SCMI_MAX_TIMEOUT_MS ||
	    inst->cfg.dresp_timeout_ms > SCMI_MAX_TIMEOUT_MS) {
		scmi_err(&inst->log, "config: timeout larger than %u ms", SCMI_MAX_TIMEOUT_MS);
		return -EINVAL;
	}
	if (inst->cfg.loop && inst->cfg.dispatch) {
		scmi_err(&inst->log, "config: loop and dispatch are exclusive");
		return -EINVAL;
	}
	if (inst->cfg.event_queue_depth > SCMI_MAX_QUEUE_DEPTH) {
		scmi_err(&inst->log, "config: event_queue_depth %u larger than %u",
			 inst->cfg.event_queue_depth, SCMI_MAX_QUEUE_DEPTH);
		return -EINVAL;
	}
	if (!cfg || !cfg->num_event_queues)
		return 0;
	if (!cfg->event_queues) {
		scmi_err(&inst->log, "config: num_event_queues without event_queues");
		return -EINVAL;
	}
	for (size_t i = 0; i < cfg->num_event_queues; i++) {
		const struct scmi_event_queue_config *q = &cfg->event_queues[i];

		if (q->depth > SCMI_MAX_QUEUE_DEPTH || q->protocol_id < 0x10 || q->nice < -20 ||
		    q->nice > 19) {
			scmi_err(&inst->log, "config: bad event queue for protocol 0x%x depth %u",
				 q->protocol_id, q->depth);
			return -EINVAL;
		}
	}
	inst->cfg.event_queues = malloc(cfg->num_event_queues * sizeof(*cfg->event_queues));
	if (!inst->cfg.event_queues)
		return -ENOMEM;
	memcpy((void *)inst->cfg.event_queues, cfg->event_queues,
	       cfg->num_event_queues * sizeof(*cfg->event_queues));
	inst->cfg.num_event_queues = cfg->num_event_queues;
	return 0;
}

struct open_args {
	struct scmi_instance *inst;
	const struct scmi_uri *uri;
};

static int transport_open_on_loop(void *arg)
{
	struct open_args *a = arg;
	struct scmi_instance *inst = a->inst;
	const char *problem;
	int ret;

	inst->tinfo = inst->tdesc->defaults;
	ret = inst->tops->open(&inst->chan, a->uri, &inst->tinfo, &inst->tpriv);
	if (ret)
		return ret;
	inst->transport_open = true;
	ret = scmi_uri_check_unused(a->uri);
	if (!ret && (problem = transport_info_problem(&inst->tinfo, inst->tops))) {
		scmi_err(&inst->log, "%s:// reported invalid limits or capabilities: %s",
			 inst->tdesc->scheme, problem);
		ret = -EINVAL;
	}
	if (!ret)
		transport_info_resolve(&inst->tinfo);
	return ret;
}

static int transport_start_on_loop(void *arg)
{
	struct scmi_instance *inst = arg;

	return inst->tops->start ? inst->tops->start(inst->tpriv) : 0;
}

static int transport_close_on_loop(void *arg)
{
	struct scmi_instance *inst = arg;

	inst->tops->close(inst->tpriv);
	return 0;
}

/* The platform to open: @text, else $SCMI_URI; NULL (logged) if neither. */
static const char *uri_or_env(struct scmi_instance *inst, const char *text)
{
	const char *env;

	if (text)
		return text;
	env = getenv(SCMI_URI_ENV);
	if (env && *env)
		return env;
	scmi_err(&inst->log,
		 "no platform named: pass a URI (uio://, shmem://, virtio-vfio-user://; "
		 "docs/TRANSPORTS.md) or set %s (loopback:// is the simulator, in libscmi-sim)",
		 SCMI_URI_ENV);
	return NULL;
}

static int transport_open(struct scmi_instance *inst, const char *text)
{
	struct open_args args = {.inst = inst};
	struct scmi_uri *uri;
	int ret;

	text = uri_or_env(inst, text);
	if (!text)
		return -EINVAL;
	ret = scmi_uri_parse(text, &inst->log, &uri);
	if (ret)
		return ret;
	inst->tdesc = transport_find(scmi_uri_scheme(uri));
	if (!inst->tdesc && !strcmp(scmi_uri_scheme(uri), "loopback")) {
		scmi_err(&inst->log,
			 "loopback:// is the simulator, which libscmi does not contain: "
			 "link libscmi-sim (pkg-config scmi-sim, CMake scmi::scmi-sim)");
		scmi_uri_free(uri);
		return -EINVAL;
	}
	if (!inst->tdesc) {
		scmi_err(&inst->log, "unknown URI scheme '%s://'", scmi_uri_scheme(uri));
		scmi_uri_free(uri);
		return -EINVAL;
	}
	inst->tops = inst->tdesc->ops;
	args.uri = uri;
	ret = scmi_loop_call(&inst->loop, transport_open_on_loop, &args);
	scmi_uri_free(uri);
	return ret;
}

static void transport_close(struct scmi_instance *inst)
{
	if (!inst->transport_open)
		return;
	scmi_loop_call(&inst->loop, transport_close_on_loop, inst);
	inst->transport_open = false;
}

static void instance_free(struct scmi_instance *inst)
{
	transport_close(inst);
	scmi_loop_stop(&inst->loop);
	scmi_req_engine_free(inst);
	scmi_raw_core_free(inst);
	scmi_notify_instance_free(inst);
	/* Protocols may still unmap transport memory (fastchannels): before
	 * the transport releases its state. */
	scmi_vendor_instance_free(inst);
	if (inst->protos)
		protos_deinit(inst);
	if (inst->tdesc && inst->tops->release && inst->tpriv)
		inst->tops->release(inst->tpriv);
	scmi_xfers_destroy(&inst->rx_minfo);
	scmi_xfers_destroy(&inst->tx_minfo);
	free((void *)inst->cfg.event_queues);
	pthread_cond_destroy(&inst->close_cond);
	pthread_mutex_destroy(&inst->close_lock);
	scmi_trace_destroy(inst);
	free(inst);
}

static int instance_setup(struct scmi_instance *inst, const char *uri)
{
	int ret;

	ret = scmi_loop_start(&inst->loop);
	if (ret)
		return ret;
	ret = transport_open(inst, uri);
	if (ret)
		return ret;
	inst->timeout_ms = inst->cfg.timeout_ms ? inst->cfg.timeout_ms : inst->tinfo.timeout_ms;
	inst->dresp_timeout_ms = inst->cfg.dresp_timeout_ms ? inst->cfg.dresp_timeout_ms
							    : SCMI_DEFAULT_DRESP_TIMEOUT_MS;
	ret = scmi_xfers_init_limits(&inst->tx_minfo, inst, inst->tinfo.max_msg,
				     inst->tinfo.max_msg_per_chan, inst->tinfo.max_tx_size,
				     inst->tinfo.max_rx_size, true);
	if (ret)
		return ret;
	ret = scmi_xfers_init_limits(&inst->rx_minfo, inst, inst->tinfo.max_msg, 0,
				     inst->tinfo.max_tx_size, inst->tinfo.max_rx_size, false);
	if (ret)
		return ret;
	ret = protos_init(inst);
	if (ret)
		return ret;
	ret = scmi_notify_instance_init(inst);
	if (ret)
		return ret;
	ret = scmi_req_engine_init(inst);
	if (ret)
		return ret;
	return scmi_loop_call(&inst->loop, transport_start_on_loop, inst);
}

static struct scmi_instance *instance_alloc(void)
{
	struct scmi_instance *inst = calloc(1, sizeof(*inst));

	if (!inst)
		return NULL;
	inst->chan.inst = inst;
	inst->handle.version = &inst->rev;
	atomic_init(&inst->close_started, false);
	atomic_init(&inst->closing, false);
	atomic_init(&inst->aborting, false);
	atomic_init(&inst->calls, 0);
	pthread_mutex_init(&inst->close_lock, NULL);
	pthread_cond_init(&inst->close_cond, NULL);
	scmi_trace_init(inst);
	return inst;
}

/*
 * scmi_open() or scmi_probe() failed: stop the loop thread, then give the
 * caller the reason as its scmi_last_error_msg(), unless a reason was set
 * on this thread already.  The first error line logged while opening is
 * the reason (the transport logs its own on the loop thread).
 */
static void open_failed(struct scmi_instance *inst)
{
	transport_close(inst);
	scmi_loop_stop(&inst->loop);
	if (!scmi_last_error_msg()[0] && inst->open_error[0])
		scmi_set_last_error_msg("%s", inst->open_error);
}

int scmi_open(const char *uri, const struct scmi_config *cfg, struct scmi_handle **out)
{
	struct scmi_quirk_config qc;
	struct scmi_protocol_handle *ph;
	struct scmi_instance *inst;
	int ret;

	scmi_clear_last_error_msg();
	if (!out)
		return -EINVAL;
	*out = NULL;
	inst = instance_alloc();
	if (!inst)
		return -ENOMEM;

	ret = config_apply(inst, cfg);
	if (!ret)
		ret = scmi_quirks_parse(inst, cfg ? cfg->quirks : NULL, &qc);
	if (!ret)
		ret = instance_setup(inst, uri);
	/* Base discovery fills inst->rev; the quirks follow from it, before
	 * any other protocol comes up. */
	if (!ret)
		ret = scmi_protocol_acquire(&inst->handle, SCMI_PROTOCOL_BASE, &ph);
	if (!ret)
		scmi_quirks_apply(inst, &qc);
	/* Vendor protocol implementations matching that identity. */
	if (!ret)
		ret = scmi_vendor_bind(inst);
	if (ret) {
		scmi_dbg(&inst->log, "scmi_open failed: %s", scmi_strerror(ret));
		open_failed(inst);
		instance_free(inst);
		return ret;
	}
	atomic_store(&inst->log.capturing, false);
	protos_publish(inst);
	*out = &inst->handle;
	return 0;
}

/* ---- describe / probe ----------------------------------------------------- */

bool scmi_chan_probing(struct scmi_chan *chan)
{
	return chan->inst->probing;
}

void scmi_describef(scmi_describe_fn emit, void *arg, const char *section, const char *key,
		    const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	emit(arg, section, key, buf);
}

struct describe_args {
	struct scmi_instance *inst;
	scmi_describe_fn emit;
	void *arg;
};

static int describe_on_loop(void *arg)
{
	static const char *const cap_names[] = {"P2A", "POLLING", "COMPLETES_ON_RETURN",
						"PER_PROTOCOL"};
	struct describe_args *a = arg;
	struct scmi_instance *inst = a->inst;
	const struct scmi_transport_info *ti = &inst->tinfo;
	char caps[96] = "";
	int ret = 0;

	a->emit(a->arg, "transport", "scheme", inst->tdesc->scheme);
	if (inst->tops->describe)
		ret = inst->tops->describe(inst->tpriv, a->emit, a->arg);
	if (ret)
		return ret;
	scmi_describef(a->emit, a->arg, "limits", "max_msg", "%u", ti->max_msg);
	if (ti->max_msg_per_chan && ti->max_msg_per_chan != ti->max_msg)
		scmi_describef(a->emit, a->arg, "limits", "max_msg_per_chan", "%u",
			       ti->max_msg_per_chan);
	scmi_describef(a->emit, a->arg, "limits", "max_tx_size", "%zu", ti->max_tx_size);
	scmi_describef(a->emit, a->arg, "limits", "max_rx_size", "%zu", ti->max_rx_size);
	scmi_describef(a->emit, a->arg, "limits", "max_notif_size", "%zu", ti->max_notif_size);
	scmi_describef(a->emit, a->arg, "limits", "timeout_ms", "%u", ti->timeout_ms);
	for (size_t i = 0; i < sizeof(cap_names) / sizeof(cap_names[0]); i++)
		if (ti->caps & (1u << i))
			snprintf(caps + strlen(caps), sizeof(caps) - strlen(caps), "%s%s",
				 caps[0] ? " " : "", cap_names[i]);
	a->emit(a->arg, "limits", "caps", caps[0] ? caps : "none");
	return 0;
}

int scmi_describe(const struct scmi_handle *h, scmi_describe_fn emit, void *arg)
{
	struct describe_args a = {.emit = emit, .arg = arg};

	if (!h || !emit)
		return -EINVAL;
	a.inst = scmi_inst(h);
	return scmi_loop_call(&a.inst->loop, describe_on_loop, &a);
}

int scmi_probe(const char *uri, const struct scmi_config *cfg, scmi_describe_fn emit, void *arg)
{
	struct describe_args a = {.emit = emit, .arg = arg};
	struct scmi_instance *inst;
	int ret;

	scmi_clear_last_error_msg();
	if (!emit)
		return -EINVAL;
	inst = instance_alloc();
	if (!inst)
		return -ENOMEM;
	inst->probing = true;
	a.inst = inst;
	ret = config_apply(inst, cfg);
	if (!ret)
		ret = scmi_loop_start(&inst->loop);
	if (!ret)
		ret = transport_open(inst, uri);
	if (!ret)
		ret = scmi_loop_call(&inst->loop, describe_on_loop, &a);
	if (ret) {
		scmi_dbg(&inst->log, "scmi_probe failed: %s", scmi_strerror(ret));
		open_failed(inst);
	}
	instance_free(inst);
	return ret;
}

/* ---- close (the contract is in include/scmi/handle.h) --------------------- */

void scmi_waiter_add(struct scmi_instance *inst, struct scmi_waiter *w)
{
	pthread_mutex_lock(&inst->close_lock);
	w->prev = NULL;
	w->next = inst->waiters;
	if (w->next)
		w->next->prev = w;
	inst->waiters = w;
	pthread_mutex_unlock(&inst->close_lock);
}

void scmi_waiter_del(struct scmi_instance *inst, struct scmi_waiter *w)
{
	pthread_mutex_lock(&inst->close_lock);
	if (w->prev)
		w->prev->next = w->next;
	else
		inst->waiters = w->next;
	if (w->next)
		w->next->prev = w->prev;
	pthread_mutex_unlock(&inst->close_lock);
}

/* Refuse new calls and end every wait of the calls in progress. */
static void close_begin(struct scmi_instance *inst)
{
	atomic_store(&inst->closing, true);
	atomic_store(&inst->aborting, true);
	scmi_xfers_wake_all(&inst->tx_minfo);
	pthread_mutex_lock(&inst->close_lock);
	for (struct scmi_waiter *w = inst->waiters; w; w = w->next) {
		pthread_mutex_lock(w->lock);
		pthread_cond_broadcast(w->cond);
		pthread_mutex_unlock(w->lock);
	}
	pthread_mutex_unlock(&inst->close_lock);
}

void scmi_close_finish(struct scmi_instance *inst)
{
	/* The calls in progress return (-ESHUTDOWN from their waits)... */
	pthread_mutex_lock(&inst->close_lock);
	while (atomic_load(&inst->calls))
		pthread_cond_wait(&inst->close_cond, &inst->close_lock);
	pthread_mutex_unlock(&inst->close_lock);
	/* Every request still outstanding completes with -ECANCELED, its
	 * callback run, before scmi_close() returns.  Still aborting: a
	 * request the engine runs as a blocking transfer (a polling
	 * transport) must leave its wait now, not at its timeout. */
	scmi_req_engine_shutdown(inst);
	/* ...then close's own commands (disabling notifications) may wait. */
	atomic_store(&inst->aborting, false);
	scmi_notify_instance_shutdown(inst);
	scmi_dbg(&inst->log, "handle closed");
	instance_free(inst);
}

static void *close_thread(void *arg)
{
	scmi_close_finish(arg);
	return NULL;
}

/* Close from a thread the close would wait for: finish elsewhere. */
static void close_defer(struct scmi_instance *inst)
{
	pthread_attr_t attr;
	pthread_t thread;
	int ret;

	scmi_info(&inst->log, "scmi_close() from the handle's own thread: it completes when the "
			      "callback or call in progress returns");
	if (scmi_notify_defer_close(inst))
		return; /* on the caller's loop, after the callback */
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	ret = pthread_create(&thread, &attr, close_thread, inst);
	pthread_attr_destroy(&attr);
	if (ret)
		scmi_err(&inst->log, "cannot close the handle: no thread to finish it: %s",
			 strerror(ret));
}

void scmi_close(struct scmi_handle *h)
{
	struct scmi_instance *inst;

	if (!h)
		return;
	inst = scmi_inst(h);
	if (atomic_exchange(&inst->close_started, true)) {
		scmi_err(&inst->log, "scmi_close() called twice on one handle");
		return;
	}
	close_begin(inst);
	if (scmi_thread_inside(inst) || scmi_loop_on_thread(&inst->loop))
		close_defer(inst);
	else
		scmi_close_finish(inst);
}

int scmi_stats_get(const struct scmi_handle *h, struct scmi_stats *st)
{
	struct scmi_counters *c;

	if (!h || !st)
		return -EINVAL;
	c = &scmi_inst(h)->stats;
	st->sent = atomic_load_explicit(&c->sent, memory_order_relaxed);
	st->responses = atomic_load_explicit(&c->responses, memory_order_relaxed);
	st->delayed_responses = atomic_load_explicit(&c->delayed_responses, memory_order_relaxed);
	st->timeouts = atomic_load_explicit(&c->timeouts, memory_order_relaxed);
	st->dresp_timeouts = atomic_load_explicit(&c->dresp_timeouts, memory_order_relaxed);
	st->drop_unknown_token = atomic_load_explicit(&c->drop_unknown_token, memory_order_relaxed);
	st->drop_bad_state = atomic_load_explicit(&c->drop_bad_state, memory_order_relaxed);
	st->drop_bad_length = atomic_load_explicit(&c->drop_bad_length, memory_order_relaxed);
	st->drop_bad_type = atomic_load_explicit(&c->drop_bad_type, memory_order_relaxed);
	st->xfer_exhausted = atomic_load_explicit(&c->xfer_exhausted, memory_order_relaxed);
	st->notifications = atomic_load_explicit(&c->notifications, memory_order_relaxed);
	st->late_replies = atomic_load_explicit(&c->late_replies, memory_order_relaxed);
	st->tokens_exhausted = atomic_load_explicit(&c->tokens_exhausted, memory_order_relaxed);
	st->tokens_quarantined = scmi_xfers_quarantined(&scmi_inst(h)->tx_minfo);
	return 0;
}

/* ---- generic commands ------------------------------------------------------ */

/* scmi_protocol_prepare() as a request: a job (lib/request.h), the
 * protocol's bring-up, on a thread of its own when non-blocking. */
struct prepare_ctx {
	const struct scmi_handle *h;
	uint8_t id;
};

static int prepare_job(struct scmi_req *r)
{
	const struct prepare_ctx *c = SCMI_REQ_CTX(r, struct prepare_ctx);
	struct scmi_protocol_handle *ph;

	return scmi_protocol_acquire(c->h, c->id, &ph);
}

int scmi_protocol_prepare(const struct scmi_handle *h, uint8_t protocol_id)
{
	struct scmi_protocol_handle *base;
	struct prepare_ctx *c;
	struct scmi_frame f;
	int ret;

	ret = scmi_call_enter(h, &f);
	if (ret)
		return ret;
	if (!proto_slot(scmi_inst(h), protocol_id) ||
	    !scmi_inst_protocol_listed(scmi_inst(h), protocol_id)) {
		scmi_dbg_reason(&scmi_inst(h)->log,
				"protocol 0x%02x (%s): not offered by the platform, or not one "
				"libscmi implements",
				protocol_id, scmi_protocol_name(protocol_id));
		ret = -EOPNOTSUPP;
		goto out;
	}
	/* The request belongs to Base, which is always up. */
	ret = scmi_protocol_acquire(h, SCMI_PROTOCOL_BASE, &base);
	if (ret)
		goto out;
	{
		SCMI_REQ(r, base);
		c = SCMI_REQ_CTX(r, struct prepare_ctx);
		c->h = h;
		c->id = protocol_id;
		ret = scmi_req_run_job(r, prepare_job);
	}
out:
	scmi_call_leave(&f);
	return ret;
}

int scmi_protocol_message_attributes(const struct scmi_handle *h, uint8_t protocol_id,
				     uint8_t msg_id, uint32_t *attributes)
{
	uint8_t tx[4], rx[4];
	size_t len;
	int ret;

	if (!h || !attributes)
		return -EINVAL;
	scmi_put_le32(tx, msg_id);
	ret = scmi_raw_command(h, protocol_id, SCMI_MSG_PROTOCOL_MESSAGE_ATTRIBUTES, tx, sizeof(tx),
			       rx, sizeof(rx), &len);
	if (!ret && len < 4)
		ret = -EPROTO;
	if (!ret)
		*attributes = scmi_get_le32(rx);
	return ret;
}
