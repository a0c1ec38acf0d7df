// SPDX-License-Identifier: BSD-3-Clause
/*
 * Pin control protocol (0x19), spec digest §6.10 with §4 (multi-part
 * LIST_ASSOCIATIONS and SETTINGS_GET) and §5 (PINCTRL_NAME_GET).
 *
 * Discovery at first use reads every element's attributes, extended name
 * and associations into an immutable cache (no lock needed to read it).
 * Commands then only carry settings, function selects and ownership.  An
 * element the platform describes badly (attributes refused or malformed,
 * more elements than exist, a bad association list) is disabled, not the
 * protocol: usable = false, its ops return -EPROTO (docs/PROTOCOLS.md,
 * "Leniency").
 *
 * Unverified items (digest §9), handled conservatively:
 * - SETTINGS_GET config flag 2 ("function only"): never sent; the selected
 *   function is read from an "all configs" reply instead, whose layout is
 *   confirmed.
 * - PINCTRL_SET_PERMISSIONS (0xA): its layout is unknown, so it is not
 *   implemented (see the public header).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <scmi/protocols/pinctrl.h>

#include "../protocols.h"

#define PINCTRL_ATTRIBUTES	   0x3
#define PINCTRL_LIST_ASSOCIATIONS  0x4
#define PINCTRL_SETTINGS_GET	   0x5
#define PINCTRL_SETTINGS_CONFIGURE 0x6
#define PINCTRL_REQUEST		   0x7
#define PINCTRL_RELEASE		   0x8
#define PINCTRL_NAME_GET	   0x9

#define PINCTRL_NUM_TYPES 3

/* PROTOCOL_ATTRIBUTES */
#define PINCTRL_NUM_PINS(lo)	  ((lo)&0xffffu)
#define PINCTRL_NUM_GROUPS(lo)	  ((lo) >> 16)
#define PINCTRL_NUM_FUNCTIONS(hi) ((hi)&0xffffu)

/* PINCTRL_ATTRIBUTES */
#define PINCTRL_EXT_NAME     (1u << 31)
#define PINCTRL_NUM_ELEMS(a) ((a)&0xffffu)
#define PINCTRL_ATTR_RX_SIZE (4 + SCMI_SHORT_NAME_MAX_SIZE)

/* LIST_ASSOCIATIONS reply flags */
#define PINCTRL_ASSOC_RETURNED(f)  ((f)&0xfffu)
#define PINCTRL_ASSOC_REMAINING(f) ((f) >> 16)

/* SETTINGS_GET attributes and reply */
#define PINCTRL_GET_FLAG_SHIFT	     18
#define PINCTRL_GET_SELECTOR_SHIFT   16
#define PINCTRL_GET_SKIP_SHIFT	     8
#define PINCTRL_GET_ONE		     0u
#define PINCTRL_GET_ALL		     1u
#define PINCTRL_CONFIGS_RETURNED(n)  ((n)&0xffu)
#define PINCTRL_CONFIGS_REMAINING(n) ((n) >> 24)
#define PINCTRL_GET_HDR_SIZE	     8 /* function_selected, num_configs */
#define PINCTRL_PAIR_SIZE	     8

/* SETTINGS_CONFIGURE */
#define PINCTRL_CONF_FUNCTION_VALID (1u << 10)
#define PINCTRL_CONF_NUM_SHIFT	    2
#define PINCTRL_CONF_NUM_MAX	    0xffu
#define PINCTRL_CONF_HDR_SIZE	    12

#define PINCTRL_CONF_STD_LAST SCMI_PINCTRL_CONF_SLEW_RATE

struct pinctrl_priv {
	unsigned int count[PINCTRL_NUM_TYPES];
	struct scmi_pinctrl_info *info[PINCTRL_NUM_TYPES];
	/* Association ids of every group, then every function. */
	uint32_t *elems;
	/* SETTINGS_CONFIGURE pairs one message carries. */
	unsigned int configs_per_msg;
};

static const char *const pinctrl_type_names[PINCTRL_NUM_TYPES] = {"pin", "group", "function"};

const char *scmi_pinctrl_type_name(enum scmi_pinctrl_selector_type type)
{
	return (unsigned int)type < PINCTRL_NUM_TYPES ? pinctrl_type_names[type] : "unknown";
}

/* ---- discovery ------------------------------------------------------------- */

/*
 * Discovering element (@type, @id) failed with @ret.  What the platform
 * said about it (a refusal, a malformed or bad description) disables it
 * alone, with a warning: returns 0.  No answer at all fails the bring-up
 * (retried on the next call): returns @ret.
 */
static int pinctrl_elem_bad(const struct scmi_protocol_handle *ph, struct scmi_pinctrl_info *info,
			    enum scmi_pinctrl_selector_type type, uint32_t id, int ret)
{
	info->usable = false;
	info->num_elems = 0;
	info->elems = NULL;
	if (!scmi_common_bad_answer(ret))
		return ret;
	scmi_warn(&ph->inst->log, "pinctrl: %s %u disabled: %s", pinctrl_type_names[type], id,
		  scmi_strerror(ret));
	return 0;
}

/* PINCTRL_ATTRIBUTES of one element, and its extended name. */
static int pinctrl_elem_discover(const struct scmi_protocol_handle *ph, struct pinctrl_priv *p,
				 enum scmi_pinctrl_selector_type type, uint32_t id)
{
	struct scmi_pinctrl_info *info = &p->info[type][id];
	uint8_t tx[8], rx[PINCTRL_ATTR_RX_SIZE];
	uint32_t attrs, flags = type;
	unsigned int limit;
	int ret;

	scmi_put_le32(tx, id);
	scmi_put_le32(tx + 4, flags);
	ret = scmi_common_cmd(ph, PINCTRL_ATTRIBUTES, tx, sizeof(tx), rx, sizeof(rx), sizeof(rx),
			      NULL);
	if (ret)
		return pinctrl_elem_bad(ph, info, type, id, ret);
	attrs = scmi_get_le32(rx);
	/* A full 16-byte field has no NUL: at most 15 characters (§5). */
	scmi_copy_name(info->name, SCMI_SHORT_NAME_MAX_SIZE, rx + 4, SCMI_SHORT_NAME_MAX_SIZE);
	info->extended_name = attrs & PINCTRL_EXT_NAME;
	/* Pins have no elements: whatever the field says is not used. */
	if (type != SCMI_PINCTRL_PIN) {
		info->num_elems = PINCTRL_NUM_ELEMS(attrs);
		/* Associations never repeat an id: a group has at most every
		 * pin, a function at most every group. */
		limit = p->count[type == SCMI_PINCTRL_GROUP ? SCMI_PINCTRL_PIN
							    : SCMI_PINCTRL_GROUP];
		if (info->num_elems > limit) {
			scmi_warn(&ph->inst->log,
				  "pinctrl: %s %u claims %u elements, only %u exist",
				  pinctrl_type_names[type], id, info->num_elems, limit);
			return pinctrl_elem_bad(ph, info, type, id, -EPROTO);
		}
	}
	if (info->extended_name)
		scmi_common_ext_name_get(ph, PINCTRL_NAME_GET, id, &flags, info->name,
					 sizeof(info->name));
	info->usable = true;
	return 0;
}

/* One LIST_ASSOCIATIONS walk. */
struct pinctrl_assoc_walk {
	const struct scmi_protocol_handle *ph;
	uint32_t id;
	uint32_t type;	  /* group or function */
	unsigned int max; /* ids of the target type */
	uint32_t *dst;	  /* num_elems slots */
	unsigned int n;	  /* slots written */
	uint8_t *seen;	  /* bitmap over the target ids, all clear */
};

static void pinctrl_assoc_prepare(void *tx, unsigned int index, void *priv)
{
	const struct pinctrl_assoc_walk *w = priv;

	scmi_put_le32(tx, w->id);
	scmi_put_le32((uint8_t *)tx + 4, w->type);
	scmi_put_le32((uint8_t *)tx + 8, index);
}

static int pinctrl_assoc_update(const uint8_t *rx, size_t rx_len, unsigned int *returned,
				unsigned int *remaining, size_t *entries_off, void *priv)
{
	const struct pinctrl_assoc_walk *w = priv;
	uint32_t flags;

	if (rx_len < 4)
		return -EPROTO;
	flags = scmi_get_le32(rx);
	*returned = PINCTRL_ASSOC_RETURNED(flags);
	*remaining = PINCTRL_ASSOC_REMAINING(flags);
	/* u16 ids, two per word: the list is padded to a word boundary. */
	if (rx_len < 4 + 4 * (size_t)DIV_ROUND_UP(*returned, 2)) {
		scmi_warn(&w->ph->inst->log,
			  "pinctrl: %s %u: %zu-byte association reply for %u ids (padded to %u)",
			  pinctrl_type_names[w->type], w->id, rx_len, *returned,
			  4 * DIV_ROUND_UP(*returned, 2));
		return -EPROTO;
	}
	*entries_off = 4;
	return 0;
}

static int pinctrl_assoc_entry(const uint8_t *rx, size_t rx_len, size_t *off, unsigned int index,
			       unsigned int i, void *priv)
{
	struct pinctrl_assoc_walk *w = priv;
	uint16_t v;

	(void)i;
	if (*off + 2 > rx_len)
		return -EPROTO;
	v = scmi_get_le16(rx + *off);
	*off += 2;
	if (v >= w->max || (w->seen[v / 8] & (1u << (v % 8)))) {
		scmi_warn(&w->ph->inst->log, "pinctrl: %s %u lists %s id %u (%s)",
			  pinctrl_type_names[w->type], w->id,
			  w->type == SCMI_PINCTRL_GROUP ? "pin" : "group", v,
			  v >= w->max ? "out of range" : "twice");
		return -EPROTO;
	}
	w->seen[v / 8] |= (uint8_t)(1u << (v % 8));
	w->dst[index] = v;
	w->n = index + 1;
	return 0;
}

static const struct scmi_iter_ops pinctrl_assoc_ops = {
	.prepare = pinctrl_assoc_prepare,
	.update = pinctrl_assoc_update,
	.entry = pinctrl_assoc_entry,
};

static int pinctrl_assoc_discover(const struct scmi_protocol_handle *ph, struct pinctrl_priv *p,
				  enum scmi_pinctrl_selector_type type, uint32_t id, uint32_t *dst,
				  uint8_t *seen)
{
	struct scmi_pinctrl_info *info = &p->info[type][id];
	struct pinctrl_assoc_walk w = {
		.ph = ph,
		.id = id,
		.type = type,
		.max = p->count[type == SCMI_PINCTRL_GROUP ? SCMI_PINCTRL_PIN : SCMI_PINCTRL_GROUP],
		.dst = dst,
		.seen = seen,
	};
	const struct scmi_iter_desc desc = {
		.msg_id = PINCTRL_LIST_ASSOCIATIONS,
		.tx_size = 12,
		.max_entries = info->num_elems,
		.ops = &pinctrl_assoc_ops,
	};
	unsigned int total = 0;
	int ret;

	info->elems = NULL;
	if (!info->num_elems)
		return 0;
	ret = scmi_common_iter_run(ph, &desc, &w, &total);
	/* Leave the bitmap clear for the next walk: only these bits were set
	 * (also by a walk that failed half-way). */
	for (unsigned int i = 0; i < w.n; i++)
		seen[dst[i] / 8] = 0;
	if (ret)
		return pinctrl_elem_bad(ph, info, type, id, ret);
	/* The attributes' count is an upper bound: the ids listed are the
	 * element's. */
	if (total != info->num_elems) {
		scmi_warn(&ph->inst->log,
			  "pinctrl: %s %u lists %u ids, its attributes say %u; using those",
			  pinctrl_type_names[type], id, total, info->num_elems);
		info->num_elems = total;
	}
	info->elems = total ? dst : NULL;
	return 0;
}

static int pinctrl_assocs_discover(const struct scmi_protocol_handle *ph, struct pinctrl_priv *p)
{
	uint64_t total = 0;
	size_t bitmap;
	uint32_t *dst;
	uint8_t *seen;
	int ret = 0;

	/* Up to 2^16 elements of up to 2^16 ids each: no size_t wrap. */
	for (int t = SCMI_PINCTRL_GROUP; t <= SCMI_PINCTRL_FUNCTION; t++)
		for (unsigned int i = 0; i < p->count[t]; i++)
			total += p->info[t][i].num_elems;
	if (total > SIZE_MAX / sizeof(*p->elems))
		return -ENOMEM;
	bitmap = (p->count[SCMI_PINCTRL_PIN] > p->count[SCMI_PINCTRL_GROUP]
			  ? p->count[SCMI_PINCTRL_PIN]
			  : p->count[SCMI_PINCTRL_GROUP]) /
			 8 +
		 1;
	p->elems = calloc(total ? (size_t)total : 1, sizeof(*p->elems));
	seen = calloc(bitmap, 1);
	if (!p->elems || !seen) {
		free(seen);
		return -ENOMEM;
	}
	dst = p->elems;
	for (int t = SCMI_PINCTRL_GROUP; t <= SCMI_PINCTRL_FUNCTION && !ret; t++) {
		for (unsigned int i = 0; i < p->count[t] && !ret; i++) {
			if (!p->info[t][i].usable)
				continue;
			ret = pinctrl_assoc_discover(ph, p, (enum scmi_pinctrl_selector_type)t, i,
						     dst, seen);
			/* A list that came out shorter leaves its tail unused. */
			dst += p->info[t][i].num_elems;
		}
	}
	free(seen);
	return ret;
}

static void pinctrl_priv_free(struct pinctrl_priv *p)
{
	if (!p)
		return;
	for (int t = 0; t < PINCTRL_NUM_TYPES; t++)
		free(p->info[t]);
	free(p->elems);
	free(p);
}

static int pinctrl_init(struct scmi_protocol_handle *ph)
{
	struct pinctrl_priv *p;
	uint8_t rx[8];
	size_t per_msg;
	int ret;

	ret = scmi_common_attributes(ph, rx, sizeof(rx), sizeof(rx));
	if (ret)
		return ret;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->count[SCMI_PINCTRL_PIN] = PINCTRL_NUM_PINS(scmi_get_le32(rx));
	p->count[SCMI_PINCTRL_GROUP] = PINCTRL_NUM_GROUPS(scmi_get_le32(rx));
	p->count[SCMI_PINCTRL_FUNCTION] = PINCTRL_NUM_FUNCTIONS(scmi_get_le32(rx + 4));
	for (int t = 0; t < PINCTRL_NUM_TYPES; t++) {
		p->info[t] = calloc(p->count[t] ? p->count[t] : 1, sizeof(*p->info[t]));
		if (!p->info[t]) {
			pinctrl_priv_free(p);
			return -ENOMEM;
		}
	}
	for (int t = 0; t < PINCTRL_NUM_TYPES && !ret; t++)
		for (unsigned int i = 0; i < p->count[t] && !ret; i++)
			ret = pinctrl_elem_discover(ph, p, (enum scmi_pinctrl_selector_type)t, i);
	if (!ret)
		ret = pinctrl_assocs_discover(ph, p);
	if (ret) {
		pinctrl_priv_free(p);
		return ret;
	}
	per_msg = scmi_proto_max_tx_size(ph);
	per_msg = per_msg > PINCTRL_CONF_HDR_SIZE
			  ? (per_msg - PINCTRL_CONF_HDR_SIZE) / PINCTRL_PAIR_SIZE
			  : 0;
	p->configs_per_msg =
		per_msg > PINCTRL_CONF_NUM_MAX ? PINCTRL_CONF_NUM_MAX : (unsigned int)per_msg;
	scmi_dbg(&ph->inst->log, "pinctrl: %u pins, %u groups, %u functions",
		 p->count[SCMI_PINCTRL_PIN], p->count[SCMI_PINCTRL_GROUP],
		 p->count[SCMI_PINCTRL_FUNCTION]);
	ph->priv = p;
	return 0;
}

static void pinctrl_deinit(struct scmi_protocol_handle *ph)
{
	pinctrl_priv_free(ph->priv);
	ph->priv = NULL;
}

/* ---- argument checks --------------------------------------------------------- */

#define PINCTRL_PIN_OR_GROUP (1u << SCMI_PINCTRL_PIN | 1u << SCMI_PINCTRL_GROUP)
#define PINCTRL_ANY	     (PINCTRL_PIN_OR_GROUP | 1u << SCMI_PINCTRL_FUNCTION)

/* Bring the protocol up and check (@type, @id) against discovery: -EINVAL
 * for an unknown one. */
static int pinctrl_lookup(const struct scmi_handle *h, enum scmi_pinctrl_selector_type type,
			  uint32_t id, unsigned int allowed,
			  const struct scmi_protocol_handle **php, const struct pinctrl_priv **pp)
{
	struct scmi_protocol_handle *ph;
	const struct pinctrl_priv *p;
	int ret;

	ret = scmi_protocol_acquire(h, SCMI_PROTOCOL_PINCTRL, &ph);
	if (ret)
		return ret;
	p = ph->priv;
	if ((unsigned int)type >= PINCTRL_NUM_TYPES || !(allowed & (1u << type))) {
		scmi_dbg_reason(&ph->inst->log, "pinctrl: selector type %d not valid here",
				(int)type);
		return -EINVAL;
	}
	if (id >= p->count[type]) {
		scmi_dbg_reason(&ph->inst->log, "pinctrl: %s %u out of range (%u)",
				pinctrl_type_names[type], id, p->count[type]);
		return -EINVAL;
	}
	*php = ph;
	*pp = p;
	return 0;
}

/* As pinctrl_lookup(), and -EPROTO for an element disabled at discovery. */
static int pinctrl_get(const struct scmi_handle *h, enum scmi_pinctrl_selector_type type,
		       uint32_t id, unsigned int allowed, const struct scmi_protocol_handle **php,
		       const struct pinctrl_priv **pp)
{
	int ret = pinctrl_lookup(h, type, id, allowed, php, pp);

	if (!ret && !(*pp)->info[type][id].usable) {
		scmi_dbg_reason(&(*php)->inst->log, "pinctrl: %s %u was disabled at discovery",
				pinctrl_type_names[type], id);
		return -EPROTO;
	}
	return ret;
}

static bool pinctrl_config_reserved(unsigned int type)
{
	return type > PINCTRL_CONF_STD_LAST && type < SCMI_PINCTRL_CONF_OEM_FIRST;
}

/* A function_selected word from the platform: a known function or none. */
static int pinctrl_check_function(const struct scmi_protocol_handle *ph,
				  const struct pinctrl_priv *p, uint32_t f)
{
	if (f == SCMI_PINCTRL_NO_FUNCTION || f < p->count[SCMI_PINCTRL_FUNCTION])
		return 0;
	scmi_warn(&ph->inst->log, "pinctrl: platform reports unknown function %u selected", f);
	return -EPROTO;
}

/* ---- discovered data ------------------------------------------------------- */

static int pinctrl_count_get(const struct scmi_handle *h, enum scmi_pinctrl_selector_type type)
{
	struct scmi_protocol_handle *ph;
	const struct pinctrl_priv *p;
	int ret;

	ret = scmi_protocol_acquire(h, SCMI_PROTOCOL_PINCTRL, &ph);
	if (ret)
		return ret;
	p = ph->priv;
	if ((unsigned int)type >= PINCTRL_NUM_TYPES)
		return -EINVAL;
	return (int)p->count[type];
}

static int pinctrl_info_get(const struct scmi_handle *h, enum scmi_pinctrl_selector_type type,
			    uint32_t id, const struct scmi_pinctrl_info **info)
{
	const struct scmi_protocol_handle *ph;
	const struct pinctrl_priv *p;
	int ret;

	if (!info)
		return -EINVAL;
	/* A disabled element is described all the same. */
	ret = pinctrl_lookup(h, type, id, PINCTRL_ANY, &ph, &p);
	if (ret)
		return ret;
	*info = &p->info[type][id];
	return 0;
}

static int pinctrl_name_get(const struct scmi_handle *h, enum scmi_pinctrl_selector_type type,
			    uint32_t id, const char **name)
{
	const struct scmi_pinctrl_info *info;
	int ret;

	if (!name)
		return -EINVAL;
	ret = pinctrl_info_get(h, type, id, &info);
	if (!ret)
		*name = info->name;
	return ret;
}

static int pinctrl_id_lookup(const struct scmi_handle *h, enum scmi_pinctrl_selector_type type,
			     const char *name, uint32_t *id)
{
	struct scmi_protocol_handle *ph;
	const struct pinctrl_priv *p;
	int ret;

	/* "" names nothing (an element the platform did not describe has an
	 * empty name). */
	if (!name || !*name || !id || (unsigned int)type >= PINCTRL_NUM_TYPES)
		return -EINVAL;
	ret = scmi_protocol_acquire(h, SCMI_PROTOCOL_PINCTRL, &ph);
	if (ret)
		return ret;
	p = ph->priv;
	for (unsigned int i = 0; i < p->count[type]; i++) {
		if (!strcmp(p->info[type][i].name, name)) {
			*id = i;
			return 0;
		}
	}
	return -ENOENT;
}

static int pinctrl_elems_get(const struct scmi_handle *h, enum scmi_pinctrl_selector_type type,
			     uint32_t id, const uint32_t **elems, unsigned int *nr)
{
	const struct scmi_protocol_handle *ph;
	const struct pinctrl_priv *p;
	int ret;

	if (!elems || !nr)
		return -EINVAL;
	ret = pinctrl_get(h, type, id, 1u << type, &ph, &p);
	if (ret)
		return ret;
	*elems = p->info[type][id].num_elems ? p->info[type][id].elems : NULL;
	*nr = p->info[type][id].num_elems;
	return 0;
}

static int pinctrl_group_pins_get(const struct scmi_handle *h, uint32_t group,
				  const uint32_t **pins, unsigned int *nr_pins)
{
	return pinctrl_elems_get(h, SCMI_PINCTRL_GROUP, group, pins, nr_pins);
}

static int pinctrl_function_groups_get(const struct scmi_handle *h, uint32_t function,
				       const uint32_t **groups, unsigned int *nr_groups)
{
	return pinctrl_elems_get(h, SCMI_PINCTRL_FUNCTION, function, groups, nr_groups);
}

/* ---- settings ------------------------------------------------------------------ */

static uint32_t pinctrl_get_attrs(uint32_t flag, enum scmi_pinctrl_selector_type type,
				  unsigned int skip, unsigned int config_type)
{
	return flag << PINCTRL_GET_FLAG_SHIFT | (uint32_t)type << PINCTRL_GET_SELECTOR_SHIFT |
	       (uint32_t)skip << PINCTRL_GET_SKIP_SHIFT | config_type;
}

/* SETTINGS_GET of one config, or of the selected function: the request's
 * context. */
struct pinctrl_get_ctx {
	const struct pinctrl_priv *p;
	uint32_t *out; /* the value, or the function */
	uint8_t config_type;
};

static int pinctrl_get_one_decode(struct scmi_req *r, int ret, const uint8_t *rx, size_t len)
{
	const struct scmi_protocol_handle *ph = scmi_req_ph(r);
	struct pinctrl_get_ctx *c = SCMI_REQ_CTX(r, struct pinctrl_get_ctx);
	uint32_t num;

	(void)len;
	if (ret)
		return ret;
	ret = pinctrl_check_function(ph, c->p, scmi_get_le32(rx));
	if (ret)
		return ret;
	num = scmi_get_le32(rx + 4);
	if (PINCTRL_CONFIGS_RETURNED(num) != 1 || PINCTRL_CONFIGS_REMAINING(num) ||
	    (scmi_get_le32(rx + 8) & 0xffu) != c->config_type) {
		scmi_warn(&ph->inst->log,
			  "pinctrl: SETTINGS_GET of config %u answered %u+%u configs, type %u",
			  c->config_type, PINCTRL_CONFIGS_RETURNED(num),
			  PINCTRL_CONFIGS_REMAINING(num), scmi_get_le32(rx + 8) & 0xffu);
		return -EPROTO;
	}
	*c->out = scmi_get_le32(rx + 12);
	return 0;
}

static const struct scmi_req_msg pinctrl_get_one_msg = {
	.msg_id = PINCTRL_SETTINGS_GET,
	.rx_min = PINCTRL_GET_HDR_SIZE + PINCTRL_PAIR_SIZE,
	.decode = pinctrl_get_one_decode,
};

static int pinctrl_settings_get_one(const struct scmi_handle *h,
				    enum scmi_pinctrl_selector_type type, uint32_t id,
				    uint8_t config_type, uint32_t *value)
{
	const struct scmi_protocol_handle *ph;
	const struct pinctrl_priv *p;
	struct pinctrl_get_ctx *c;
	uint8_t tx[8];
	int ret;

	if (!value)
		return -EINVAL;
	ret = pinctrl_get(h, type, id, PINCTRL_PIN_OR_GROUP, &ph, &p);
	if (ret)
		return ret;
	if (pinctrl_config_reserved(config_type)) {
		scmi_dbg_reason(&ph->inst->log, "pinctrl: config type %u is reserved", config_type);
		return -EINVAL;
	}
	SCMI_REQ(r, ph);
	c = SCMI_REQ_CTX(r, struct pinctrl_get_ctx);
	c->p = p;
	c->out = value;
	c->config_type = config_type;
	scmi_put_le32(tx, id);
	scmi_put_le32(tx + 4, pinctrl_get_attrs(PINCTRL_GET_ONE, type, 0, config_type));
	return scmi_req_run(r, &pinctrl_get_one_msg, tx, sizeof(tx));
}

/* One SETTINGS_GET "all configs" walk, kept in the request's context (the
 * walk's state handed to the iter callbacks). */
struct pinctrl_configs_walk {
	const struct scmi_protocol_handle *ph;
	const struct pinctrl_priv *p;
	struct scmi_pinctrl_config *configs;
	unsigned int *nr_configs;    /* the caller's: room in, count out */
	uint32_t *function_selected; /* the caller's, or NULL */
	uint32_t id;
	enum scmi_pinctrl_selector_type type;
	unsigned int cap;
	uint32_t function;
	bool have_function;
};

static void pinctrl_configs_prepare(void *tx, unsigned int index, void *priv)
{
	const struct pinctrl_configs_walk *w = priv;

	/* index < 256: the walk is capped at SCMI_PINCTRL_MAX_CONFIGS. */
	scmi_put_le32(tx, w->id);
	scmi_put_le32((uint8_t *)tx + 4, pinctrl_get_attrs(PINCTRL_GET_ALL, w->type, index, 0));
}

static int pinctrl_configs_update(const uint8_t *rx, size_t rx_len, unsigned int *returned,
				  unsigned int *remaining, size_t *entries_off, void *priv)
{
	struct pinctrl_configs_walk *w = priv;
	uint32_t num;
	int ret;

	if (rx_len < PINCTRL_GET_HDR_SIZE)
		return -EPROTO;
	ret = pinctrl_check_function(w->ph, w->p, scmi_get_le32(rx));
	if (ret)
		return ret;
	if (!w->have_function) {
		w->function = scmi_get_le32(rx);
		w->have_function = true;
	}
	num = scmi_get_le32(rx + 4);
	*returned = PINCTRL_CONFIGS_RETURNED(num);
	*remaining = PINCTRL_CONFIGS_REMAINING(num);
	if (rx_len < PINCTRL_GET_HDR_SIZE + PINCTRL_PAIR_SIZE * (size_t)*returned) {
		scmi_warn(&w->ph->inst->log, "pinctrl: %zu-byte SETTINGS_GET reply for %u configs",
			  rx_len, *returned);
		return -EPROTO;
	}
	*entries_off = PINCTRL_GET_HDR_SIZE;
	return 0;
}

static int pinctrl_configs_entry(const uint8_t *rx, size_t rx_len, size_t *off, unsigned int index,
				 unsigned int i, void *priv)
{
	struct pinctrl_configs_walk *w = priv;

	(void)i;
	if (*off + PINCTRL_PAIR_SIZE > rx_len)
		return -EPROTO;
	if (index < w->cap) {
		/* The type is b[7:0] of its word; the rest is reserved. */
		w->configs[index].type = (uint8_t)scmi_get_le32(rx + *off);
		w->configs[index].value = scmi_get_le32(rx + *off + 4);
	}
	*off += PINCTRL_PAIR_SIZE;
	return 0;
}

static const struct scmi_iter_ops pinctrl_configs_ops = {
	.prepare = pinctrl_configs_prepare,
	.update = pinctrl_configs_update,
	.entry = pinctrl_configs_entry,
};

static const struct scmi_iter_desc pinctrl_configs_desc = {
	.msg_id = PINCTRL_SETTINGS_GET,
	.tx_size = 8,
	.max_entries = SCMI_PINCTRL_MAX_CONFIGS,
	.ops = &pinctrl_configs_ops,
};

/* The walk is over: the caller's outputs, written only on success. */
static int pinctrl_configs_finish(struct scmi_req *r, int ret, unsigned int total)
{
	struct pinctrl_configs_walk *w = SCMI_REQ_CTX(r, struct pinctrl_configs_walk);

	if (ret)
		return ret;
	if (w->function_selected)
		*w->function_selected = w->function;
	*w->nr_configs = total;
	return total > w->cap ? -ENOSPC : 0;
}

static int pinctrl_settings_get_all(const struct scmi_handle *h,
				    enum scmi_pinctrl_selector_type type, uint32_t id,
				    struct scmi_pinctrl_config *configs, unsigned int *nr_configs,
				    uint32_t *function_selected)
{
	const struct scmi_protocol_handle *ph;
	const struct pinctrl_priv *p;
	struct pinctrl_configs_walk *w;
	int ret;

	if (!nr_configs || (*nr_configs && !configs))
		return -EINVAL;
	ret = pinctrl_get(h, type, id, PINCTRL_PIN_OR_GROUP, &ph, &p);
	if (ret)
		return ret;
	SCMI_REQ(r, ph);
	w = SCMI_REQ_CTX(r, struct pinctrl_configs_walk);
	*w = (struct pinctrl_configs_walk){
		.ph = ph,
		.p = p,
		.configs = configs,
		.nr_configs = nr_configs,
		.function_selected = function_selected,
		.id = id,
		.type = type,
		.cap = *nr_configs,
	};
	return scmi_req_walk(r, &pinctrl_configs_desc, w, pinctrl_configs_finish);
}

static int pinctrl_function_get_decode(struct scmi_req *r, int ret, const uint8_t *rx, size_t len)
{
	const struct scmi_protocol_handle *ph = scmi_req_ph(r);
	struct pinctrl_get_ctx *c = SCMI_REQ_CTX(r, struct pinctrl_get_ctx);
	uint32_t num;

	if (ret)
		return ret;
	num = scmi_get_le32(rx + 4);
	if (len <
	    PINCTRL_GET_HDR_SIZE + PINCTRL_PAIR_SIZE * (size_t)PINCTRL_CONFIGS_RETURNED(num)) {
		scmi_warn(&ph->inst->log, "pinctrl: %zu-byte SETTINGS_GET reply for %u configs",
			  len, PINCTRL_CONFIGS_RETURNED(num));
		return -EPROTO;
	}
	ret = pinctrl_check_function(ph, c->p, scmi_get_le32(rx));
	if (!ret)
		*c->out = scmi_get_le32(rx);
	return ret;
}

static const struct scmi_req_msg pinctrl_function_get_msg = {
	.msg_id = PINCTRL_SETTINGS_GET,
	.rx_min = PINCTRL_GET_HDR_SIZE,
	.decode = pinctrl_function_get_decode,
};

static int pinctrl_function_get(const struct scmi_handle *h, enum scmi_pinctrl_selector_type type,
				uint32_t id, uint32_t *function_id)
{
	const struct scmi_protocol_handle *ph;
	const struct pinctrl_priv *p;
	struct pinctrl_get_ctx *c;
	uint8_t tx[8];
	int ret;

	if (!function_id)
		return -EINVAL;
	ret = pinctrl_get(h, type, id, PINCTRL_PIN_OR_GROUP, &ph, &p);
	if (ret)
		return ret;
	SCMI_REQ(r, ph);
	c = SCMI_REQ_CTX(r, struct pinctrl_get_ctx);
	c->p = p;
	c->out = function_id;
	scmi_put_le32(tx, id);
	scmi_put_le32(tx + 4, pinctrl_get_attrs(PINCTRL_GET_ALL, type, 0, 0));
	return scmi_req_run(r, &pinctrl_function_get_msg, tx, sizeof(tx));
}

/*
 * SETTINGS_CONFIGURE of the caller's configs, as many messages as it takes
 * (configs_per_msg pairs each), one request: each message is built by
 * encode from the caller's array, which must outlive the request.
 */
struct pinctrl_conf_ctx {
	const struct pinctrl_priv *p;
	const struct scmi_pinctrl_config *configs;
	uint32_t id;
	enum scmi_pinctrl_selector_type type;
	unsigned int nr, done, n; /* n: pairs in the message in flight */
};

static int pinctrl_conf_encode(struct scmi_req *r, uint8_t *tx, size_t room, size_t *len)
{
	struct pinctrl_conf_ctx *c = SCMI_REQ_CTX(r, struct pinctrl_conf_ctx);
	const struct scmi_pinctrl_config *cf = c->configs + c->done;
	unsigned int n = c->nr - c->done;

	if (n > c->p->configs_per_msg)
		n = c->p->configs_per_msg;
	*len = PINCTRL_CONF_HDR_SIZE + PINCTRL_PAIR_SIZE * (size_t)n;
	if (*len > room)
		return -EMSGSIZE;
	c->n = n;
	scmi_put_le32(tx, c->id);
	scmi_put_le32(tx + 4, SCMI_PINCTRL_NO_FUNCTION);
	scmi_put_le32(tx + 8, n << PINCTRL_CONF_NUM_SHIFT | (uint32_t)c->type);
	for (unsigned int i = 0; i < n; i++) {
		scmi_put_le32(tx + PINCTRL_CONF_HDR_SIZE + PINCTRL_PAIR_SIZE * i, cf[i].type);
		scmi_put_le32(tx + PINCTRL_CONF_HDR_SIZE + PINCTRL_PAIR_SIZE * i + 4, cf[i].value);
	}
	return 0;
}

static int pinctrl_conf_decode(struct scmi_req *r, int ret, const uint8_t *rx, size_t len)
{
	struct pinctrl_conf_ctx *c = SCMI_REQ_CTX(r, struct pinctrl_conf_ctx);

	(void)rx;
	(void)len;
	if (ret) {
		if (c->done)
			scmi_dbg(&scmi_req_ph(r)->inst->log,
				 "pinctrl: %s %u: configs %u.. failed, %u applied",
				 pinctrl_type_names[c->type], c->id, c->done, c->done);
		return ret;
	}
	c->done += c->n;
	return c->done < c->nr ? SCMI_REQ_AGAIN : 0;
}

static const struct scmi_req_msg pinctrl_conf_msg = {
	.msg_id = PINCTRL_SETTINGS_CONFIGURE,
	.encode = pinctrl_conf_encode,
	.decode = pinctrl_conf_decode,
};

static int pinctrl_settings_conf(const struct scmi_handle *h, enum scmi_pinctrl_selector_type type,
				 uint32_t id, const struct scmi_pinctrl_config *configs,
				 unsigned int nr_configs)
{
	const struct scmi_protocol_handle *ph;
	const struct pinctrl_priv *p;
	struct pinctrl_conf_ctx *c;
	int ret;

	if (!configs || !nr_configs)
		return -EINVAL;
	ret = pinctrl_get(h, type, id, PINCTRL_PIN_OR_GROUP, &ph, &p);
	if (ret)
		return ret;
	for (unsigned int i = 0; i < nr_configs; i++) {
		if (pinctrl_config_reserved(configs[i].type)) {
			scmi_dbg_reason(&ph->inst->log, "pinctrl: config type %u is reserved",
					configs[i].type);
			return -EINVAL;
		}
	}
	if (!p->configs_per_msg)
		return -EMSGSIZE;
	SCMI_REQ(r, ph);
	c = SCMI_REQ_CTX(r, struct pinctrl_conf_ctx);
	c->p = p;
	c->configs = configs;
	c->id = id;
	c->type = type;
	c->nr = nr_configs;
	return scmi_req_run_len(r, &pinctrl_conf_msg, 0);
}

/* SETTINGS_CONFIGURE selecting a function, no configs (12 bytes). */
static const struct scmi_req_msg pinctrl_select_msg = {
	.msg_id = PINCTRL_SETTINGS_CONFIGURE,
};

static int pinctrl_function_select(const struct scmi_handle *h,
				   enum scmi_pinctrl_selector_type type, uint32_t id,
				   uint32_t function_id)
{
	const struct scmi_protocol_handle *ph;
	const struct pinctrl_priv *p;
	const struct scmi_pinctrl_info *f;
	uint8_t tx[PINCTRL_CONF_HDR_SIZE];
	bool listed = false;
	int ret;

	ret = pinctrl_get(h, type, id, PINCTRL_PIN_OR_GROUP, &ph, &p);
	if (ret)
		return ret;
	if (function_id >= p->count[SCMI_PINCTRL_FUNCTION]) {
		scmi_dbg_reason(&ph->inst->log, "pinctrl: function %u out of range (%u)",
				function_id, p->count[SCMI_PINCTRL_FUNCTION]);
		return -EINVAL;
	}
	/* Discovery says which groups a function can be applied to. */
	f = &p->info[SCMI_PINCTRL_FUNCTION][function_id];
	if (!f->usable) {
		scmi_dbg_reason(&ph->inst->log, "pinctrl: function %u was disabled at discovery",
				function_id);
		return -EPROTO;
	}
	for (unsigned int i = 0; type == SCMI_PINCTRL_GROUP && i < f->num_elems; i++)
		listed = listed || f->elems[i] == id;
	if (type == SCMI_PINCTRL_GROUP && !listed) {
		scmi_dbg_reason(&ph->inst->log, "pinctrl: function %u does not list group %u",
				function_id, id);
		return -EINVAL;
	}
	SCMI_REQ(r, ph);
	scmi_put_le32(tx, id);
	scmi_put_le32(tx + 4, function_id);
	scmi_put_le32(tx + 8, PINCTRL_CONF_FUNCTION_VALID | (uint32_t)type);
	return scmi_req_run(r, &pinctrl_select_msg, tx, sizeof(tx));
}

static int pinctrl_mux_set(const struct scmi_handle *h, uint32_t function_id, uint32_t group)
{
	return pinctrl_function_select(h, SCMI_PINCTRL_GROUP, group, function_id);
}

/* ---- ownership ----------------------------------------------------------------- */

static const struct scmi_req_msg pinctrl_request_msg = {
	.msg_id = PINCTRL_REQUEST,
};

static const struct scmi_req_msg pinctrl_release_msg = {
	.msg_id = PINCTRL_RELEASE,
};

static int pinctrl_own(const struct scmi_handle *h, const struct scmi_req_msg *msg,
		       enum scmi_pinctrl_selector_type type, uint32_t id)
{
	const struct scmi_protocol_handle *ph;
	const struct pinctrl_priv *p;
	uint8_t tx[8];
	int ret;

	ret = pinctrl_get(h, type, id, PINCTRL_PIN_OR_GROUP, &ph, &p);
	if (ret)
		return ret;
	SCMI_REQ(r, ph);
	scmi_put_le32(tx, id);
	scmi_put_le32(tx + 4, type);
	return scmi_req_run(r, msg, tx, sizeof(tx));
}

static int pinctrl_request(const struct scmi_handle *h, enum scmi_pinctrl_selector_type type,
			   uint32_t id)
{
	return pinctrl_own(h, &pinctrl_request_msg, type, id);
}

static int pinctrl_release(const struct scmi_handle *h, enum scmi_pinctrl_selector_type type,
			   uint32_t id)
{
	return pinctrl_own(h, &pinctrl_release_msg, type, id);
}

static const struct scmi_pinctrl_ops pinctrl_ops = {
	.count_get = pinctrl_count_get,
	.info_get = pinctrl_info_get,
	.name_get = pinctrl_name_get,
	.id_lookup = pinctrl_id_lookup,
	.group_pins_get = pinctrl_group_pins_get,
	.function_groups_get = pinctrl_function_groups_get,
	.settings_get_one = pinctrl_settings_get_one,
	.settings_get_all = pinctrl_settings_get_all,
	.settings_conf = pinctrl_settings_conf,
	.function_select = pinctrl_function_select,
	.mux_set = pinctrl_mux_set,
	.function_get = pinctrl_function_get,
	.request = pinctrl_request,
	.release = pinctrl_release,
};

const struct scmi_protocol scmi_pinctrl_protocol = {
	.id = SCMI_PROTOCOL_PINCTRL,
	.supported_version = SCMI_PROTO_VERSION(1, 0),
	.ops_offset = offsetof(struct scmi_handle, pinctrl_ops),
	.ops = &pinctrl_ops,
	.init = pinctrl_init,
	.deinit = pinctrl_deinit,
};

/* ---- config type names -------------------------------------------------------- */

static const char *const pinctrl_config_names[PINCTRL_CONF_STD_LAST + 1] = {
	[SCMI_PINCTRL_CONF_DEFAULT] = "default",
	[SCMI_PINCTRL_CONF_BIAS_BUS_HOLD] = "bias-bus-hold",
	[SCMI_PINCTRL_CONF_BIAS_DISABLE] = "bias-disable",
	[SCMI_PINCTRL_CONF_BIAS_HIGH_IMPEDANCE] = "bias-high-impedance",
	[SCMI_PINCTRL_CONF_BIAS_PULL_UP] = "bias-pull-up",
	[SCMI_PINCTRL_CONF_BIAS_PULL_DEFAULT] = "bias-pull-default",
	[SCMI_PINCTRL_CONF_BIAS_PULL_DOWN] = "bias-pull-down",
	[SCMI_PINCTRL_CONF_DRIVE_OPEN_DRAIN] = "drive-open-drain",
	[SCMI_PINCTRL_CONF_DRIVE_OPEN_SOURCE] = "drive-open-source",
	[SCMI_PINCTRL_CONF_DRIVE_PUSH_PULL] = "drive-push-pull",
	[SCMI_PINCTRL_CONF_DRIVE_STRENGTH] = "drive-strength",
	[SCMI_PINCTRL_CONF_INPUT_DEBOUNCE] = "input-debounce",
	[SCMI_PINCTRL_CONF_INPUT_MODE] = "input-mode",
	[SCMI_PINCTRL_CONF_PULL_MODE] = "pull-mode",
	[SCMI_PINCTRL_CONF_INPUT_VALUE] = "input-value",
	[SCMI_PINCTRL_CONF_INPUT_SCHMITT] = "input-schmitt",
	[SCMI_PINCTRL_CONF_LOW_POWER_MODE] = "low-power-mode",
	[SCMI_PINCTRL_CONF_OUTPUT_MODE] = "output-mode",
	[SCMI_PINCTRL_CONF_OUTPUT_VALUE] = "output-value",
	[SCMI_PINCTRL_CONF_POWER_SOURCE] = "power-source",
	[SCMI_PINCTRL_CONF_SLEW_RATE] = "slew-rate",
};

const char *scmi_pinctrl_config_name(unsigned int type)
{
	if (type <= PINCTRL_CONF_STD_LAST)
		return pinctrl_config_names[type];
	if (type >= SCMI_PINCTRL_CONF_OEM_FIRST && type <= SCMI_PINCTRL_CONF_OEM_LAST)
		return "oem";
	return NULL;
}

static int pinctrl_config_number(const char *s, uint8_t *type)
{
	unsigned long v;
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || v > SCMI_PINCTRL_CONF_OEM_LAST || pinctrl_config_reserved(v))
		return -EINVAL;
	*type = (uint8_t)v;
	return 0;
}

int scmi_pinctrl_config_parse(const char *name, uint8_t *type)
{
	uint8_t v;

	if (!name || !type)
		return -EINVAL;
	for (unsigned int i = 0; i <= PINCTRL_CONF_STD_LAST; i++) {
		if (!strcmp(name, pinctrl_config_names[i])) {
			*type = (uint8_t)i;
			return 0;
		}
	}
	if (!strncmp(name, "oem-", 4)) {
		if (pinctrl_config_number(name + 4, &v) || v < SCMI_PINCTRL_CONF_OEM_FIRST)
			return -EINVAL;
		*type = v;
		return 0;
	}
	return pinctrl_config_number(name, type);
}
