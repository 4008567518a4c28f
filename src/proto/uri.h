/*
 * uri.h — URI references (RFC 3986): parse, resolve against a base, format.
 *
 * A parsed reference keeps each component as written (still
 * percent-encoded), which is what §5.2 resolution and re-formatting need,
 * plus decoded copies of the parts a client uses directly (user, password,
 * host).  Components that are absent are NULL; an empty path is "" (a URI
 * always has a path, RFC 3986 §3.3).
 *
 * Memory: uri_parse()/uri_resolve() fill a caller-allocated struct uri
 * whose strings live in one plat_malloc() block owned by it; free it with
 * uri_free().  No globals; pure functions otherwise.
 */
#ifndef WB_URI_H
#define WB_URI_H

#include <stddef.h>
#include <stdint.h>

/** Longest URI text accepted (bytes, without the NUL). */
#define URI_MAX 4096

struct uri {
	char *scheme;     /* lower-cased; NULL for a relative reference */
	char *authority;  /* as written, between "//" and the path; NULL when absent */
	char *path;       /* as written; never NULL ("" when empty) */
	char *query;      /* without '?'; NULL when absent */
	char *fragment;   /* without '#'; NULL when absent */
	/* decoded from the authority (NULL when absent) */
	char *user;       /* userinfo before ':' (percent-decoded) */
	char *password;   /* userinfo after ':' (percent-decoded); NULL when no ':' */
	char *host;       /* percent-decoded, lower-cased reg-name or IPv4 literal ("" allowed) */
	uint16_t port;    /* explicit port; 0 when none was given */
	int has_port;     /* 1 when the authority carried ":digits" */
	int host_is_ipv4; /* 1 when host is a dotted-quad IPv4 literal (RFC 3986 §3.2.2) */
	char *mem_;       /* the one allocation holding all strings */
};

/**
 * Parse @s (a URI or relative reference) into @out (zeroed first).
 * Rejected: control bytes and spaces, '%' not followed by two hex digits,
 * a bad scheme, a port that is not 0-65535 digits, an IPv6/IP-future
 * literal ("[...]", not supported), text longer than URI_MAX.
 * @return 0 (free @out with uri_free()), -WB_EURISYNTAX, -WB_EURIPCT,
 *         -WB_EURISCHEME, -WB_EURIPORT, -WB_EURIHOST, -WB_ETOOBIG, -WB_ENOMEM.
 */
int uri_parse(const char *s, struct uri *out);

/** Free what uri_parse()/uri_resolve() allocated; @u may be zeroed or already freed. */
void uri_free(struct uri *u);

/**
 * RFC 3986 §5.2.2 "strict" resolution of @ref against @base (which must
 * have a scheme, -WB_EURIRELATIVE otherwise), with remove_dot_segments
 * (§5.2.4).  @out is a new URI; @base and @ref are untouched.
 * @return 0, -WB_EURIRELATIVE, -WB_ETOOBIG, -WB_ENOMEM.
 */
int uri_resolve(const struct uri *base, const struct uri *ref, struct uri *out);

/** Same, from strings; *out is a plat_malloc() string the caller frees. */
int uri_resolve_str(const char *base, const char *ref, char **out);

/**
 * Format @u (RFC 3986 §5.3 recomposition) into @buf.
 * @return the full length (like snprintf: may exceed @cap - 1; the text is
 *         then cut but NUL-terminated when @cap > 0).
 */
size_t uri_format(const struct uri *u, char *buf, size_t cap);

/** Default port of a scheme: 80 for http, 443 for https, 0 when unknown. */
uint16_t uri_default_port(const char *scheme);
/** The port to connect to: the explicit one, else the scheme's default. */
uint16_t uri_port(const struct uri *u);

/**
 * Percent-decode @len bytes of @s into @out (at most @cap - 1 bytes, then
 * NUL).  @return decoded length, -WB_EURIPCT, -WB_ETOOBIG.  A decoded NUL
 * byte is refused (-WB_EURIPCT): decoded strings are C strings.
 */
int uri_pct_decode(const char *s, size_t len, char *out, size_t cap);

#endif
