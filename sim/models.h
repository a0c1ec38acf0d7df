/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The simulator's built-in protocol models: one SIM_MODEL(name) line per
 * model, naming `const struct sim_proto_ops sim_<name>_ops` in sim/<name>.c.
 * Included by sim-internal.h (declarations) and sim.c (the registry table),
 * each with its own definition of SIM_MODEL; no include guard on purpose.
 */
SIM_MODEL(base)
SIM_MODEL(power)
SIM_MODEL(system)
SIM_MODEL(perf)
SIM_MODEL(clock)
SIM_MODEL(sensor)
SIM_MODEL(reset)
SIM_MODEL(voltage)
SIM_MODEL(powercap)
SIM_MODEL(pinctrl)

