/*
 * ntp_msg.h — SNTPv4 client (RFC 4330 §4–5, RFC 5905 §8): build a request,
 * check a server's reply, and the client exchange as a sans-I/O state
 * machine (struct ntp_client) that the network glue (net.c, net_sntp) feeds
 * with datagrams and the millisecond clock.  Pure functions over buffers.
 *
 * What the client believes (the clock it sets is what TLS checks certificate
 * dates against, so a forged time could make an expired certificate pass):
 *   - a reply only from the server address asked and UDP port 123;
 *   - only one whose originate timestamp is the transmit timestamp of a
 *     request still outstanding (a random 64-bit nonce per request: an
 *     off-path sender cannot guess it; RFC 5905 §8 "bogus packet" check),
 *     each answered once (a replayed copy is refused);
 *   - well-formed (ntp_msg_parse_ts);
 *   - NTP_SAMPLES (3) such replies: the clock offset is their median, so one
 *     wild sample does not move it;
 *   - a result not earlier than the build date (a clock set back before the
 *     binary existed is certainly wrong).
 * Any other datagram is counted and ignored: the exchange goes on until
 * enough valid replies came or the caller's timeout ends it.
 */
#ifndef WB_NTP_MSG_H
#define WB_NTP_MSG_H

#include <stddef.h>
#include <stdint.h>

#define NTP_MSG_LEN 48
#define NTP_PORT 123
/** Seconds from the NTP era 0 origin (1900) to the Unix epoch. */
#define NTP_UNIX_OFFSET 2208988800ULL
/** Valid replies the client needs; the offset is their median. */
#define NTP_SAMPLES 3
/** Requests remembered as outstanding (retransmissions included). */
#define NTP_PENDING_MAX 8

/** Build a client request; @xmit is our transmit timestamp (any unique 64-bit value). */
void ntp_msg_build(uint8_t buf[NTP_MSG_LEN], uint64_t xmit);
/**
 * Check a reply: length, mode 4 (server), version 3/4, stratum 1–15, leap
 * indicator not 3 (unsynchronised), originate timestamp = our @xmit, and a
 * nonzero transmit timestamp.  @return 0 and *unix_secs, or -WB_ENTPMODE,
 * -WB_ENTPVERSION, -WB_ENTPSTRATUM, -WB_ENTPLEAP (checked in that order), or
 * -WB_ENTPBAD (length, timestamps).
 * Era handling: timestamps with the top bit clear are taken as era 1
 * (2036+) per RFC 4330 §3.
 */
int ntp_msg_parse(const uint8_t *buf, size_t len, uint64_t xmit, int64_t *unix_secs);
/**
 * ntp_msg_parse() with the server's receive (T2) and transmit (T3)
 * timestamps as Unix milliseconds.  A zero receive timestamp is taken as
 * T3; a transmit timestamp earlier than the receive one is refused.
 * @return 0, or the errors of ntp_msg_parse().
 */
int ntp_msg_parse_ts(const uint8_t *buf, size_t len, uint64_t xmit, int64_t *rx_ms,
		     int64_t *tx_ms);

/** The middle value of three. */
int64_t ntp_median3(int64_t a, int64_t b, int64_t c);

/** One exchange with one server (caller-allocated; no heap). */
struct ntp_client {
	uint8_t server[4];
	struct {
		uint64_t nonce;     /* our transmit timestamp */
		uint64_t sent_ms;   /* T1 on the caller's millisecond clock */
		int live;           /* outstanding: not answered yet */
	} pending[NTP_PENDING_MAX];
	unsigned next;              /* pending slot the next request takes */
	int64_t offset_ms[NTP_SAMPLES]; /* Unix ms minus the caller's clock */
	int nsamples;
	unsigned ignored;           /* datagrams refused */
	int last_refusal;           /* why the last was refused: -WB_ENTPSOURCE, -WB_ENTPORIGIN, or ntp_msg_parse()'s */
};

/** Start an exchange with @server (IPv4). */
void ntp_client_init(struct ntp_client *c, const uint8_t server[4]);
/**
 * A request to send to the server's port 123: @nonce (random, never 0) as
 * its transmit timestamp, sent at @now_ms.  The oldest outstanding request
 * is forgotten when NTP_PENDING_MAX are.
 */
void ntp_client_request(struct ntp_client *c, uint64_t nonce, uint64_t now_ms,
			uint8_t buf[NTP_MSG_LEN]);
/**
 * A datagram of @len bytes from @from:@port received at @now_ms (the
 * caller's millisecond clock, as for requests: below 2^61).
 * @return 1 when it was taken as a sample, 0 when ignored (counted in
 * c->ignored, reason in c->last_refusal), also once NTP_SAMPLES were taken.
 */
int ntp_client_input(struct ntp_client *c, const uint8_t from[4], uint16_t port,
		     const uint8_t *buf, size_t len, uint64_t now_ms);
/** 1 once NTP_SAMPLES valid replies were taken. */
int ntp_client_done(const struct ntp_client *c);
/**
 * The outcome, at @now_ms on the caller's clock: 0 and *unix_secs (the
 * median offset applied to @now_ms); -WB_ENTPTIMEOUT when nothing came
 * back; -WB_ENTPFEW when fewer than NTP_SAMPLES valid replies came;
 * -WB_ENTPPAST when the time is before @not_before (Unix seconds; the
 * build date) — *unix_secs is set to that refused time then too.
 */
int ntp_client_result(const struct ntp_client *c, uint64_t now_ms, int64_t not_before,
		      int64_t *unix_secs);

#endif
