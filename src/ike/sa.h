/* sa.h: IKE messages grouped into negotiations (IKE SAs), with request/response
 * pairing, retransmissions, retries and an outcome (RFC 7296 §1, §2.1-2.2; RFC 2409 §5). */
#ifndef IKESCOPE_IKE_SA_H
#define IKESCOPE_IKE_SA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/capture.h"
#include "ike/msg.h"

struct ike_keystore;
struct ike_keyset;
struct ike_secret;

struct ike_endpoint {
    struct cap_addr addr;
    uint16_t port;
};

struct ike_time {
    int64_t sec;
    uint32_t usec;
};

static inline bool ike_time_before(const struct ike_time *a, const struct ike_time *b)
{
    return a->sec < b->sec || (a->sec == b->sec && a->usec < b->usec);
}

enum ike_outcome {
    IKE_OUTCOME_UNKNOWN = 0, /* encrypted: cannot tell yet */
    IKE_OUTCOME_ESTABLISHED,
    IKE_OUTCOME_FAILED,
    IKE_OUTCOME_INCOMPLETE, /* capture ends or the peer went silent */
};

const char *ike_outcome_name(enum ike_outcome o);

/* Why a message could not be decrypted, or that it was (IKE_DECRYPT_*). */
enum ike_decrypt_state {
    IKE_DECRYPT_NOT_NEEDED = 0, /* cleartext */
    IKE_DECRYPT_NO_KEYS,        /* encrypted and no keys for this SA */
    IKE_DECRYPT_OK,
    IKE_DECRYPT_ICV_MISMATCH,   /* keys present but the ICV/tag does not verify */
    IKE_DECRYPT_UNSUPPORTED,    /* algorithm we cannot decrypt */
    IKE_DECRYPT_FAILED,         /* malformed ciphertext or padding */
    IKE_DECRYPT_FRAGMENT,       /* a fragment whose message is reassembled elsewhere */
};

/* One message in an SA's timeline. */
struct ike_sa_msg {
    struct ike_msg msg;
    unsigned input;
    uint64_t *frames; /* owned: the packets of this datagram (several when IP-fragmented) */
    size_t nframes;
    /* For the fragment (RFC 7383 SKF, IKEv1 payload 132) that completed a fragmented
     * message: the packets of every fragment that made it, this one's last; else NULL. */
    uint64_t *assembled_frames; /* owned */
    size_t nassembled_frames;
    struct ike_time time;
    struct ike_endpoint src, dst;
    enum cap_framing framing;
    bool from_initiator;  /* sent by this SA's original initiator */
    bool response;        /* IKEv2: R flag; IKEv1: sent by the responder */
    bool retransmission;  /* same sender, same bytes as an earlier message */
    bool retry;           /* a new IKE_SA_INIT after INVALID_KE_PAYLOAD or COOKIE */
    int peer;             /* index of the matching request or response, -1 if none */
    enum ike_decrypt_state decrypt;
};

/* What the key files said about this SA. */
enum ike_sa_keys {
    IKE_SA_KEYS_NOT_GIVEN = 0, /* no --keys, or the SA needed none */
    IKE_SA_KEYS_NONE_MATCH,    /* keys were given, none belongs to this SA */
    IKE_SA_KEYS_MATCHED,       /* decrypted with them */
    IKE_SA_KEYS_WRONG,         /* keys for these SPIs, but the ICV does not verify */
    IKE_SA_KEYS_SWAPPED,       /* they verify only with initiator and responder keys swapped */
};

/* An ICMP error about one of this SA's datagrams (destination unreachable, packet too
 * big): the network's answer to a message that did not arrive. */
#define IKE_SA_MAX_ICMP 8
struct ike_sa_icmp {
    struct ike_time time;
    unsigned input;
    uint64_t frame;           /* the ICMP packet */
    struct cap_icmp icmp;
    bool about_initiator_msg; /* the datagram it quotes was sent by the initiator */
};

#define IKE_SA_MAX_VENDORS 16

/* A Vendor ID seen in the SA: table index plus what its trailing bytes say
 * ("Windows 10/Server 2016"), and who sent it. */
struct ike_sa_vendor {
    int idx;
    bool from_initiator;
    char detail[64];
};

/* ESP (RFC 4303) seen between an SA's two hosts: without keys, the one sign on the wire
 * that a CHILD_SA was installed and used. The SPIs are not tied to the SA's CHILD_SAs
 * (those travel encrypted), only to the hosts and the time. */
#define IKE_SA_ESP_SPIS 4
struct ike_sa_esp {
    uint64_t packets;
    struct ike_time first, last;
    unsigned input;
    uint64_t first_frame;
    uint32_t spis[IKE_SA_ESP_SPIS]; /* the first distinct SPIs seen */
    size_t nspis;
    bool both_directions;           /* packets went each way */
    bool from_initiator_seen, from_responder_seen;
    bool armed; /* the SA got far enough to install a CHILD_SA: ESP is counted from here on */
};

/* Readings of encrypted traffic: likely, not certain, until keys confirm them. */
enum ike_likely {
    IKE_LIKELY_NONE = 0,
    /* The IKE_AUTH response is too short to hold AUTH and an identity: only a notify, so the
     * responder refused the initiator (RFC 7296 §2.21.2). */
    IKE_LIKELY_RESPONDER_REJECTED,
    /* One INFORMATIONAL request of the size of one notify without data, from the initiator
     * right after the IKE_AUTH response, and nothing after: the initiator refused the
     * responder's authentication (RFC 7296 §2.21.2). */
    IKE_LIKELY_INITIATOR_REJECTED,
};

/* The capture holds only the initiator's messages of this SA, yet one of them carries the
 * responder's SPI (IKEv1: cookie), which only an answer can have taught it: the capture
 * sees one direction. Returns that message, or NULL. */
struct ike_sa;
const struct ike_sa_msg *ike_sa_one_direction_proof(const struct ike_sa *sa);

/* "responder-rejected", "initiator-rejected" (NULL for none). */
const char *ike_likely_name(enum ike_likely l);

struct ike_sa {
    unsigned id;          /* 1-based, in order of first message */
    uint8_t version;
    struct ike_endpoint initiator, responder;
    uint8_t spi_i[8], spi_r[8];
    struct ike_time first_seen, last_seen;
    enum ike_outcome outcome;
    char evidence[200];   /* one sentence: why this outcome */
    struct ike_sa_vendor vendors[IKE_SA_MAX_VENDORS]; /* each (sender, vendor) once */
    size_t nvendors;
    bool natt_moved;      /* switched from 500 to 4500 (RFC 7296 §2.23, RFC 3947) */
    unsigned rekey_of;    /* id of the IKE SA whose CREATE_CHILD_SA created this one, or 0 */
    bool rekey_inferred;  /* rekey_of from timing and addresses, not from decrypted SPIs */
    unsigned continues;   /* id of the record this SA's earlier messages went to, or 0: the same
                           * SPIs after the tracker had closed that record for being idle */
    int64_t continues_after_sec; /* the silence, in seconds, between the two */
    bool deleted;         /* a Delete of the IKE SA was answered (IKEv1: sent; it has no answer) */
    bool deleted_by_initiator;
    struct ike_time deleted_at;

    /* Negotiated algorithms from the responder's SA payload (IANA ids, 0 = unknown). */
    uint16_t encr, encr_key_bits, integ, prf, dh_group;
    uint16_t auth_method_v1; /* IKEv1 authentication method attribute */

    struct ike_sa_msg *msgs; /* owned, in capture order */
    size_t nmsgs, msgs_cap;
    uint64_t msgs_dropped;   /* messages beyond the per-SA cap, counted not kept */
    bool outcome_final_hint; /* nothing more is expected: release after a short idle time */
    struct ike_sa_icmp *icmp; /* owned; the first IKE_SA_MAX_ICMP ICMP errors, in capture order */
    size_t nicmp;
    uint64_t icmp_total;      /* all ICMP errors about this SA, kept or not */
    struct ike_sa_esp esp;    /* ESP between this SA's hosts while it was the latest */
    /* Without keys: the failure the shape of the encrypted messages points to (set by the
     * judgement when the outcome is unknown), and the message that shows it. */
    enum ike_likely likely;
    size_t likely_msg;        /* index into msgs; meaningful when `likely` is set */
    /* Its first message answers a request the capture does not hold (IKEv2 response;
     * IKEv1 main or aggressive mode message 2). */
    bool answer_first;

    /* Decryption state, owned by the decryption glue. */
    enum ike_sa_keys keys;
    void *crypto;

    struct ike_sa *hash_next; /* tracker internals: SPI index */
    struct ike_sa *ep_prev, *ep_next; /* tracker internals: endpoint-pair index */
    unsigned ep_bucket;
    bool parked;              /* tracker internals: held back after going idle (sa.c) */
    struct ike_sa *live_prev, *live_next;
};

/* The key set that decrypted this SA (one from the key store, or the SA's own keys derived
 * from a DH secret or SKEYSEED), or NULL; valid until the SA is released. */
const struct ike_keyset *ike_sa_keyset(const struct ike_sa *sa);
/* IKEv1: the phase-1 encryption key computed for this SA (RFC 2409 Appendix B), or NULL. */
const struct ike_secret *ike_sa_v1_enc_key(const struct ike_sa *sa);

/* The message's first payload (cleartext or decrypted) of this type, or NULL; does it carry
 * one / an IKEv2 notify of this type? */
const struct ike_payload *ike_sa_msg_payload(const struct ike_sa_msg *sm, uint8_t type);
bool ike_sa_msg_has(const struct ike_sa_msg *sm, uint8_t type);
bool ike_sa_msg_has_notify(const struct ike_sa_msg *sm, uint16_t type);

/* IKEv1 authentication methods that use a pre-shared key (RFC 2409 §5; XAUTH variants). */
bool ike_v1_auth_is_psk(uint16_t method);
/* Authentication methods that are signatures: IKEv1 DSS, RSA and ECDSA (RFC 2409, RFC 4754,
 * XAUTH variants); IKEv2 RSA, DSS, ECDSA (RFC 7296 §3.8, RFC 4754) and Digital Signature
 * (RFC 7427). */
bool ike_v1_auth_is_signature(uint16_t method);
bool ike_v2_auth_is_signature(uint8_t method);

/* Every packet that made this message: all its fragments' for a reassembled message. */
const uint64_t *ike_sa_msg_frames(const struct ike_sa_msg *sm, size_t *n);

/* Called once for every SA when the tracker is done with it (deleted,
 * idle past the timeout, or end of input). The SA is freed after return. */
typedef void (*ike_sa_done_fn)(void *ctx, const struct ike_sa *sa);

struct ike_tracker_stats {
    uint64_t messages;     /* IKE messages parsed */
    uint64_t not_ike;      /* datagrams on IKE ports that were not IKE */
    uint64_t sas;          /* SAs created */
    uint64_t live_peak;    /* most SAs held at once */
    uint64_t icmp_unmatched; /* ICMP errors about IKE datagrams of no SA in the capture */
    uint64_t esp_unmatched;  /* ESP packets between hosts with no IKE SA in the capture */
};

struct ike_tracker_config {
    uint32_t idle_timeout_sec;    /* release an unfinished SA after this much silence (default 120) */
    size_t max_live_sas;          /* evict the oldest when exceeded (default 100000) */
    size_t max_msgs_per_sa;       /* keep at most this many messages per SA (default 512) */
};

struct ike_tracker;

void ike_tracker_config_defaults(struct ike_tracker_config *cfg);
int ike_tracker_new(struct ike_tracker **out, const struct ike_tracker_config *cfg,
                    const struct ike_keystore *keys, ike_sa_done_fn done, void *ctx);
/* Feed one IKE datagram from the capture layer (usable as a cap_ike_fn). */
void ike_tracker_datagram(void *tracker, const struct cap_ike_datagram *d);
/* The clock moved without a datagram (live capture): release SAs silent past the timeout. */
void ike_tracker_tick(struct ike_tracker *t, int64_t sec, uint32_t usec);
/* End of input: finish every SA still live, in id order. */
void ike_tracker_finish(struct ike_tracker *t);
const struct ike_tracker_stats *ike_tracker_stats(const struct ike_tracker *t);
#define IKE_NOT_IKE_FRAMES 16

/* Per input: IKE messages parsed from it, and datagrams on IKE ports that were not IKE. */
/* Answers to one initiator SPI/cookie from many hosts whose requests the capture does not
 * hold: someone sent requests in the name of `target` (reflection or amplification) and the
 * capture sees the answers (backscatter). The largest such group of an input. */
struct ike_reflection {
    uint8_t spi_i[8];
    uint8_t version;
    struct cap_addr target;  /* where the answers went: the address the requests claimed */
    uint64_t reflectors;     /* hosts (distinct SAs) that answered */
    uint64_t first_frame;
};

struct ike_input_counts {
    uint64_t messages;
    uint64_t not_ike;
    uint64_t not_ike_frames[IKE_NOT_IKE_FRAMES]; /* the first few, for the report */
    struct ike_reflection reflection;
};

const struct ike_input_counts *ike_tracker_input(const struct ike_tracker *t, unsigned input);
void ike_tracker_free(struct ike_tracker *t);

#endif
