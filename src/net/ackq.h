/*
 * ackq.h — holding back pure TCP ACKs until the next poll (issue 14).
 *
 * On firmware every transmitted frame is expensive (U-Boot's SNP Transmit
 * waits for the virtio device: ~140 µs per frame under QEMU TCG, three
 * quarters of the receive path's time; docs/benchmarks.md "Receive path on
 * firmware").  A receiver sends an ACK per two segments and a window update
 * when the application reads; several of those for the same connection
 * between two polls say the same thing as the last of them (ACKs are
 * cumulative, the window is the latest).  So a pure ACK is held in a slot
 * per connection and replaced by a later one; the slots are sent at the
 * start of the next poll (net_poll), or before any other frame goes out (so
 * the wire order of everything else is unchanged).
 *
 * Never held: anything with data, SYN, FIN, RST or URG; an ACK carrying SACK
 * blocks (out-of-order data: the sender's loss recovery counts those); an ACK
 * equal to the held one (same ack number and window: a duplicate ACK or a
 * deliberately repeated window update) — the held one goes first, then it.
 * IPv4 only (over Ethernet, optionally 802.1Q-tagged); anything else is sent.
 *
 * Pure: no I/O, no allocation; the caller sends what it is told to.
 */
#ifndef WB_ACKQ_H
#define WB_ACKQ_H

#include <stddef.h>
#include <stdint.h>

#define ACKQ_SLOTS     4
#define ACKQ_FRAME_MAX 160   /* Ethernet + 802.1Q + IPv4 + TCP with options */

struct ackq_ack {
	uint8_t key[12];    /* source address, destination address, source port, destination port */
	uint32_t ack;       /* acknowledgment number */
	uint16_t win;       /* window field as sent (unscaled) */
};

struct ackq_slot {
	int used;
	struct ackq_ack a;
	size_t len;
	uint8_t frame[ACKQ_FRAME_MAX];
};

struct ackq {
	struct ackq_slot s[ACKQ_SLOTS];
	uint64_t held;      /* ACKs put in a slot */
	uint64_t replaced;  /* held ACKs replaced by a later one (frames never sent) */
};

/**
 * Is @frame (@len bytes, Ethernet) a pure TCP ACK that may be held?  1 and
 * *@out, or 0 (send it as it is).  Pure; for any bytes.
 */
int ackq_parse(const uint8_t *frame, size_t len, struct ackq_ack *out);

#define ACKQ_SEND 0   /* send the slots in *flush (ascending), then @frame */
#define ACKQ_HELD 1   /* send the slots in *flush (ascending); @frame is held */

/**
 * Offer an outgoing frame.  *@flush gets a bit mask of slots to send first
 * (then free them with ackq_take()).  @return ACKQ_SEND or ACKQ_HELD.
 */
int ackq_offer(struct ackq *q, const uint8_t *frame, size_t len, unsigned *flush);

/** Bit mask of every held slot (what a poll sends). */
unsigned ackq_pending(const struct ackq *q);

/** Slot @i's frame (*@len bytes) to send now; the slot is free afterwards. */
const uint8_t *ackq_take(struct ackq *q, unsigned i, size_t *len);

#endif
