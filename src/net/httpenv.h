/*
 * httpenv.h — the HTTP client's environment (proto/http_client.h) over
 * lwIP: names resolved with net_resolve(), TCP with net_tcp_connect(), the
 * poller steps the network and reports Ctrl-C.
 */
#ifndef WB_HTTPENV_H
#define WB_HTTPENV_H

#include "proto/http_client.h"

struct net_ctx;

/**
 * Fill @out for @net (borrowed; must outlive the client).  https:// gives
 * -WB_ENOTLS until a TLS stream wrapper is plugged in.
 */
void net_http_env(struct net_ctx *net, struct http_env *out);

#endif
