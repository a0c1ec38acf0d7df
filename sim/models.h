/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The simulator's built-in protocol models: one SIM_MODEL(name) line per
 * model, naming `const struct sim_proto_ops sim_<name>_ops` in sim/<name>.c.
 * Included by sim-internal.h (declarations) and sim.c (the registry table),
 * each with its own definition of SIM_MODEL; no include guard on purpose.
 *
 * Planned: power, system, perf, clock, sensor, reset, voltage, powercap,
 * pinctrl (their versions are already in the profile table, profile.c).
 */
SIM_MODEL(base)
