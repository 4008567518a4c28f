/*
 * iscsi_pdu.h — iSCSI PDU codec, sans-I/O (RFC 7143 §11).
 *
 * Three pieces:
 *   - struct iscsi_bhs + iscsi_bhs_encode()/iscsi_bhs_decode(): the 48-byte
 *     Basic Header Segment, every field named, for the PDUs an initiator
 *     sends (NOP-Out, SCSI Command, Task Management, Login, Text, Data-Out,
 *     Logout, SNACK) and receives (NOP-In, SCSI Response, Task Management
 *     Response, Login/Text Response, Data-In, Logout Response, R2T, Async
 *     Message, Reject).
 *   - iscsi_pdu_build(): a whole PDU into a buffer (BHS, AHS, header digest,
 *     data, padding, data digest).
 *   - struct iscsi_rx: a receive framer fed arbitrary chunks of the TCP
 *     stream that hands out one complete, verified PDU at a time.
 *
 * Wire layout of the BHS (RFC 7143 §11.2.1), big-endian:
 *   byte 0      .|I|Opcode (bit 6 = immediate delivery, bits 5..0 opcode)
 *   byte 1      F bit (0x80) and opcode-specific flags      -> flags
 *   bytes 2..3  opcode-specific
 *   byte 4      TotalAHSLength in 4-byte words               -> ahs_len (bytes)
 *   bytes 5..7  DataSegmentLength (24 bits, excludes padding) -> data_len
 *   bytes 8..15 LUN, or ISID+TSIH (Login), or opcode-specific
 *   bytes 16..19 Initiator Task Tag                          -> itt
 *   bytes 20..47 opcode-specific
 * Fields that an opcode does not have are written as zero by encode and
 * come out as zero from decode.  Digests (RFC 7143 §13.1, CRC32C) are
 * stored least-significant byte first (see crc32c.h).
 */
#ifndef WB_ISCSI_PDU_H
#define WB_ISCSI_PDU_H

#include <stddef.h>
#include <stdint.h>

#define ISCSI_BHS_LEN      48
#define ISCSI_DIGEST_LEN   4
#define ISCSI_AHS_MAX      (255 * 4)        /* TotalAHSLength is one byte of words */
#define ISCSI_DSL_MAX      0xffffffu        /* DataSegmentLength is 24 bits */
#define ISCSI_PAD4(n)      (((n) + 3u) & ~3u)

/* Opcodes, RFC 7143 §11.2.1.2 */
enum iscsi_opcode {
	/* initiator → target */
	ISCSI_OP_NOP_OUT      = 0x00,
	ISCSI_OP_SCSI_CMD     = 0x01,
	ISCSI_OP_TMF_REQ      = 0x02,
	ISCSI_OP_LOGIN_REQ    = 0x03,
	ISCSI_OP_TEXT_REQ     = 0x04,
	ISCSI_OP_DATA_OUT     = 0x05,
	ISCSI_OP_LOGOUT_REQ   = 0x06,
	ISCSI_OP_SNACK        = 0x10,
	/* target → initiator */
	ISCSI_OP_NOP_IN       = 0x20,
	ISCSI_OP_SCSI_RSP     = 0x21,
	ISCSI_OP_TMF_RSP      = 0x22,
	ISCSI_OP_LOGIN_RSP    = 0x23,
	ISCSI_OP_TEXT_RSP     = 0x24,
	ISCSI_OP_DATA_IN      = 0x25,
	ISCSI_OP_LOGOUT_RSP   = 0x26,
	ISCSI_OP_R2T          = 0x31,
	ISCSI_OP_ASYNC        = 0x32,
	ISCSI_OP_REJECT       = 0x3f,
};

/* byte 1 flags */
#define ISCSI_FLAG_FINAL        0x80  /* F: final PDU of a sequence (most opcodes) */
#define ISCSI_FLAG_CONTINUE     0x40  /* C: Text/Login, text continues in the next PDU */
#define ISCSI_LOGIN_TRANSIT     0x80  /* T: Login, move to the next stage */
#define ISCSI_LOGIN_CSG(f)      (((f) >> 2) & 3)
#define ISCSI_LOGIN_NSG(f)      ((f) & 3)
#define ISCSI_LOGIN_STAGES(csg, nsg) ((uint8_t)(((csg) & 3) << 2 | ((nsg) & 3)))
#define ISCSI_STAGE_SECURITY    0
#define ISCSI_STAGE_OPERATIONAL 1
#define ISCSI_STAGE_FULL        3
#define ISCSI_CMD_READ          0x40  /* R: SCSI Command expects input (Data-In) */
#define ISCSI_CMD_WRITE         0x20  /* W: SCSI Command carries output (Data-Out) */
#define ISCSI_CMD_ATTR_MASK     0x07  /* task attributes; 1 = SIMPLE */
#define ISCSI_ATTR_SIMPLE       1
#define ISCSI_DATAIN_ACK        0x40  /* A: Data-In, target wants a DataACK SNACK */
#define ISCSI_RSP_BIDI_OVERFLOW  0x10 /* o */
#define ISCSI_RSP_BIDI_UNDERFLOW 0x08 /* u */
#define ISCSI_RSP_OVERFLOW      0x04  /* O: SCSI Response and Data-In */
#define ISCSI_RSP_UNDERFLOW     0x02  /* U: SCSI Response and Data-In */
#define ISCSI_DATAIN_STATUS     0x01  /* S: Data-In carries the command's status */
#define ISCSI_LOGOUT_REASON(f)  ((f) & 0x7f)
#define ISCSI_LOGOUT_CLOSE_SESSION    0
#define ISCSI_LOGOUT_CLOSE_CONNECTION 1

/** The Basic Header Segment with every field an initiator uses, by name. */
struct iscsi_bhs {
	uint8_t opcode;          /* ISCSI_OP_* */
	uint8_t immediate;       /* I bit (initiator PDUs only; 0 or 1) */
	uint8_t flags;           /* byte 1, whole (ISCSI_FLAG_* etc.; Logout: 0x80|reason) */
	uint8_t version_max;     /* Login Req/Rsp byte 2 */
	uint8_t version_min;     /* Login Req byte 3; Login Rsp: Version-active */
	uint8_t response;        /* SCSI Rsp / Logout Rsp / TMF Rsp byte 2 */
	uint8_t status;          /* SCSI Rsp byte 3; Data-In byte 3 (valid with S) */
	uint8_t reason;          /* Reject byte 2 */
	uint8_t tmf_function;    /* TMF Req byte 1 low 7 bits (flags keeps the F bit) */
	uint32_t ahs_len;        /* bytes, a multiple of 4, <= ISCSI_AHS_MAX */
	uint32_t data_len;       /* DataSegmentLength, <= ISCSI_DSL_MAX */
	uint8_t lun[8];          /* LUN field (SCSI Cmd, Data, R2T, NOP, Text, TMF, Async) */
	uint8_t isid[6];         /* Login Req/Rsp bytes 8..13 */
	uint16_t tsih;           /* Login Req/Rsp bytes 14..15 */
	uint32_t itt;            /* Initiator Task Tag (0xffffffff = reserved/unsolicited) */
	uint32_t ttt;            /* Target Transfer Tag (Text, NOP, Data, R2T, SNACK) */
	uint32_t rtt;            /* Referenced Task Tag (TMF Req) */
	uint16_t cid;            /* Login Req, Logout Req */
	uint32_t edtl;           /* SCSI Cmd: Expected Data Transfer Length */
	uint32_t snack_tag;      /* SCSI Rsp */
	uint32_t cmdsn;          /* initiator PDUs */
	uint32_t expstatsn;      /* initiator PDUs */
	uint32_t statsn;         /* target PDUs */
	uint32_t expcmdsn;       /* target PDUs */
	uint32_t maxcmdsn;       /* target PDUs */
	uint32_t refcmdsn;       /* TMF Req */
	uint32_t datasn;         /* Data-In/Out DataSN; R2T R2TSN; Reject DataSN/R2TSN;
	                            SCSI Rsp / TMF Req ExpDataSN; SNACK BegRun */
	uint32_t buffer_offset;  /* Data-In/Out, R2T */
	uint32_t length;         /* R2T Desired Data Transfer Length; SNACK RunLength */
	uint32_t residual;       /* SCSI Rsp, Data-In: Residual Count */
	uint32_t bidi_residual;  /* SCSI Rsp: Bidirectional Read Residual Count */
	uint8_t status_class;    /* Login Rsp byte 36 */
	uint8_t status_detail;   /* Login Rsp byte 37 */
	uint16_t time2wait;      /* Logout Rsp bytes 40..41 */
	uint16_t time2retain;    /* Logout Rsp bytes 42..43 */
	uint8_t async_event;     /* Async byte 36 */
	uint8_t async_vcode;     /* Async byte 37 */
	uint16_t param[3];       /* Async Parameter1..3, bytes 38..43 */
	uint8_t cdb[16];         /* SCSI Cmd bytes 32..47 */
};

/** 1 if @op is an opcode this codec knows (RFC 7143 §11.2.1.2), else 0. */
int iscsi_opcode_known(uint8_t op);
/** 1 if @op is sent by targets (0x20..0x3f), 0 if by initiators. */
static inline int iscsi_opcode_from_target(uint8_t op) { return (op & 0x20) != 0; }
/** Short name of an opcode ("Login Response"), "?" when unknown. */
const char *iscsi_opcode_name(uint8_t op);

/**
 * Write @h as 48 bytes at @out.  Fields the opcode does not carry are
 * written as zero; @h->ahs_len must be a multiple of 4 and <= ISCSI_AHS_MAX,
 * @h->data_len <= ISCSI_DSL_MAX, the opcode known.
 * Returns 0, -WB_EISCSIOPCODE or -WB_EINVAL.  Pure.
 */
int iscsi_bhs_encode(const struct iscsi_bhs *h, uint8_t out[ISCSI_BHS_LEN]);

/**
 * Parse 48 bytes at @in into @h (every field not carried by the opcode is 0).
 * Checks: the opcode is known (-WB_EISCSIOPCODE); DataSegmentLength is at
 * most @max_recv_dsl, our declared MaxRecvDataSegmentLength
 * (-WB_EISCSIDSL); R2T, Logout Response and TMF Response carry no data
 * segment (-WB_EISCSIPDU, RFC 7143 §11.8/§11.15/§11.6).  Bit 7 of byte 0 is
 * reserved and ignored.  Returns 0 or a negative error.  Pure.
 */
int iscsi_bhs_decode(const uint8_t in[ISCSI_BHS_LEN], uint32_t max_recv_dsl, struct iscsi_bhs *h);

/**
 * Check the AHS area (@len bytes, a multiple of 4): a sequence of
 * AHSLength(2) AHSType(1) specific(1) + AHSLength bytes, each padded to 4,
 * exactly filling @len (RFC 7143 §11.2.2).  0 or -WB_EISCSIAHS.  Pure.
 */
int iscsi_ahs_check(const uint8_t *ahs, uint32_t len);

/** Total on-wire size of a PDU with this header and digest settings. */
size_t iscsi_pdu_size(const struct iscsi_bhs *h, int header_digest, int data_digest);

/**
 * Build a whole PDU into @out (@cap bytes): BHS from @h, then @ahs
 * (@h->ahs_len bytes, may be NULL when 0), the header digest if
 * @header_digest, @data (@h->data_len bytes) zero-padded to 4, and the data
 * digest if @data_digest and data_len > 0 (RFC 7143 §11.1).
 * Returns the length written (iscsi_pdu_size()), or -WB_ETOOBIG when @cap is
 * short, or an iscsi_bhs_encode() error.  Pure.
 */
int iscsi_pdu_build(const struct iscsi_bhs *h, const uint8_t *ahs, const uint8_t *data,
		    int header_digest, int data_digest, uint8_t *out, size_t cap);

/** One received PDU; pointers are into the iscsi_rx and valid until the next feed. */
struct iscsi_pdu {
	struct iscsi_bhs bhs;
	const uint8_t *ahs;      /* bhs.ahs_len bytes (NULL when 0) */
	const uint8_t *data;     /* bhs.data_len bytes (NULL when 0) */
};

/**
 * Receive framer (caller-allocated, no heap).  State machine, one PDU at a
 * time:
 *
 *   HEADER (BHS 48, then AHS TotalAHSLength*4, then header digest 4 when on)
 *     --all header bytes in, digest checks, BHS decodes-->
 *   DATA (DataSegmentLength rounded up to 4, then data digest 4 when on
 *         and DataSegmentLength > 0)
 *     --all in, digest checks--> DONE: iscsi_rx_feed() returns 1
 *   any failure --> ERROR (sticky: every later feed returns the same error;
 *   the connection must be dropped, RFC 7143 §7.8)
 *
 * The header digest is checked before any BHS field is trusted, so a
 * corrupted DataSegmentLength cannot make us wait for bytes that never come.
 */
struct iscsi_rx {
	/* settings (iscsi_rx_init / iscsi_rx_set_*) */
	uint8_t *data_buf;       /* caller's buffer for data + padding */
	size_t data_cap;
	uint32_t max_recv_dsl;
	uint8_t header_digest, data_digest;
	/* state */
	uint8_t state;
	int error;
	size_t have;             /* bytes of the current part received */
	uint32_t hdr_need;       /* BHS + AHS + header digest */
	uint32_t data_need;      /* padded data + data digest */
	uint8_t hdr[ISCSI_BHS_LEN + ISCSI_AHS_MAX + ISCSI_DIGEST_LEN];
	uint8_t ddigest[ISCSI_DIGEST_LEN];
	struct iscsi_pdu pdu;    /* valid after iscsi_rx_feed() returned 1 */
};

/**
 * Set up @rx.  @data_buf (@data_cap bytes, owned by the caller, must outlive
 * @rx) receives data segments; it must hold ISCSI_PAD4(@max_recv_dsl) bytes.
 * Digests start off (login is never digested, RFC 7143 §13.1).
 * Returns 0 or -WB_EINVAL (buffer too small, dsl > ISCSI_DSL_MAX).
 */
int iscsi_rx_init(struct iscsi_rx *rx, uint8_t *data_buf, size_t data_cap, uint32_t max_recv_dsl);
/** Turn digests on/off; only between PDUs (-WB_EAGAIN mid-PDU). */
int iscsi_rx_set_digests(struct iscsi_rx *rx, int header_digest, int data_digest);
/** Change MaxRecvDataSegmentLength; only between PDUs; same buffer rule as init. */
int iscsi_rx_set_max_dsl(struct iscsi_rx *rx, uint32_t max_recv_dsl);

/**
 * Feed @len bytes from the stream.  Consumes bytes up to the end of at most
 * one PDU and stores how many in *@used.  Returns 1 when a PDU is complete
 * (read it from @rx->pdu; it stays valid until the next call), 0 when all
 * @len bytes were consumed without completing one, or a negative error
 * (-WB_EISCSIHDIGEST, -WB_EISCSIDDIGEST, -WB_EISCSIAHS and the
 * iscsi_bhs_decode() errors), after which @rx is stuck in that error.
 */
int iscsi_rx_feed(struct iscsi_rx *rx, const uint8_t *in, size_t len, size_t *used);

#endif
