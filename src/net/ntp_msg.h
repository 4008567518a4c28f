/*
 * ntp_msg.h — SNTPv4 client messages (RFC 4330 §4–5): build a request and
 * check a server's reply.  Pure functions over buffers.
 */
#ifndef WB_NTP_MSG_H
#define WB_NTP_MSG_H

#include <stddef.h>
#include <stdint.h>

#define NTP_MSG_LEN 48
/** Seconds from the NTP era 0 origin (1900) to the Unix epoch. */
#define NTP_UNIX_OFFSET 2208988800ULL

/** Build a client request; @xmit is our transmit timestamp (any unique 64-bit value). */
void ntp_msg_build(uint8_t buf[NTP_MSG_LEN], uint64_t xmit);
/**
 * Check a reply: length, mode 4 (server), version 3/4, stratum 1–15, leap
 * indicator not 3 (unsynchronised), originate timestamp = our @xmit, and a
 * nonzero transmit timestamp.  @return 0 and *unix_secs, or -WB_ENTPBAD.
 * Era handling: timestamps with the top bit clear are taken as era 1
 * (2036+) per RFC 4330 §3.
 */
int ntp_msg_parse(const uint8_t *buf, size_t len, uint64_t xmit, int64_t *unix_secs);

#endif
