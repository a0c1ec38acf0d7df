// SPDX-License-Identifier: BSD-3-Clause
/*
 * Resetting a used simulator in place (sim_reset.h).  Part of fuzz_sim only:
 * it reaches into the simulator's internals (sim/sim-internal.h), which no
 * shipped code may do outside sim/.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <sanitizer/allocator_interface.h>

#include "sim-internal.h"
#include "sim_reset.h"

/* A model as scmi_sim_new() left it. */
struct model_rec {
	bool exists;
	uint32_t version, active;
	bool present;
	uint8_t *state; /* copy of the state block, state_size bytes */
	size_t state_size;
	/* Two inits made the same bytes (no heap pointers, no timestamps):
	 * copying the record back is as good as init() and far cheaper. */
	bool copyable;
	size_t carve_start, carve_end; /* its windows in the shared memory */
};

struct sim_reset {
	struct scmi_sim *sim;
	struct model_rec m[SIM_ARRAY_SIZE(((struct scmi_sim *)0)->protos)];
	uint8_t *mem; /* the shared memory region */
	size_t mem_used;
	bool poll_wanted;
};

/* Size of a model's state block (0 without one).  The fuzz build always has
 * ASan, whose allocator knows the size of every block. */
static size_t state_size(const void *state)
{
	if (!state || !__sanitizer_get_ownership(state))
		return 0;
	return __sanitizer_get_allocated_size(state);
}

/* Record @p's state block as the fresh one. */
static int rec_state(struct model_rec *m, const struct sim_proto *p)
{
	size_t size = state_size(p->state);

	if (size != m->state_size) {
		free(m->state);
		m->state = size ? malloc(size) : NULL;
		m->state_size = m->state ? size : 0;
		if (size && !m->state)
			return -ENOMEM;
	}
	if (size)
		memcpy(m->state, p->state, size);
	return 0;
}

static bool state_changed(const struct model_rec *m, const struct sim_proto *p)
{
	size_t size = state_size(p->state);

	return size != m->state_size || (size && memcmp(p->state, m->state, size));
}

/*
 * fini() + init() of model @id, carving its windows from @carve_start: the
 * addresses it had when the simulator was created.  Sets *@carve_end.
 */
static int model_reinit(struct scmi_sim *sim, uint8_t id, size_t carve_start, size_t *carve_end)
{
	struct sim_proto *p = sim->protos[id];
	size_t used = sim->mem_used;
	int ret = 0;

	if (p->ops->fini)
		p->ops->fini(p);
	p->state = NULL;
	sim->mem_used = carve_start;
	if (p->ops->init)
		ret = p->ops->init(p);
	*carve_end = sim->mem_used;
	sim->mem_used = used;
	return ret;
}

/*
 * Re-create every model in registry order (ascending ids, as
 * sim_models_add_builtin() adds them) from an empty shared memory, noting
 * where each one's windows go; then the region and its use must be exactly
 * what scmi_sim_new() left, or resetting one model alone would move its
 * windows.
 */
static int calibrate(struct sim_reset *r)
{
	struct scmi_sim *sim = r->sim;
	size_t used = 0;
	int ret;

	for (unsigned int id = 0; id < SIM_ARRAY_SIZE(r->m); id++) {
		struct model_rec *m = &r->m[id];

		if (!m->exists)
			continue;
		m->carve_start = used;
		ret = model_reinit(sim, (uint8_t)id, used, &m->carve_end);
		if (ret)
			return ret;
		used = m->carve_end;
	}
	if (used != r->mem_used || memcmp(sim->mem, r->mem, SIM_MEM_SIZE))
		return -EPROTO;
	return 0;
}

/* Once more: which models' init() makes the very bytes it made before? */
static int find_copyable(struct sim_reset *r)
{
	for (unsigned int id = 0; id < SIM_ARRAY_SIZE(r->m); id++) {
		struct model_rec *m = &r->m[id];
		size_t end;
		int ret;

		if (!m->exists)
			continue;
		ret = model_reinit(r->sim, (uint8_t)id, m->carve_start, &end);
		if (ret)
			return ret;
		if (end != m->carve_end)
			return -EPROTO;
		m->copyable = !state_changed(m, r->sim->protos[id]);
		ret = rec_state(m, r->sim->protos[id]);
		if (ret)
			return ret;
	}
	return memcmp(r->sim->mem, r->mem, SIM_MEM_SIZE) ? -EPROTO : 0;
}

int sim_reset_new(const struct scmi_sim_config *cfg, struct sim_reset **out)
{
	struct sim_reset *r = calloc(1, sizeof(*r));
	int ret;

	if (!r)
		return -ENOMEM;
	ret = scmi_sim_new(cfg, &r->sim);
	if (ret) {
		free(r);
		return ret;
	}
	r->mem = malloc(SIM_MEM_SIZE);
	if (!r->mem) {
		sim_reset_free(r);
		return -ENOMEM;
	}
	memcpy(r->mem, r->sim->mem, SIM_MEM_SIZE);
	r->mem_used = r->sim->mem_used;
	r->poll_wanted = atomic_load(&r->sim->poll_wanted);
	for (unsigned int id = 0; id < SIM_ARRAY_SIZE(r->m); id++) {
		const struct sim_proto *p = r->sim->protos[id];
		struct model_rec *m = &r->m[id];

		if (!p)
			continue;
		m->exists = true;
		m->version = p->version;
		m->active = p->active;
		m->present = p->present;
	}
	ret = calibrate(r);
	for (unsigned int id = 0; id < SIM_ARRAY_SIZE(r->m) && !ret; id++)
		if (r->m[id].exists)
			ret = rec_state(&r->m[id], r->sim->protos[id]);
	if (!ret)
		ret = find_copyable(r);
	if (ret) {
		sim_reset_free(r);
		return ret;
	}
	*out = r;
	return 0;
}

struct scmi_sim *sim_reset_sim(struct sim_reset *r)
{
	return r->sim;
}

unsigned int sim_reset(struct sim_reset *r, size_t mem_written)
{
	struct scmi_sim *sim = r->sim;
	unsigned int reinits = 0;
	size_t mem_end;

	for (unsigned int id = 0; id < SIM_ARRAY_SIZE(r->m); id++) {
		struct sim_proto *p = sim->protos[id];
		struct model_rec *m = &r->m[id];
		size_t end;

		if (!m->exists) {
			if (p) /* added since: the test protocol */
				sim_model_unregister(sim, (uint8_t)id);
			continue;
		}
		if (state_changed(m, p)) {
			if (m->copyable) {
				memcpy(p->state, m->state, m->state_size);
			} else if (model_reinit(sim, (uint8_t)id, m->carve_start, &end) ||
				   end != m->carve_end || rec_state(m, p)) {
				abort(); /* init() failed or carved elsewhere: see sim_reset.h */
			}
			reinits++;
		}
		p->version = m->version;
		p->active = m->active;
		p->present = m->present;
	}
	/* After the inits: they write their windows' initial values.  Models
	 * only write inside their windows (below mem_used); the agent where it
	 * says it did. */
	mem_end = sim->mem_used > r->mem_used ? sim->mem_used : r->mem_used;
	if (mem_written > mem_end)
		mem_end = mem_written > SIM_MEM_SIZE ? SIM_MEM_SIZE : mem_written;
	sim->mem_used = r->mem_used;
	if (memcmp(sim->mem, r->mem, mem_end))
		memcpy(sim->mem, r->mem, mem_end);
	atomic_store(&sim->poll_wanted, r->poll_wanted);
	sim_notify_free(sim);
	memset(&sim->faults, 0, sizeof(sim->faults));
	memset(&sim->stats, 0, sizeof(sim->stats));
	sim->n_outs = 0;
	sim->in_request = false;
	/* Virtual time (fuzz_sim_vfio_user): the clock back to 0, the outputs
	 * still held dropped. */
	sim_vtime_free(sim);
	sim->vq_seq = 0;
	sim->vnow_ns = 0;
	return reinits;
}

void sim_reset_free(struct sim_reset *r)
{
	if (!r)
		return;
	scmi_sim_free(r->sim);
	for (unsigned int id = 0; id < SIM_ARRAY_SIZE(r->m); id++)
		free(r->m[id].state);
	free(r->mem);
	free(r);
}
