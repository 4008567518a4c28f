/* stream.c — dispatch to a stream's back-end (see stream.h). */
#include "core/err.h"
#include "core/stream.h"
#include "platform/platform.h"

enum stream_state stream_state(const struct stream *s) { return s->ops->state(s); }
int stream_error(const struct stream *s) { return s->ops->error(s); }
int stream_send(struct stream *s, const void *b, size_t n) { return s->ops->send(s, b, n); }
size_t stream_send_space(const struct stream *s) { return s->ops->send_space(s); }
int stream_recv(struct stream *s, void *b, size_t n) { return s->ops->recv(s, b, n); }
size_t stream_recv_avail(const struct stream *s) { return s->ops->recv_avail(s); }
void stream_close(struct stream *s) { s->ops->close(s); }

int stream_wait_open(struct stream *s, const struct stream_poller *p, uint32_t timeout_ms)
{
	uint64_t start = plat_ms();

	for (;;) {
		enum stream_state st;

		if (p && p->poll)
			p->poll(p->arg);
		st = stream_state(s);
		if (st == STREAM_ERROR)
			return stream_error(s);
		if (st != STREAM_CONNECTING)
			return 0;
		if (p && p->cancel && p->cancel())
			return -WB_ECANCELED;
		if (plat_ms() - start >= timeout_ms)
			return -WB_ETIMEDOUT;
	}
}
