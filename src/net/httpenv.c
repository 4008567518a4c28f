/* httpenv.c — HTTP client environment over lwIP (see httpenv.h). */
#include "core/err.h"
#include "net/httpenv.h"
#include "net/net.h"
#include "net/tcpstream.h"
#include "platform/platform.h"

static int net_http_connect(void *arg, int is_https, const char *host, uint16_t port,
			    struct stream **out)
{
	if (is_https)
		return -WB_ENOTLS;
	return net_tcp_connect_host(arg, host, port, out);
}

static int net_http_connect_from(void *arg, const char *host, uint16_t port, uint16_t local_port,
				 struct stream **out)
{
	return net_tcp_connect_host_from(arg, host, port, local_port, out);
}

void net_http_env(struct net_ctx *net, struct http_env *out)
{
	out->connect = net_http_connect;
	out->connect_from = net_http_connect_from;
	out->arg = net;
	net_tcp_poller(net, &out->poller);
	out->now_ms = plat_ms;
}
