/*
 * err.h — the one error model.  Functions return 0 (or a length) on success
 * and a negative WB_E* code on failure.  wb_strerror() gives the one-line
 * human message; a command adds what it was doing.
 */
#ifndef WB_ERR_H
#define WB_ERR_H

#define WB_ERRORS(X) \
	X(WB_ENOMEM,       "out of memory") \
	X(WB_EINVAL,       "invalid argument") \
	X(WB_EAGAIN,       "try again (resource busy)") \
	X(WB_ELINK,        "network link error (check cable / NIC driver)") \
	X(WB_ELINKDOWN,    "link is down (no carrier; check cable or switch)") \
	X(WB_ENOCLOCK,     "firmware has no real-time clock (use 'ntp SERVER')") \
	X(WB_ENOENTROPY,   "no entropy source available") \
	X(WB_ENODEV,       "no such interface (see 'ifstat')") \
	X(WB_ENOTOPEN,     "interface is not open (run 'ifopen' or 'dhcp')") \
	X(WB_ETIMEDOUT,    "timed out") \
	X(WB_EDHCPTIMEOUT, "DHCP: no offer or acknowledgement (is a DHCP server on this link?)") \
	X(WB_EDHCPNAK,     "DHCP: server refused the request (DHCPNAK)") \
	X(WB_EDHCPBAD,     "DHCP: malformed message") \
	X(WB_EDNS,         "DNS: name not found or no DNS server answered (check ${dns})") \
	X(WB_ENODNS,       "DNS: no DNS server configured (set dns or run dhcp)") \
	X(WB_ENTPBAD,      "NTP: malformed or unsynchronised reply") \
	X(WB_ENTPTIMEOUT,  "NTP: no reply from server (check the address and UDP port 123)") \
	X(WB_EPINGTIMEOUT, "ping: no echo reply") \
	X(WB_ECANCELED,    "cancelled by user (Ctrl-C)") \
	X(WB_ENOCMD,       "unknown command (type 'help')") \
	X(WB_ENOTSUP,      "not supported") \
	X(WB_EUSAGE,       "bad command usage") \
	X(WB_EUSAGE_SHOWN, "bad command usage (explained above)") \
	X(WB_EEXIST,       "already exists") \
	X(WB_ENOENT,       "not found") \
	X(WB_ENOSETTING,   "no such setting") \
	X(WB_EBADVAL,      "invalid value for setting type") \
	X(WB_ECONNREFUSED, "TCP: connection refused (is the server listening on that port?)") \
	X(WB_ECONNRESET,   "TCP: connection reset by peer") \
	X(WB_ENOTCONN,     "TCP: not connected") \
	X(WB_ENOROUTE,     "no route to host (check netmask and gateway)") \
	X(WB_ECLOSED,      "TCP: connection closed by peer") \
	X(WB_ETOOBIG,      "value too large") \
	X(WB_ESYNTAX,      "syntax error") \
	X(WB_EEXIT,        "script exit") \
	X(WB_EFALSE,       "condition is false") \
	X(WB_ENOLABEL,     "no such label in the script") \
	X(WB_ENOTSUPCMD,   "not supported by wireboot (see docs/scripting.md)") \
	X(WB_ENOTSCRIPT,   "only valid in a script") \
	X(WB_ENESTING,     "scripts nested too deeply") \
	X(WB_EBADNAME,     "bad setting name or type") \
	X(WB_EEOF,         "end of input (console closed)") \
	X(WB_ENOMENU,      "menu: no such menu (create it with 'menu')") \
	X(WB_EMENUEMPTY,   "choose: menu has no selectable items") \
	X(WB_EWRONGKEY,    "prompt: a different key was pressed")

enum wb_err {
	WB_OK = 0,
#define WB_ERR_ENUM(name, msg) name,
	WB_ERR_FIRST_ = 1000,
	WB_ERRORS(WB_ERR_ENUM)
#undef WB_ERR_ENUM
	WB_ERR_LAST_
};

/** One-line message for an error code (positive or negative). */
const char *wb_strerror(int rc);

#endif
