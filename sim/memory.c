/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The platform's shared memory (fastchannels, doorbells): one region of the
 * simulator's "physical" address space, SIM_MEM_PHYS_BASE onwards, that
 * models carve windows from and advertise (DESCRIBE_FASTCHANNEL).  An
 * in-process agent reaches it with scmi_sim_memory_map(); a server shares
 * it with an agent in another process by creating the simulator with the
 * region in memory it maps for both (scmi_sim_config.shared_mem).
 *
 * The agent touches it from its own threads while models read it on the
 * simulator's: every access goes through the atomic helpers, and models
 * notice agent writes from their poll hook, which scmi_sim_poll() runs.  A
 * model asks for polling (sim_poll_request()) once it has handed a window
 * to the agent; from then on the runner polls every millisecond.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim-internal.h"

int sim_mem_init(struct scmi_sim *sim, void *ext, size_t ext_size)
{
	if (ext) {
		if (ext_size < SIM_MEM_SIZE || (uintptr_t)ext % 8)
			return -EINVAL;
		sim->mem = ext;
		sim->mem_external = true;
		memset(sim->mem, 0, SIM_MEM_SIZE);
		sim->mem_used = 0;
		return 0;
	}
	sim->mem = aligned_alloc(64, SIM_MEM_SIZE);
	if (!sim->mem)
		return -ENOMEM;
	memset(sim->mem, 0, SIM_MEM_SIZE);
	sim->mem_used = 0;
	return 0;
}

void sim_mem_free(struct scmi_sim *sim)
{
	if (!sim->mem_external)
		free(sim->mem);
	sim->mem = NULL;
}

int sim_mem_alloc(struct scmi_sim *sim, size_t size, uint64_t *phys, void **ptr)
{
	/* 8-byte aligned windows: a 64-bit doorbell must be naturally aligned. */
	size_t off = (sim->mem_used + 7) & ~(size_t)7;

	if (!size || size > SIM_MEM_SIZE || off > SIM_MEM_SIZE - size)
		return -ENOSPC;
	sim->mem_used = off + size;
	*phys = SIM_MEM_PHYS_BASE + off;
	*ptr = sim->mem + off;
	return 0;
}

void scmi_sim_memory_window(uint64_t *phys, size_t *size)
{
	if (phys)
		*phys = SIM_MEM_PHYS_BASE;
	if (size)
		*size = SIM_MEM_SIZE;
}

void *scmi_sim_memory_map(struct scmi_sim *sim, uint64_t phys, size_t size)
{
	if (!sim || !sim->mem || phys < SIM_MEM_PHYS_BASE || !size ||
	    phys - SIM_MEM_PHYS_BASE > SIM_MEM_SIZE ||
	    size > SIM_MEM_SIZE - (phys - SIM_MEM_PHYS_BASE))
		return NULL;
	return sim->mem + (phys - SIM_MEM_PHYS_BASE);
}

bool scmi_sim_needs_poll(struct scmi_sim *sim)
{
	return sim && atomic_load_explicit(&sim->poll_wanted, memory_order_acquire);
}

void sim_poll_request(struct scmi_sim *sim)
{
	atomic_store_explicit(&sim->poll_wanted, true, memory_order_release);
}

void sim_poll_locked(struct scmi_sim *sim)
{
	for (size_t i = 0; i < SIM_ARRAY_SIZE(sim->protos); i++) {
		struct sim_proto *p = sim->protos[i];

		if (p && p->present && p->ops->poll)
			p->ops->poll(p);
	}
}

void scmi_sim_poll(struct scmi_sim *sim)
{
	if (!sim)
		return;
	sim_lock(sim);
	sim_poll_locked(sim);
	sim_unlock(sim);
}
