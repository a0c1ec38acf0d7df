// SPDX-License-Identifier: BSD-3-Clause
/*
 * shmem:// -- SCMI over shared-memory areas mapped from a memory device
 * (/dev/mem) or a file shared with the platform (scmi-sim in the tests).
 *
 * One channel per A2P area (the default one, and one per protocol named
 * in the URI), each with an optional P2A area.  Commands complete by
 * polling: the core polls poll_done() (token and FREE|ERROR) with its
 * bounded back-off and then fetches from the A2P area on the caller's
 * thread.  P2A areas are polled by a timer on the handle's loop: a message
 * is handed to the core with the area itself as the message reference, then
 * the area is acknowledged (FREE), also when the core dropped it.
 *
 * The channel logic is the engine's (engine.h, shared with uio://); this
 * file maps the areas and the doorbell from the device.  URI parameters:
 * transports/shmem/config.h and docs/TRANSPORTS.md.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <scmi/transport.h>

#include "../../lib/handle.h"
#include "config.h"
#include "engine.h"
#include "map.h"

#define SHM_DEFAULT_TIMEOUT_MS 100u

struct shm_priv {
	struct shmem_engine eng; /* first: the engine's ops take this priv */
	struct shmem_config cfg;
	struct shmem_dev dev;
	struct shmem_map a2p_maps[SHMEM_MAX_CHANNELS], p2a_maps[SHMEM_MAX_CHANNELS];
	struct shmem_map db_map;
};

static void shm_free(struct shm_priv *sp)
{
	if (!sp)
		return;
	shmem_engine_free(&sp->eng);
	for (size_t i = 0; i < SHMEM_MAX_CHANNELS; i++) {
		shmem_unmap(&sp->a2p_maps[i]);
		shmem_unmap(&sp->p2a_maps[i]);
	}
	shmem_unmap(&sp->db_map);
	shmem_dev_close(&sp->dev);
	free(sp);
}

static int shm_open(struct scmi_chan *chan, const struct scmi_uri *uri,
		    struct scmi_transport_info *info, void **priv)
{
	struct shm_priv *sp = calloc(1, sizeof(*sp));
	int ret;

	if (!sp)
		return -ENOMEM;
	shmem_engine_init(&sp->eng, chan, "shmem");
	sp->dev.fd = -1;
	ret = shmem_config_parse(uri, false, &sp->cfg, chan);
	if (ret)
		goto fail;
	ret = shmem_dev_open(&sp->dev, sp->cfg.path, chan);
	if (ret)
		goto fail;
	for (size_t i = 0; i < sp->cfg.num_chans; i++) {
		const struct shmem_chan_config *cc = &sp->cfg.chans[i];

		ret = shmem_map(&sp->dev, cc->a2p, sp->cfg.size, &sp->a2p_maps[i], chan);
		if (!ret && cc->has_p2a)
			ret = shmem_map(&sp->dev, cc->p2a, sp->cfg.size, &sp->p2a_maps[i], chan);
		if (!ret)
			ret = shmem_engine_add(&sp->eng, cc->protocol, sp->a2p_maps[i].ptr,
					       cc->has_p2a ? sp->p2a_maps[i].ptr : NULL,
					       sp->cfg.size);
		if (ret)
			goto fail;
	}
	if (sp->cfg.has_db) {
		ret = shmem_map(&sp->dev, sp->cfg.db, sp->cfg.db_width / 8, &sp->db_map, chan);
		if (ret)
			goto fail;
		shmem_engine_set_doorbell(&sp->eng, sp->db_map.ptr, &sp->cfg);
	}
	shmem_engine_info(&sp->eng, info);
	if (sp->cfg.timeout_ms)
		info->timeout_ms = sp->cfg.timeout_ms;
	scmi_chan_log(chan, SCMI_LOG_DEBUG,
		      "shmem: %s: %u channel(s) of %zu bytes, %s, P2A polled every %llu ms",
		      sp->cfg.path, sp->eng.num_chans, sp->cfg.size,
		      sp->cfg.has_db ? "doorbell" : "no doorbell",
		      (unsigned long long)((sp->cfg.poll_us + 999u) / 1000u));
	*priv = sp;
	return 0;
fail:
	shm_free(sp);
	return ret ? ret : -EINVAL;
}

static int shm_start(void *priv)
{
	struct shm_priv *sp = priv;

	return shmem_engine_start(&sp->eng, (sp->cfg.poll_us + 999u) / 1000u);
}

static void shm_close(void *priv)
{
	shmem_engine_close(priv);
}

static void shm_release(void *priv)
{
	shm_free(priv);
}

/* Fastchannels, doorbells and statistics areas live in the same device. */
static void *shm_map_memory(void *priv, uint64_t addr, size_t size)
{
	struct shm_priv *sp = priv;
	struct shmem_map m;

	if (shmem_map(&sp->dev, addr, size, &m, sp->eng.chan))
		return NULL;
	return (void *)m.ptr;
}

static void shm_unmap_memory(void *priv, void *ptr, size_t size)
{
	(void)priv;
	shmem_unmap_ptr(ptr, size);
}

static int shm_describe(void *priv, scmi_describe_fn emit, void *arg)
{
	struct shm_priv *sp = priv;

	emit(arg, "shmem", "path", sp->cfg.path);
	emit(arg, "shmem", "kind", sp->dev.regular ? "file" : "device");
	if (sp->dev.regular)
		scmi_describef(emit, arg, "shmem", "file_size", "%llu",
			       (unsigned long long)sp->dev.file_size);
	scmi_describef(emit, arg, "shmem", "area_size", "%zu", sp->cfg.size);
	scmi_describef(emit, arg, "shmem", "channels", "%u", sp->eng.num_chans);
	shmem_engine_describe(&sp->eng, &sp->cfg, (sp->cfg.poll_us + 999u) / 1000u, emit, arg);
	return 0;
}

static const struct scmi_transport_ops shm_ops = {
	.open = shm_open,
	.describe = shm_describe,
	.start = shm_start,
	.close = shm_close,
	.release = shm_release,
	.send_message = shmem_engine_send,
	.fetch_response = shmem_engine_fetch_response,
	.fetch_notification = shmem_engine_fetch_notification,
	.poll_done = shmem_engine_poll_done,
	.channel_of = shmem_engine_channel_of,
	.map_memory = shm_map_memory,
	.unmap_memory = shm_unmap_memory,
};

const struct scmi_transport_desc scmi_shmem_transport = {
	.scheme = "shmem",
	.ops = &shm_ops,
	.defaults =
		{
			.max_msg = 1,
			.max_msg_size = SHMEM_DEFAULT_SIZE - 32,
			.timeout_ms = SHM_DEFAULT_TIMEOUT_MS,
			.caps = SCMI_TRANSPORT_POLLING | SCMI_TRANSPORT_P2A,
		},
};
