// SPDX-License-Identifier: BSD-3-Clause
/*
 * Vendor protocols (include/scmi/protocol.h, docs/VENDOR.md): the global
 * registry of implementations, their binding to a handle at scmi_open(),
 * and the public form of the helpers the standard protocols use.
 *
 * A registered implementation gets an internal struct scmi_protocol of its
 * own (in its registry entry), whose init/deinit/domains call the
 * implementation's.  scmi_open() binds, after Base discovery, one
 * implementation per vendor protocol the platform lists and whose
 * identity matches, into a slot of the handle's vendor table
 * (inst->vendor): from then on scmi_protocol_acquire() finds it there
 * (lib/handle.c, proto_slot()) and brings it up like a standard protocol.
 * The table is fixed before the handle is published and never changes.
 *
 * Registry entries stay until unregistered, which is refused while a
 * handle bound them (users > 0): the implementation's code and descriptor
 * outlive every handle using them.
 *
 * The public descriptors (struct scmi_ph_msg, scmi_ph_iter, scmi_ph_events
 * ...) have the members of the internal ones, in the same order and of
 * the same types, checked below; they are read-only once defined, and
 * handed to the core as the internal types, as struct scmi_req's private
 * bytes are.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include <scmi/protocol.h>

#include "entry.h"
#include "notify.h"
#include "protocols.h"
#include "quirks.h"
#include "request.h"
#include "trace.h"
#include "vendor.h"

/* ---- the public descriptors are the internal ones ---------------------------- */

#define SAME_MEMBER(pub, in, mp, mi)                                                          \
	_Static_assert(offsetof(struct pub, mp) == offsetof(struct in, mi) &&                 \
			       sizeof(((struct pub *)0)->mp) == sizeof(((struct in *)0)->mi), \
		       #pub "." #mp " differs from " #in "." #mi)

_Static_assert(sizeof(struct scmi_ph_msg) == sizeof(struct scmi_req_msg), "scmi_ph_msg");
SAME_MEMBER(scmi_ph_msg, scmi_req_msg, msg_id, msg_id);
SAME_MEMBER(scmi_ph_msg, scmi_req_msg, flags, flags);
SAME_MEMBER(scmi_ph_msg, scmi_req_msg, rx_min, rx_min);
SAME_MEMBER(scmi_ph_msg, scmi_req_msg, encode, encode);
SAME_MEMBER(scmi_ph_msg, scmi_req_msg, decode, decode);
_Static_assert(sizeof(struct scmi_ph_iter) == sizeof(struct scmi_iter_desc), "scmi_ph_iter");
SAME_MEMBER(scmi_ph_iter, scmi_iter_desc, msg_id, msg_id);
SAME_MEMBER(scmi_ph_iter, scmi_iter_desc, tx_size, tx_size);
SAME_MEMBER(scmi_ph_iter, scmi_iter_desc, max_entries, max_entries);
SAME_MEMBER(scmi_ph_iter, scmi_iter_desc, ops, ops);
_Static_assert(sizeof(struct scmi_ph_iter_ops) == sizeof(struct scmi_iter_ops), "iter_ops");
SAME_MEMBER(scmi_ph_iter_ops, scmi_iter_ops, prepare, prepare);
SAME_MEMBER(scmi_ph_iter_ops, scmi_iter_ops, update, update);
SAME_MEMBER(scmi_ph_iter_ops, scmi_iter_ops, entry, entry);
_Static_assert(sizeof(struct scmi_ph_event) == sizeof(struct scmi_event), "scmi_ph_event");
SAME_MEMBER(scmi_ph_event, scmi_event, id, id);
SAME_MEMBER(scmi_ph_event, scmi_event, max_payld_sz, max_payld_sz);
SAME_MEMBER(scmi_ph_event, scmi_event, max_report_sz, max_report_sz);
_Static_assert(sizeof(struct scmi_ph_event_ops) == sizeof(struct scmi_event_ops), "event_ops");
SAME_MEMBER(scmi_ph_event_ops, scmi_event_ops, set_notify_enabled, set_notify_enabled);
SAME_MEMBER(scmi_ph_event_ops, scmi_event_ops, fill_report, fill_report);
_Static_assert(sizeof(struct scmi_ph_events) == sizeof(struct scmi_protocol_events), "events");
SAME_MEMBER(scmi_ph_events, scmi_protocol_events, ops, ops);
SAME_MEMBER(scmi_ph_events, scmi_protocol_events, evts, evts);
SAME_MEMBER(scmi_ph_events, scmi_protocol_events, num_events, num_events);

_Static_assert(SCMI_PH_REQ_CTX_SIZE <= SCMI_REQ_CTX_SIZE, "SCMI_PH_REQ_CTX_SIZE");
_Static_assert(SCMI_PH_TX_INLINE == SCMI_REQ_TX_INLINE, "SCMI_PH_TX_INLINE");
_Static_assert(SCMI_PH_MSG_DRESP == SCMI_REQ_DRESP, "SCMI_PH_MSG_DRESP");
_Static_assert(SCMI_PH_AGAIN == SCMI_REQ_AGAIN, "SCMI_PH_AGAIN");
_Static_assert(SCMI_PH_DOMAIN_ALWAYS_USABLE == SCMI_DOMAIN_ALWAYS_USABLE, "ALWAYS_USABLE");
_Static_assert(sizeof(((struct scmi_ph_fastchannel *)0)->priv_) >=
			       sizeof(struct scmi_fastchannel) &&
		       _Alignof(struct scmi_ph_fastchannel) >= _Alignof(struct scmi_fastchannel),
	       "struct scmi_ph_fastchannel too small");
_Static_assert(sizeof(struct scmi_ph_call) >= sizeof(struct scmi_frame) &&
		       _Alignof(struct scmi_ph_call) >= _Alignof(struct scmi_frame),
	       "struct scmi_ph_call too small for a frame");

/* ---- the registry ------------------------------------------------------------ */

struct vendor_reg {
	struct scmi_protocol proto; /* what a handle's slot points to */
	const struct scmi_vendor_protocol *desc;
	unsigned int users; /* handles that bound it (registry lock) */
	struct vendor_reg *next;
};

/* One bound vendor protocol on a handle. */
struct vendor_slot {
	struct scmi_protocol_slot slot;
	struct vendor_reg *reg;
	struct scmi_ph_domains domains; /* set by init(), read-only after */
};

struct scmi_vendor_instance {
	size_t n;
	struct vendor_slot slots[];
};

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static struct vendor_reg *registry; /* registration order */

static struct vendor_reg *reg_of(const struct scmi_protocol_handle *ph)
{
	return container_of(ph->proto, struct vendor_reg, proto);
}

static struct vendor_slot *vslot_of(const struct scmi_protocol_handle *ph)
{
	return container_of(ph, struct vendor_slot, slot.ph);
}

static int vendor_init(struct scmi_protocol_handle *ph)
{
	const struct scmi_vendor_protocol *d = reg_of(ph)->desc;

	return d->init ? d->init(ph) : 0;
}

static void vendor_deinit(struct scmi_protocol_handle *ph)
{
	const struct scmi_vendor_protocol *d = reg_of(ph)->desc;

	if (d->deinit)
		d->deinit(ph);
}

static void vendor_domains(const struct scmi_protocol_handle *ph, struct scmi_domain_table *t)
{
	const struct scmi_ph_domains *d = &vslot_of(ph)->domains;

	t->what = d->what;
	t->base = d->base;
	t->stride = d->stride;
	t->count = d->base ? d->count : 0;
	t->usable_off = d->usable_off;
}

static const char *scmi_vendor_name(const struct scmi_protocol_handle *ph)
{
	const char *name = reg_of(ph)->desc->name;

	return name ? name : "vendor";
}

/* Is @ph a vendor protocol's (not a standard one's)? */
static bool ph_is_vendor(const struct scmi_protocol_handle *ph)
{
	return ph && ph->proto && ph->proto->init == vendor_init;
}

int scmi_vendor_protocol_register(const struct scmi_vendor_protocol *p)
{
	struct vendor_reg *e, **pp;
	int ret = 0;

	if (!p || p->id < SCMI_PROTOCOL_VENDOR_FIRST || !p->ops || !p->supported_version ||
	    (p->impl_ver_max && p->impl_ver_max < p->impl_ver_min))
		return -EINVAL;
	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->desc = p;
	e->proto = (struct scmi_protocol){
		.id = p->id,
		.supported_version = p->supported_version,
		.ops_offset = 0, /* no member of struct scmi_handle: scmi_vendor_ops() */
		.ops = p->ops,
		.init = vendor_init,
		.deinit = vendor_deinit,
		.domains = vendor_domains,
	};
	pthread_mutex_lock(&registry_lock);
	for (pp = &registry; *pp; pp = &(*pp)->next) {
		if ((*pp)->desc == p) {
			ret = -EEXIST;
			break;
		}
	}
	if (!ret)
		*pp = e;
	pthread_mutex_unlock(&registry_lock);
	if (ret)
		free(e);
	return ret;
}

int scmi_vendor_protocol_unregister(const struct scmi_vendor_protocol *p)
{
	struct vendor_reg *e, **pp;
	int ret = -ENOENT;

	if (!p)
		return -EINVAL;
	pthread_mutex_lock(&registry_lock);
	for (pp = &registry; (e = *pp); pp = &e->next) {
		if (e->desc != p)
			continue;
		if (e->users) {
			ret = -EBUSY;
		} else {
			*pp = e->next;
			free(e);
			ret = 0;
		}
		break;
	}
	pthread_mutex_unlock(&registry_lock);
	return ret;
}

static bool reg_matches(const struct vendor_reg *e, uint8_t id,
			const struct scmi_revision_info *rev)
{
	const struct scmi_vendor_protocol *d = e->desc;
	uint32_t max = d->impl_ver_max || d->impl_ver_min ? d->impl_ver_max : UINT32_MAX;

	return d->id == id &&
	       scmi_identity_match(rev, d->vendor, d->sub_vendor, d->impl_ver_min, max);
}

int scmi_vendor_bind(struct scmi_instance *inst)
{
	const struct scmi_revision_info *rev = &inst->rev;
	struct scmi_vendor_instance *vi;
	size_t n = 0;

	for (unsigned int i = 0; i < rev->num_protocols; i++)
		if (rev->protocols[i].id >= SCMI_PROTOCOL_VENDOR_FIRST)
			n++;
	if (!n)
		return 0;
	vi = calloc(1, sizeof(*vi) + n * sizeof(vi->slots[0]));
	if (!vi)
		return -ENOMEM;
	pthread_mutex_lock(&registry_lock);
	for (unsigned int i = 0; i < rev->num_protocols; i++) {
		uint8_t id = rev->protocols[i].id;
		struct vendor_slot *vs;
		struct vendor_reg *e;

		if (id < SCMI_PROTOCOL_VENDOR_FIRST)
			continue;
		for (e = registry; e && !reg_matches(e, id, rev); e = e->next)
			;
		if (!e)
			continue;
		/* A platform listing an id twice binds it once. */
		if (scmi_vendor_slot(inst, id))
			continue;
		e->users++;
		vs = &vi->slots[vi->n];
		vs->reg = e;
		vs->domains.usable_off = SCMI_PH_DOMAIN_ALWAYS_USABLE;
		vs->slot.proto = &e->proto;
		pthread_mutex_init(&vs->slot.lock, NULL);
		atomic_init(&vs->slot.up, false);
		vs->slot.ph.inst = inst;
		vs->slot.ph.handle = &inst->handle;
		vs->slot.ph.proto = &e->proto;
		vs->slot.ph.id = id;
		vi->n++;
		/* Visible to scmi_vendor_slot() for the duplicate check. */
		inst->vendor = vi;
		scmi_info(&inst->log, "vendor protocol 0x%x: %s bound", id,
			  e->desc->name ? e->desc->name : "(unnamed)");
	}
	pthread_mutex_unlock(&registry_lock);
	if (!vi->n)
		free(vi);
	return 0;
}

struct scmi_protocol_slot *scmi_vendor_slot(struct scmi_instance *inst, uint8_t id)
{
	struct scmi_vendor_instance *vi = inst->vendor;

	if (!vi || id < SCMI_PROTOCOL_VENDOR_FIRST)
		return NULL;
	for (size_t i = 0; i < vi->n; i++)
		if (vi->slots[i].slot.ph.id == id)
			return &vi->slots[i].slot;
	return NULL;
}

void scmi_vendor_instance_free(struct scmi_instance *inst)
{
	struct scmi_vendor_instance *vi = inst->vendor;

	if (!vi)
		return;
	for (size_t i = vi->n; i-- > 0;) {
		struct vendor_slot *vs = &vi->slots[i];

		if (atomic_load(&vs->slot.up))
			vendor_deinit(&vs->slot.ph);
		pthread_mutex_destroy(&vs->slot.lock);
	}
	pthread_mutex_lock(&registry_lock);
	for (size_t i = 0; i < vi->n; i++)
		vi->slots[i].reg->users--;
	pthread_mutex_unlock(&registry_lock);
	inst->vendor = NULL;
	free(vi);
}

static struct vendor_slot *vslot_find(const struct scmi_handle *h, uint8_t id)
{
	struct scmi_protocol_slot *s;

	if (!h)
		return NULL;
	s = scmi_vendor_slot(scmi_inst(h), id);
	return s ? container_of(s, struct vendor_slot, slot) : NULL;
}

const void *scmi_vendor_ops(const struct scmi_handle *h, uint8_t id)
{
	struct vendor_slot *vs = vslot_find(h, id);

	return vs ? vs->reg->desc->ops : NULL;
}

const struct scmi_vendor_protocol *scmi_vendor_protocol_get(const struct scmi_handle *h, uint8_t id)
{
	struct vendor_slot *vs = vslot_find(h, id);

	return vs ? vs->reg->desc : NULL;
}

/* ---- entering an op ------------------------------------------------------------- */

static struct scmi_frame *frame_of(struct scmi_ph_call *call)
{
	return (struct scmi_frame *)(void *)call->priv_;
}

int scmi_ph_enter(const struct scmi_handle *h, uint8_t id, struct scmi_ph_call *call,
		  struct scmi_protocol_handle **ph)
{
	int ret;

	if (!h || !call || !ph || id < SCMI_PROTOCOL_VENDOR_FIRST)
		return -EINVAL;
	ret = scmi_call_enter(h, frame_of(call));
	if (ret)
		return ret;
	ret = scmi_protocol_acquire(h, id, ph);
	if (!ret && !ph_is_vendor(*ph))
		ret = -EOPNOTSUPP;
	if (ret)
		scmi_call_leave(frame_of(call));
	return ret;
}

int scmi_ph_domain_enter(const struct scmi_handle *h, uint8_t id, uint32_t dom_id, bool usable,
			 struct scmi_ph_call *call, struct scmi_protocol_handle **ph,
			 const void **dom)
{
	int ret;

	if (!dom)
		return -EINVAL;
	ret = scmi_ph_enter(h, id, call, ph);
	if (ret)
		return ret;
	ret = scmi_ph_domain_get(*ph, dom_id, usable, dom);
	if (ret)
		scmi_ph_leave(call);
	return ret;
}

void scmi_ph_leave(struct scmi_ph_call *call)
{
	if (call)
		scmi_call_leave(frame_of(call));
}

/* ---- the protocol handle ------------------------------------------------------------ */

const struct scmi_handle *scmi_ph_handle(const struct scmi_protocol_handle *ph)
{
	return ph->handle;
}

uint8_t scmi_ph_id(const struct scmi_protocol_handle *ph)
{
	return ph->id;
}

uint32_t scmi_ph_version(const struct scmi_protocol_handle *ph)
{
	return ph->version;
}

uint32_t scmi_ph_platform_version(const struct scmi_protocol_handle *ph)
{
	return ph->platform_version;
}

void *scmi_ph_priv(const struct scmi_protocol_handle *ph)
{
	return ph->priv;
}

void scmi_ph_set_priv(struct scmi_protocol_handle *ph, void *priv)
{
	ph->priv = priv;
}

bool scmi_ph_has_p2a(const struct scmi_protocol_handle *ph)
{
	return scmi_proto_has_p2a(ph);
}

size_t scmi_ph_max_tx_size(const struct scmi_protocol_handle *ph)
{
	return scmi_proto_max_tx_size(ph);
}

void scmi_ph_log(const struct scmi_protocol_handle *ph, enum scmi_log_level level, const char *fmt,
		 ...)
{
	va_list ap;

	va_start(ap, fmt);
	scmi_logv(&ph->inst->log, level, fmt, ap);
	va_end(ap);
}

void scmi_ph_refuse(const struct scmi_protocol_handle *ph, const char *fmt, ...)
{
	char buf[SCMI_ERROR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	scmi_dbg_reason(&ph->inst->log, "%s", buf);
}

/* ---- domains --------------------------------------------------------------------- */

int scmi_ph_domains_set(struct scmi_protocol_handle *ph, const struct scmi_ph_domains *t)
{
	if (!ph_is_vendor(ph) || !t || (t->count && (!t->base || !t->stride)))
		return -EINVAL;
	vslot_of(ph)->domains = *t;
	return 0;
}

/* The lookup of scmi_domain_get() (lib/protocols/common.c) on the table
 * the protocol published, without acquiring the protocol again: callable
 * from init() too (which holds the slot's bring-up lock). */
int scmi_ph_domain_get(const struct scmi_protocol_handle *ph, uint32_t id, bool usable,
		       const void **dom)
{
	struct scmi_domain_table t = {0};
	const uint8_t *d;

	if (!ph_is_vendor(ph) || !dom)
		return -EINVAL;
	vendor_domains(ph, &t);
	if (id >= t.count) {
		scmi_dbg_reason(&ph->inst->log, "%s: no %s %u (%u in all)", scmi_vendor_name(ph),
				t.what ? t.what : "domain", id, t.count);
		return -EINVAL;
	}
	d = (const uint8_t *)t.base + (size_t)id * t.stride;
	if (usable && t.usable_off != SCMI_DOMAIN_ALWAYS_USABLE &&
	    !*(const bool *)(d + t.usable_off)) {
		scmi_dbg_reason(&ph->inst->log, "%s: %s %u was disabled at discovery",
				scmi_vendor_name(ph), t.what ? t.what : "domain", id);
		return -EPROTO;
	}
	*dom = d;
	return 0;
}

int scmi_ph_domain_count(const struct scmi_protocol_handle *ph)
{
	struct scmi_domain_table t = {0};

	if (!ph_is_vendor(ph))
		return -EINVAL;
	vendor_domains(ph, &t);
	return (int)t.count;
}

/* ---- the request model ---------------------------------------------------------------- */

struct scmi_req *scmi_ph_req_begin(const struct scmi_protocol_handle *ph, struct scmi_req *local)
{
	return scmi_req_begin(ph, local);
}

void *scmi_ph_req_ctx(struct scmi_req *r)
{
	return scmi_req_ctx(r);
}

const struct scmi_protocol_handle *scmi_ph_req_ph(const struct scmi_req *r)
{
	return scmi_req_ph(r);
}

bool scmi_ph_req_is_async(const struct scmi_req *r)
{
	return scmi_req_is_async(r);
}

int scmi_ph_req_run(struct scmi_req *r, const struct scmi_ph_msg *msg, const void *tx,
		    size_t tx_len)
{
	return scmi_req_run(r, (const struct scmi_req_msg *)(const void *)msg, tx, tx_len);
}

int scmi_ph_req_run_len(struct scmi_req *r, const struct scmi_ph_msg *msg, size_t len)
{
	return scmi_req_run_len(r, (const struct scmi_req_msg *)(const void *)msg, len);
}

int scmi_ph_req_next(struct scmi_req *r, const struct scmi_ph_msg *msg, const void *tx,
		     size_t tx_len)
{
	return scmi_req_next(r, (const struct scmi_req_msg *)(const void *)msg, tx, tx_len);
}

int scmi_ph_req_walk(struct scmi_req *r, const struct scmi_ph_iter *desc, void *priv,
		     int (*finish)(struct scmi_req *r, int ret, unsigned int total))
{
	return scmi_req_walk(r, (const struct scmi_iter_desc *)(const void *)desc, priv, finish);
}

/* ---- blocking helpers ------------------------------------------------------------------- */

int scmi_ph_cmd(const struct scmi_protocol_handle *ph, uint8_t msg_id, const void *tx,
		size_t tx_len, void *rx, size_t rx_min, size_t rx_max, size_t *rx_len)
{
	if ((tx_len && !tx) || (rx_max && !rx))
		return -EINVAL;
	return scmi_common_cmd(ph, msg_id, tx, tx_len, rx, rx_min, rx_max, rx_len);
}

int scmi_ph_cmd_async(const struct scmi_protocol_handle *ph, uint8_t msg_id, const void *tx,
		      size_t tx_len, void *rx, size_t rx_min, size_t rx_max, size_t *rx_len)
{
	if ((tx_len && !tx) || (rx_max && !rx))
		return -EINVAL;
	return scmi_common_cmd_async(ph, msg_id, tx, tx_len, rx, rx_min, rx_max, rx_len);
}

int scmi_ph_attributes(const struct scmi_protocol_handle *ph, void *buf, size_t min, size_t size)
{
	if (size && !buf)
		return -EINVAL;
	return scmi_common_attributes(ph, buf, min, size);
}

int scmi_ph_msg_attributes(const struct scmi_protocol_handle *ph, uint8_t msg_id,
			   uint32_t *attributes)
{
	return scmi_common_msg_attributes(ph, msg_id, attributes);
}

bool scmi_ph_msg_supported(const struct scmi_protocol_handle *ph, uint8_t msg_id)
{
	return scmi_common_msg_supported(ph, msg_id);
}

int scmi_ph_ext_name_get(const struct scmi_protocol_handle *ph, uint8_t msg_id, uint32_t res_id,
			 const uint32_t *flags, char *name, size_t size)
{
	if (!name || !size)
		return -EINVAL;
	return scmi_common_ext_name_get(ph, msg_id, res_id, flags, name, size);
}

int scmi_ph_iter_run(const struct scmi_protocol_handle *ph, const struct scmi_ph_iter *desc,
		     void *priv, unsigned int *total)
{
	if (!desc || !desc->ops || !desc->ops->prepare || !desc->ops->update || !desc->ops->entry)
		return -EINVAL;
	return scmi_common_iter_run(ph, (const struct scmi_iter_desc *)(const void *)desc, priv,
				    total);
}

bool scmi_ph_bad_answer(int ret)
{
	return scmi_common_bad_answer(ret);
}

int scmi_ph_notify_cmd(const struct scmi_protocol_handle *ph, uint8_t msg_id, uint32_t res_id,
		       bool enable)
{
	return scmi_common_notify_cmd(ph, msg_id, res_id, enable);
}

/* ---- fastchannels ------------------------------------------------------------------------ */

static struct scmi_fastchannel *fc_of(struct scmi_ph_fastchannel *fc)
{
	return (struct scmi_fastchannel *)(void *)fc->priv_.bytes;
}

static const struct scmi_fastchannel *cfc_of(const struct scmi_ph_fastchannel *fc)
{
	return (const struct scmi_fastchannel *)(const void *)fc->priv_.bytes;
}

int scmi_ph_fastchannel_init(const struct scmi_protocol_handle *ph, uint8_t describe_msg_id,
			     uint32_t domain, uint8_t msg_id, size_t size,
			     struct scmi_ph_fastchannel *fc)
{
	if (!fc)
		return -EINVAL;
	memset(fc, 0, sizeof(*fc));
	if (size != 4 && size != 8)
		return -EINVAL;
	return scmi_fastchannel_init(ph, describe_msg_id, domain, msg_id, size, fc_of(fc));
}

bool scmi_ph_fastchannel_mapped(const struct scmi_ph_fastchannel *fc)
{
	return fc && cfc_of(fc)->chan;
}

void scmi_ph_fastchannel_release(const struct scmi_protocol_handle *ph,
				 struct scmi_ph_fastchannel *fc)
{
	if (fc)
		scmi_fastchannel_release(ph, fc_of(fc));
}

uint32_t scmi_ph_fastchannel_read32(const struct scmi_ph_fastchannel *fc, size_t off)
{
	return scmi_fastchannel_read32(cfc_of(fc), off);
}

void scmi_ph_fastchannel_write32(const struct scmi_ph_fastchannel *fc, size_t off, uint32_t val)
{
	scmi_fastchannel_write32(cfc_of(fc), off, val);
}

void scmi_ph_fastchannel_ring_doorbell(const struct scmi_ph_fastchannel *fc)
{
	scmi_fastchannel_ring_doorbell(cfc_of(fc));
}

void scmi_ph_fastchannel_trace(const struct scmi_protocol_handle *ph, uint8_t msg_id,
			       uint32_t res_id, uint32_t val1, uint32_t val2)
{
	if (scmi_tracing(ph->inst))
		scmi_trace_fc_call(ph->inst, ph->id, msg_id, res_id, val1, val2);
}

/* ---- events ------------------------------------------------------------------------------- */

int scmi_ph_events_register(const struct scmi_protocol_handle *ph, const struct scmi_ph_events *ee,
			    unsigned int num_sources)
{
	if (!ph_is_vendor(ph) || !ee)
		return -EINVAL;
	return scmi_notify_protocol_register(
		ph, (const struct scmi_protocol_events *)(const void *)ee, num_sources);
}
