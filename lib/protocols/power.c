// SPDX-License-Identifier: BSD-3-Clause
/*
 * Power domain management protocol (0x11), spec digest §6.2, §5, §7.
 *
 * Everything the platform describes (domain count, statistics region,
 * per-domain attributes and names, whether the change-requested
 * notification exists) is discovered once at bring-up and immutable
 * afterwards, so the ops read it without a lock.  A domain whose
 * attributes the platform refuses or answers malformed is disabled, not
 * the protocol: usable = false, its ops return -EPROTO, its events are
 * dropped (docs/PROTOCOLS.md, "Leniency").
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>

#include <scmi/notify.h>
#include <scmi/protocols/power.h>

#include "../notify.h"
#include "../protocols.h"

#define POWER_DOMAIN_ATTRIBUTES		    0x3
#define POWER_STATE_SET			    0x4
#define POWER_STATE_GET			    0x5
#define POWER_STATE_NOTIFY		    0x6
#define POWER_STATE_CHANGE_REQUESTED_NOTIFY 0x7
#define POWER_DOMAIN_NAME_GET		    0x8

/* PROTOCOL_ATTRIBUTES: num_domains b[15:0], stats_addr lo/hi, stats_len. */
#define POWER_PROTO_ATTRS_SIZE 16
#define POWER_NUM_DOMAINS_MASK 0xffffu
/* POWER_DOMAIN_ATTRIBUTES: attributes word, then a 16-byte short name. */
#define POWER_DOM_ATTRS_SIZE (4 + SCMI_SHORT_NAME_MAX_SIZE)
#define POWER_DOM_NOTIFY     (1u << 31)
#define POWER_DOM_ASYNC	     (1u << 30)
#define POWER_DOM_SYNC	     (1u << 29)
#define POWER_DOM_EXT_NAME   (1u << 27) /* v3.0+; reserved before */
#define POWER_SET_FLAG_ASYNC (1u << 0)
/* Both events: agent_id, domain_id, power_state. */
#define POWER_EVT_PAYLD_SIZE 12

struct power_priv {
	struct scmi_power_info info;
	struct scmi_power_domain_info *doms; /* info.num_domains of them */
};

/* ---- discovery ------------------------------------------------------------ */

/*
 * @has_notify: the platform implements POWER_STATE_NOTIFY.  As for the
 * other protocols (§3.2), a domain's notification bit counts only then.
 */
static int power_domain_discover(const struct scmi_protocol_handle *ph,
				 struct scmi_power_domain_info *d, uint32_t id, bool has_notify)
{
	uint8_t tx[4], rx[POWER_DOM_ATTRS_SIZE];
	uint32_t attrs;
	int ret;

	d->id = id;
	scmi_put_le32(tx, id);
	ret = scmi_common_cmd(ph, POWER_DOMAIN_ATTRIBUTES, tx, sizeof(tx), rx, sizeof(rx),
			      sizeof(rx), NULL);
	if (ret) {
		/* What the platform said about this domain disables it alone;
		 * no answer at all fails the bring-up (retried later). */
		if (!scmi_common_bad_answer(ret)) {
			scmi_warn(&ph->inst->log, "power: DOMAIN_ATTRIBUTES(%u) failed: %s", id,
				  scmi_strerror(ret));
			return ret;
		}
		scmi_warn(&ph->inst->log, "power: domain %u disabled: %s", id, scmi_strerror(ret));
		d->err = ret;
		return 0;
	}
	attrs = scmi_get_le32(rx);
	d->usable = true;
	d->attributes = attrs;
	d->state_change_notify = has_notify && (attrs & POWER_DOM_NOTIFY);
	d->state_set_async = attrs & POWER_DOM_ASYNC;
	d->state_set_sync = attrs & POWER_DOM_SYNC;
	/* At most 15 characters + NUL from the 16-byte field (§5). */
	scmi_copy_name(d->name, SCMI_SHORT_NAME_MAX_SIZE, rx + 4, SCMI_SHORT_NAME_MAX_SIZE);
	/* On failure the short name stays (as Linux does). */
	if (SCMI_PROTO_VERSION_MAJOR(ph->version) >= 3 && (attrs & POWER_DOM_EXT_NAME))
		d->extended_name = scmi_common_ext_name_get(ph, POWER_DOMAIN_NAME_GET, id, NULL,
							    d->name, sizeof(d->name)) == 0;
	return 0;
}

/*
 * POWER_STATE_CHANGE_REQUESTED_NOTIFY is marked unverified in the digest:
 * SCP-firmware (power domain protocol 2.0) and scmi-tests (which exercise
 * it for version 2 only) have it, Linux never uses it, and whether it
 * survived into 3.x is unknown.  Use it only where it is known to exist,
 * a 2.x platform, and only if PROTOCOL_MESSAGE_ATTRIBUTES says the
 * platform implements it.  Elsewhere the event is -EOPNOTSUPP.
 */
static bool power_change_requested_available(const struct scmi_protocol_handle *ph)
{
	if (SCMI_PROTO_VERSION_MAJOR(ph->version) != 2)
		return false;
	return scmi_common_msg_supported(ph, POWER_STATE_CHANGE_REQUESTED_NOTIFY);
}

static const struct scmi_protocol_events power_protocol_events;

static int power_init(struct scmi_protocol_handle *ph)
{
	uint8_t rx[POWER_PROTO_ATTRS_SIZE];
	struct power_priv *priv;
	bool has_notify;
	unsigned int n;
	int ret;

	ret = scmi_common_attributes(ph, rx, sizeof(rx), sizeof(rx));
	if (ret)
		return ret;
	priv = calloc(1, sizeof(*priv));
	if (!priv)
		return -ENOMEM;
	n = scmi_get_le32(rx) & POWER_NUM_DOMAINS_MASK;
	priv->info.version = ph->version;
	priv->info.platform_version = ph->platform_version;
	priv->info.num_domains = n;
	priv->info.stats_addr = scmi_get_le64(rx + 4);
	priv->info.stats_len = scmi_get_le32(rx + 12);
	priv->doms = calloc(n ? n : 1, sizeof(*priv->doms));
	if (!priv->doms) {
		ret = -ENOMEM;
		goto err;
	}
	has_notify = n && scmi_common_msg_supported(ph, POWER_STATE_NOTIFY);
	for (unsigned int i = 0; i < n; i++) {
		ret = power_domain_discover(ph, &priv->doms[i], i, has_notify);
		if (ret)
			goto err;
	}
	priv->info.change_requested_notify = power_change_requested_available(ph);
	ph->priv = priv;
	scmi_dbg(&ph->inst->log, "power: %u domains, statistics %u bytes at 0x%llx%s", n,
		 priv->info.stats_len, (unsigned long long)priv->info.stats_addr,
		 priv->info.change_requested_notify ? ", change-requested events" : "");
	/* With no domain, one source that every enable refuses (-EINVAL). */
	ret = scmi_notify_protocol_register(ph, &power_protocol_events, n ? n : 1);
	if (ret) {
		ph->priv = NULL;
		goto err;
	}
	return 0;
err:
	free(priv->doms);
	free(priv);
	return ret;
}

static void power_deinit(struct scmi_protocol_handle *ph)
{
	struct power_priv *priv = ph->priv;

	if (!priv)
		return;
	free(priv->doms);
	free(priv);
	ph->priv = NULL;
}

/* ---- notifications -------------------------------------------------------- */

static int power_set_notify_enabled(const struct scmi_protocol_handle *ph, uint8_t evt_id,
				    uint32_t src_id, bool enable)
{
	const struct power_priv *priv = ph->priv;
	uint8_t msg_id;

	if (src_id >= priv->info.num_domains)
		return -EINVAL;
	if (!priv->doms[src_id].usable)
		return -EPROTO;
	switch (evt_id) {
	case SCMI_EVENT_POWER_STATE_CHANGED:
		msg_id = POWER_STATE_NOTIFY;
		break;
	case SCMI_EVENT_POWER_STATE_CHANGE_REQUESTED:
		if (!priv->info.change_requested_notify)
			return -EOPNOTSUPP;
		msg_id = POWER_STATE_CHANGE_REQUESTED_NOTIFY;
		break;
	default:
		return -EINVAL;
	}
	/* The domain's b31 is the only notification flag the spec gives:
	 * it governs both events (each also needs its command, checked at
	 * bring-up). */
	if (!(priv->doms[src_id].attributes & POWER_DOM_NOTIFY) ||
	    (msg_id == POWER_STATE_NOTIFY && !priv->doms[src_id].state_change_notify))
		return -EOPNOTSUPP; /* the notification core logs one line for all sources */
	return scmi_common_notify_cmd(ph, msg_id, src_id, enable);
}

static int power_fill_report(const struct scmi_protocol_handle *ph, uint8_t evt_id,
			     const void *payld, size_t payld_sz, void *report, uint32_t *src_id)
{
	const struct power_priv *priv = ph->priv;
	const uint8_t *p = payld;
	uint32_t dom;

	if (payld_sz != POWER_EVT_PAYLD_SIZE)
		return -EPROTO;
	dom = scmi_get_le32(p + 4);
	/* A domain the platform made up, or one disabled at discovery. */
	if (dom >= priv->info.num_domains || !priv->doms[dom].usable)
		return -EPROTO;
	switch (evt_id) {
	case SCMI_EVENT_POWER_STATE_CHANGED: {
		struct scmi_power_state_changed_report *r = report;

		r->agent_id = scmi_get_le32(p);
		r->domain_id = dom;
		r->power_state = scmi_get_le32(p + 8);
		break;
	}
	case SCMI_EVENT_POWER_STATE_CHANGE_REQUESTED: {
		struct scmi_power_state_change_requested_report *r = report;

		/* Never enabled where it is not known to exist. */
		if (!priv->info.change_requested_notify)
			return -EPROTO;
		r->agent_id = scmi_get_le32(p);
		r->domain_id = dom;
		r->power_state = scmi_get_le32(p + 8);
		break;
	}
	default:
		return -EPROTO;
	}
	*src_id = dom;
	return 0;
}

static const struct scmi_event power_events[] = {
	{
		.id = SCMI_EVENT_POWER_STATE_CHANGED,
		.max_payld_sz = POWER_EVT_PAYLD_SIZE,
		.max_report_sz = sizeof(struct scmi_power_state_changed_report),
	},
	{
		.id = SCMI_EVENT_POWER_STATE_CHANGE_REQUESTED,
		.max_payld_sz = POWER_EVT_PAYLD_SIZE,
		.max_report_sz = sizeof(struct scmi_power_state_change_requested_report),
	},
};

static const struct scmi_event_ops power_event_ops = {
	.set_notify_enabled = power_set_notify_enabled,
	.fill_report = power_fill_report,
};

static const struct scmi_protocol_events power_protocol_events = {
	.ops = &power_event_ops,
	.evts = power_events,
	.num_events = ARRAY_SIZE(power_events),
};

/* ---- operations ------------------------------------------------------------ */

static void power_domains(const struct scmi_protocol_handle *ph, struct scmi_domain_table *t)
{
	const struct power_priv *priv = ph->priv;

	*t = (struct scmi_domain_table){
		.proto = "power",
		.what = "domain",
		.base = priv->doms,
		.stride = sizeof(*priv->doms),
		.count = priv->info.num_domains,
		.usable_off = offsetof(struct scmi_power_domain_info, usable),
	};
}

/* The protocol, and domain @dom if discovery reported it (else -EINVAL,
 * logged); with @usable, -EPROTO for a domain disabled at discovery. */
static int power_domain(const struct scmi_handle *h, uint32_t dom, bool usable,
			struct scmi_protocol_handle **ph, const struct scmi_power_domain_info **d)
{
	return scmi_domain_get(h, SCMI_PROTOCOL_POWER, dom, usable, ph, (const void **)d);
}

static int power_count_get(const struct scmi_handle *h)
{
	return scmi_domain_count(h, SCMI_PROTOCOL_POWER);
}

static int power_info_get(const struct scmi_handle *h, const struct scmi_power_info **info)
{
	struct scmi_protocol_handle *ph;
	int ret;

	if (!info)
		return -EINVAL;
	ret = scmi_protocol_acquire(h, SCMI_PROTOCOL_POWER, &ph);
	if (!ret)
		*info = &((const struct power_priv *)ph->priv)->info;
	return ret;
}

static int power_domain_info_get(const struct scmi_handle *h, uint32_t domain,
				 const struct scmi_power_domain_info **info)
{
	const struct scmi_power_domain_info *d;
	struct scmi_protocol_handle *ph;
	int ret;

	if (!info)
		return -EINVAL;
	ret = power_domain(h, domain, false, &ph, &d);
	if (!ret)
		*info = d;
	return ret;
}

static int power_name_get(const struct scmi_handle *h, uint32_t domain, const char **name)
{
	const struct scmi_power_domain_info *d;
	struct scmi_protocol_handle *ph;
	int ret;

	if (!name)
		return -EINVAL;
	/* Discovered data, as info_get(): "" for a disabled domain. */
	ret = power_domain(h, domain, false, &ph, &d);
	if (!ret)
		*name = d->name;
	return ret;
}

/* A usable domain and a state without reserved bits; -EINVAL (-EPROTO for
 * a disabled domain) otherwise. */
static int power_set_check(const struct scmi_handle *h, uint32_t dom, uint32_t state,
			   struct scmi_protocol_handle **ph,
			   const struct scmi_power_domain_info **d)
{
	int ret = power_domain(h, dom, true, ph, d);

	if (ret)
		return ret;
	if (!SCMI_POWER_STATE_IS_VALID(state)) {
		scmi_dbg_reason(&(*ph)->inst->log, "power: state 0x%08x has reserved bits set",
				state);
		return -EINVAL;
	}
	return 0;
}

/* POWER_STATE_SET: the response carries the status only, in both forms
 * (the asynchronous one has no delayed response, §7.1). */
static const struct scmi_req_msg state_set_msg = {
	.msg_id = POWER_STATE_SET,
};

/* POWER_STATE_SET's payload into @tx. */
static void power_state_set_tx(uint8_t tx[12], uint32_t dom, uint32_t state, bool async)
{
	scmi_put_le32(tx, async ? POWER_SET_FLAG_ASYNC : 0);
	scmi_put_le32(tx + 4, dom);
	scmi_put_le32(tx + 8, state);
}

/* One caller waiting for the POWER_STATE_CHANGED that completes its
 * asynchronous request. */
struct power_waiter {
	struct scmi_notifier_block nb;
	pthread_mutex_t lock;
	pthread_cond_t cond; /* CLOCK_MONOTONIC */
	uint32_t domain;
	uint32_t state;
	bool done; /* under lock */
};

static int power_waiter_call(struct scmi_notifier_block *nb, unsigned int evt_id,
			     const void *report)
{
	struct power_waiter *w = container_of(nb, struct power_waiter, nb);
	const struct scmi_power_state_changed_report *r = report;

	if (evt_id != SCMI_EVENT_POWER_STATE_CHANGED || r->domain_id != w->domain ||
	    r->power_state != w->state)
		return SCMI_NOTIFY_DONE;
	pthread_mutex_lock(&w->lock);
	w->done = true;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	return SCMI_NOTIFY_OK;
}

/* Wait for the notification; scmi_close() ends the wait (-ESHUTDOWN). */
static int power_waiter_wait(struct scmi_instance *inst, struct power_waiter *w, unsigned int ms)
{
	struct timespec deadline = scmi_deadline_ms(ms);
	struct scmi_waiter cw = {.lock = &w->lock, .cond = &w->cond};
	int ret = 0;

	scmi_waiter_add(inst, &cw);
	pthread_mutex_lock(&w->lock);
	while (!w->done && !scmi_inst_aborting(inst) && ret != ETIMEDOUT)
		ret = pthread_cond_timedwait(&w->cond, &w->lock, &deadline);
	ret = w->done ? 0 : scmi_inst_aborting(inst) ? -ESHUTDOWN : -ETIMEDOUT;
	pthread_mutex_unlock(&w->lock);
	scmi_waiter_del(inst, &cw);
	return ret;
}

/*
 * Blocking only: the asynchronous POWER_STATE_SET as request @r (a local,
 * blocking one), then wait for its completion, reported only by
 * POWER_STATE_CHANGED (there is no delayed response, §7.1).  The listener
 * is in place before the request goes out, so the notification cannot be
 * missed; it runs first (highest priority) so that no other listener can
 * stop the chain before it.
 */
static int power_state_set_wait(const struct scmi_handle *h, struct scmi_req *r,
				const struct scmi_protocol_handle *ph, uint32_t dom, uint32_t state)
{
	struct power_waiter w = {
		.nb = {.notifier_call = power_waiter_call, .priority = INT_MAX},
		.domain = dom,
		.state = state,
	};
	uint8_t tx[12];
	int32_t status;
	int ret;

	/* The wait could never end on the thread that delivers power events. */
	if (scmi_notify_delivers_protocol(ph->inst, SCMI_PROTOCOL_POWER)) {
		scmi_dbg_reason(
			&ph->inst->log,
			"power: cannot wait for domain %u on the thread delivering its events",
			dom);
		return -EDEADLK;
	}
	pthread_mutex_init(&w.lock, NULL);
	scmi_cond_init_monotonic(&w.cond);
	/* The core's own notify_ops, not the handle's guarded ones: the
	 * unregistration below must happen even while the handle closes, as
	 * @w lives on this stack. */
	ret = scmi_notify_ops.event_notifier_register(h, SCMI_PROTOCOL_POWER,
						      SCMI_EVENT_POWER_STATE_CHANGED, &dom, &w.nb);
	if (!ret) {
		power_state_set_tx(tx, dom, state, true);
		ret = scmi_req_run(r, &state_set_msg, tx, sizeof(tx));
		status = scmi_last_status();
		if (!ret) {
			ret = power_waiter_wait(ph->inst, &w, ph->inst->dresp_timeout_ms);
			if (ret == -ETIMEDOUT)
				scmi_warn(
					&ph->inst->log,
					"power: domain %u did not report state 0x%08x within %u ms",
					dom, state, ph->inst->dresp_timeout_ms);
		}
		scmi_notify_ops.event_notifier_unregister(
			h, SCMI_PROTOCOL_POWER, SCMI_EVENT_POWER_STATE_CHANGED, &dom, &w.nb);
		/* The caller asks about POWER_STATE_SET, not the disable. */
		scmi_set_last_status(status);
	}
	pthread_cond_destroy(&w.cond);
	pthread_mutex_destroy(&w.lock);
	return ret;
}

static int power_state_set(const struct scmi_handle *h, uint32_t domain, uint32_t state)
{
	const struct scmi_power_domain_info *d;
	struct scmi_protocol_handle *ph;
	uint8_t tx[12];
	int ret = power_set_check(h, domain, state, &ph, &d);

	if (ret)
		return ret;
	/*
	 * A domain advertising neither form is not taken at its word: TF-A's
	 * default attributes are 0 on domains that do change state.  As
	 * Linux does, send the synchronous command and let the platform
	 * answer (NOT_SUPPORTED where it really cannot).
	 */
	if (d->state_set_sync || !d->state_set_async) {
		SCMI_REQ(r, ph);
		power_state_set_tx(tx, domain, state, false);
		return scmi_req_run(r, &state_set_msg, tx, sizeof(tx));
	}
	/* Async only: the completion comes as a notification, which must
	 * exist and have a channel to come on (the non-blocking form, which
	 * does not wait for it, refuses the same calls). */
	if (!d->state_change_notify) {
		scmi_dbg_reason(&ph->inst->log,
				"power: domain %u: async-only changes cannot be awaited without "
				"notifications",
				domain);
		return -EOPNOTSUPP;
	}
	if (!scmi_proto_has_p2a(ph)) {
		scmi_dbg_reason(&ph->inst->log, "power: %s:// has no P2A channel",
				ph->inst->tdesc->scheme);
		return -EOPNOTSUPP;
	}
	SCMI_REQ(r, ph);
	if (!scmi_req_is_async(r))
		return power_state_set_wait(h, r, ph, domain, state);
	/*
	 * Non-blocking: nothing can wait here, and the core has no way to
	 * complete a request on a notification.  The request completes when
	 * the platform acknowledges the asynchronous command (as
	 * state_set_async()); POWER_STATE_CHANGED reports the change itself.
	 */
	power_state_set_tx(tx, domain, state, true);
	return scmi_req_run(r, &state_set_msg, tx, sizeof(tx));
}

static int power_state_set_async(const struct scmi_handle *h, uint32_t domain, uint32_t state)
{
	const struct scmi_power_domain_info *d;
	struct scmi_protocol_handle *ph;
	uint8_t tx[12];
	int ret = power_set_check(h, domain, state, &ph, &d);

	if (ret)
		return ret;
	if (!d->state_set_async) {
		scmi_dbg_reason(&ph->inst->log, "power: domain %u has no async state change",
				domain);
		return -EOPNOTSUPP;
	}
	SCMI_REQ(r, ph);
	power_state_set_tx(tx, domain, state, true);
	return scmi_req_run(r, &state_set_msg, tx, sizeof(tx));
}

/* POWER_STATE_GET as a request: the state word is the caller's output. */
static const struct scmi_req_msg state_get_msg = {
	.msg_id = POWER_STATE_GET,
	.rx_min = 4,
	.decode = scmi_req_decode_u32,
};

static int power_state_get(const struct scmi_handle *h, uint32_t domain, uint32_t *state)
{
	const struct scmi_power_domain_info *d;
	struct scmi_protocol_handle *ph;
	uint8_t tx[4];
	int ret;

	if (!state)
		return -EINVAL;
	ret = power_domain(h, domain, true, &ph, &d);
	if (ret)
		return ret;
	SCMI_REQ(r, ph);
	SCMI_REQ_CTX(r, struct scmi_req_u32)->out = state;
	scmi_put_le32(tx, domain);
	return scmi_req_run(r, &state_get_msg, tx, sizeof(tx));
}

static const struct scmi_power_ops power_ops = {
	.count_get = power_count_get,
	.protocol_info_get = power_info_get,
	.info_get = power_domain_info_get,
	.name_get = power_name_get,
	.state_set = power_state_set,
	.state_set_async = power_state_set_async,
	.state_get = power_state_get,
};

const struct scmi_protocol scmi_power_protocol = {
	.id = SCMI_PROTOCOL_POWER,
	.supported_version = SCMI_PROTO_VERSION(3, 1),
	.ops_offset = offsetof(struct scmi_handle, power_ops),
	.ops = &power_ops,
	.init = power_init,
	.deinit = power_deinit,
	.domains = power_domains,
};
