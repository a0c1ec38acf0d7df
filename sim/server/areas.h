/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The platform side of SCMI shared-memory channels (shmem.c): A2P polling
 * and response writing, the P2A queue, the doorbell, over memory a mode
 * provides -- the file of --shmem, the maps of the fake UIO device of
 * --uio.  The layout and the rules are in shmem.c's header comment.
 */
#ifndef SCMI_SIM_SERVER_AREAS_H
#define SCMI_SIM_SERVER_AREAS_H

#include "server.h"

struct srv_areas;

/** Bytes the channel areas of @o take: the common A2P and P2A areas, then
 *  one pair per --per-protocol protocol, each o->size bytes. */
size_t srv_areas_len(const struct srv_opts *o);

/** Serve the channels of @o in @mem (srv_areas_len() bytes, 4-byte
 *  aligned, zeroed or not: every area is marked free).  0 or -ENOMEM. */
int srv_areas_new(struct srv *srv, const struct srv_opts *o, void *mem, struct srv_areas **out);

/** A doorbell register at @reg (aligned to @width bits: 8, 16, 32, 64):
 *  the A2P areas are looked at only after the agent set one of the bits
 *  of @set, which are then cleared (and only they). */
void srv_areas_doorbell(struct srv_areas *a, void *reg, unsigned int width, uint64_t set);

/** @fn(@priv) after each write the agent is to notice: a response (or an
 *  ERROR) in an A2P area, a message in a P2A area.  NULL: none. */
void srv_areas_on_signal(struct srv_areas *a, void (*fn)(void *priv), void *priv);

/* What a struct srv_mode does with them (server.h). */
int srv_areas_poll(struct srv_areas *a);
void srv_areas_output(struct srv_areas *a, struct srv_ctx ctx, enum scmi_sim_chan chan,
		      const void *msg, size_t len);
void srv_areas_stats(struct srv_areas *a, char *buf, size_t size);
/** The channels' URI parameters, "a2p=0x..&p2a=0x..&size=N[&a2p.0xPP=..
 *  &p2a.0xPP=..]..." (no leading '&'). */
void srv_areas_print(struct srv_areas *a, FILE *f);
void srv_areas_free(struct srv_areas *a);

/* Helpers of the modes that name files in their URI. */
/** @path made absolute (against the working directory); malloc'ed. */
char *srv_abs_path(const char *path);
/** Whether @path can go into a URI as it is; if not, say so (naming the
 *  option @opt). */
bool srv_uri_safe(const char *opt, const char *path);

#endif /* SCMI_SIM_SERVER_AREAS_H */
