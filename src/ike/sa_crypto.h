/* sa_crypto.h: per-SA decryption state shared by the IKEv2 and IKEv1 decryption glue. */
#ifndef IKESCOPE_IKE_SA_CRYPTO_H
#define IKESCOPE_IKE_SA_CRYPTO_H

#include "ike/crypto/keyset.h"
#include "ike/sa_internal.h"

#define MAX_FRAGMENTS 64 /* RFC 7383 allows more; 64 x 1280 bytes is far above any real IKE_AUTH */
#define V1_MAX_EXCHANGES 16

/* The decrypted pieces of one fragmented message from one sender. */
struct frag_set {
    bool active;
    uint32_t msg_id;
    uint16_t total;
    uint8_t first_type; /* next-payload of fragment 1: the first inner payload */
    uint8_t *part[MAX_FRAGMENTS];
    size_t len[MAX_FRAGMENTS];
    size_t have;
};

/* IKEv1: the CBC chain of one exchange (phase 1 is message ID 0). */
struct v1_chain {
    uint32_t msg_id;
    uint8_t iv[16];
};

struct sa_crypto {
    const struct ike_keyset *ks; /* the SA's keys: in the store, or &derived */
    struct ike_keyset derived;   /* keys derived from a DH secret or SKEYSEED */
    struct frag_set frag[2];     /* [1] from the initiator, [0] from the responder */
    /* IKEv1 (RFC 2409 Appendix B). */
    struct ike_secret v1_ka;     /* the phase-1 encryption key */
    size_t v1_block;
    bool v1_p1_done;             /* v1_last_p1 holds the last phase-1 ciphertext block */
    uint8_t v1_last_p1[16];
    struct v1_chain v1_chains[V1_MAX_EXCHANGES];
    size_t v1_nchains;
    struct frag_set v1_frag[2];  /* IKEv1 fragments (payload 132) being collected, per sender */
    uint16_t v1_frag_id[2];
};

void ike_sa_frag_reset(struct frag_set *f);
/* The SA's decryption state, created on first use; NULL when out of memory. */
struct sa_crypto *ike_sa_crypto_get(struct ike_sa *sa);

/* sa_decrypt_v1.c */
/* Handles a message carrying an IKEv1 fragment (payload 132); false if it carries none. */
bool ike_sa_v1_fragment(struct ike_sa *sa, struct ike_sa_msg *sm, const struct ike_keystore *keys);
void ike_sa_decrypt_v1(struct ike_sa *sa, struct sa_crypto *c, const struct ike_keystore *keys,
                       struct ike_sa_msg *sm);

#endif
