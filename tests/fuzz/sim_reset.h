/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Bring a used simulator back to what scmi_sim_new() made, without building
 * a new one (fuzz_sim; reaches into sim/sim-internal.h).  Building a
 * simulator costs about a millisecond under the sanitizers (every model's
 * init, the Pinctrl model's most of all); an input usually changes a few
 * models only.
 *
 * sim_reset_new() creates the simulator and records, per model, its state
 * block (struct sim_proto.state, the one allocation a model's init() makes
 * for it) and its version settings; the shared memory region and where each
 * model carves its windows from it; the simulator-wide flags.
 * sim_reset() then compares each model's state block with its record and,
 * for the models whose state changed, copies the record back when two
 * init()s were seen to make the very same bytes (no heap pointers, no
 * timestamps), else re-runs fini() + init() (carving their windows at the
 * same addresses); then it restores the version settings, the shared
 * memory, the notification enables, the fault knobs, the counters, the
 * virtual clock (back to 0, held outputs dropped), and removes the
 * protocols added since (the test protocol).
 *
 * What it relies on, checked where it can be: a model keeps its mutable
 * state in its state block (the clock model's rate lists, allocated by
 * init(), are only changed by test-facing calls fuzz_sim does not make);
 * init() is deterministic apart from timestamps and carves the same window
 * sizes each time (checked: the carve is repeated at creation and each
 * model must end where it ended the first time).  A change to struct
 * scmi_sim or to how models keep state must be mirrored here.
 */
#ifndef SCMI_FUZZ_SIM_RESET_H
#define SCMI_FUZZ_SIM_RESET_H

#include <scmi-sim/sim.h>

struct sim_reset;

/** scmi_sim_new(@cfg) plus the record sim_reset() restores.  0 or errno. */
int sim_reset_new(const struct scmi_sim_config *cfg, struct sim_reset **out);
/** The simulator (its emit callback may be set; sim_reset() keeps it). */
struct scmi_sim *sim_reset_sim(struct sim_reset *r);
/** Back to the recorded state; returns how many models were re-created.
 *  @mem_written: end offset of what the agent wrote to the shared memory
 *  (its windows, as scmi_sim_memory_map() handed them out), 0 if nothing. */
unsigned int sim_reset(struct sim_reset *r, size_t mem_written);
void sim_reset_free(struct sim_reset *r);

#endif
