/*
 * san.c — the device-independent calls of san.h: each dispatches to the
 * device type's ops (san_iscsi.c, san_http.c).
 */
#include "san/san.h"

#include <stdarg.h>

#include "core/err.h"
#include "core/fmt.h"

const struct san_info *san_info(const struct san_dev *d) { return d->ops->info(d); }
const struct san_stats *san_stats(const struct san_dev *d) { return d->ops->stats(d); }
const char *san_error(const struct san_dev *d) { return d ? d->ops->error(d) : ""; }

int san_read(struct san_dev *d, uint64_t lba, uint32_t nblocks, void *buf)
{
	return d ? d->ops->read(d, lba, nblocks, buf) : -WB_EINVAL;
}

int san_write(struct san_dev *d, uint64_t lba, uint32_t nblocks, const void *buf)
{
	return d ? d->ops->write(d, lba, nblocks, buf) : -WB_EINVAL;
}

int san_flush(struct san_dev *d) { return d ? d->ops->flush(d) : -WB_EINVAL; }

void san_poll(struct san_dev *d)
{
	if (d)
		d->ops->poll(d);
}

int san_close(struct san_dev *d, uint32_t timeout_ms) { return d ? d->ops->close(d, timeout_ms) : 0; }

void san_env_log(const struct san_env *env, const char *fmt, ...)
{
	char line[256];
	va_list ap;

	if (!env->log)
		return;
	va_start(ap, fmt);
	wb_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	env->log(env->log_arg, line);
}
