/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Agent side of the simulator's test protocol (scmi_sim_test_protocol_add):
 * registers its four events with the notification core through a protocol
 * handle of its own, the way a protocol's init() would.  Lets the
 * notification suites control when a protocol "comes up" (pending
 * registrations) and drive floods without touching a real protocol.
 */
#ifndef SCMI_TESTS_AGENT_TESTPROTO_H
#define SCMI_TESTS_AGENT_TESTPROTO_H

#include <stdint.h>

#include <scmi-sim/loopback.h>
#include <scmi/scmi.h>

#define TP_NUM_EVENTS 4

struct tp_report {
	uint64_t timestamp;
	uint32_t src_id;
	uint32_t seq;
	uint32_t evt_id;
};

/* "Bring up" @proto: register its events with the notification core. */
int tp_register_events(struct scmi_handle *h, uint8_t proto);
/* Free what tp_register_events() allocated; after scmi_close(). */
void tp_cleanup(void);
/* Emit @count events from the simulator's thread (in order with replies);
 * only enabled ones are sent unless @force.  Returns how many were sent. */
int tp_emit(struct scmi_handle *h, uint8_t proto, uint8_t evt, uint32_t src, uint32_t count,
	    int force);

#endif
