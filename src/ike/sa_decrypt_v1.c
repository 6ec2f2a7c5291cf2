/* sa_decrypt_v1.c: IKEv1 decryption with the IV chaining of RFC 2409 Appendix B: phase 1
 * starts from hash(g^xi | g^xr), every later exchange from hash(last phase-1 block | M-ID),
 * and each message continues from the previous message's last ciphertext block. */
#include <stdlib.h>
#include <string.h>

#include "ike/crypto/cipher.h"
#include "ike/crypto/derive.h"
#include "ike/payloads.h"
#include "ike/sa_crypto.h"

/* The KE payload body (g^x) one side sent in main or aggressive mode. */
static const struct ike_payload *phase1_ke(const struct ike_sa *sa, bool from_initiator)
{
    for (size_t i = 0; i < sa->nmsgs; i++) {
        const struct ike_sa_msg *sm = &sa->msgs[i];
        if (sm->from_initiator != from_initiator || sm->msg.encrypted)
            continue;
        for (size_t k = 0; k < sm->msg.npayloads; k++)
            if (sm->msg.payloads[k].type == IKE1_PL_KE)
                return &sm->msg.payloads[k];
    }
    return NULL;
}

static struct v1_chain *chain_add(struct sa_crypto *c, uint32_t msg_id)
{
    if (c->v1_nchains == V1_MAX_EXCHANGES) {
        /* Keep phase 1 (slot 0) and drop the oldest later exchange. */
        memmove(&c->v1_chains[1], &c->v1_chains[2], (V1_MAX_EXCHANGES - 2) * sizeof c->v1_chains[0]);
        c->v1_nchains--;
    }
    struct v1_chain *ch = &c->v1_chains[c->v1_nchains++];
    memset(ch, 0, sizeof *ch);
    ch->msg_id = msg_id;
    return ch;
}

static const struct ike_payload *phase1_nonce(const struct ike_sa *sa, bool from_initiator)
{
    for (size_t i = 0; i < sa->nmsgs; i++) {
        const struct ike_sa_msg *sm = &sa->msgs[i];
        if (sm->from_initiator != from_initiator || sm->msg.encrypted || sm->msg.msg_id != 0)
            continue;
        for (size_t k = 0; k < sm->msg.npayloads; k++)
            if (sm->msg.payloads[k].type == IKE1_PL_NONCE)
                return &sm->msg.payloads[k];
    }
    return NULL;
}

/* RFC 2409 §5: pre-shared key methods (1, and the XAUTH/hybrid PSK variants 65001/65002). */
bool ike_v1_auth_is_psk(uint16_t method)
{
    return method == 1 || method == 65001 || method == 65002;
}

bool ike_v1_auth_is_signature(uint16_t method)
{
    return method == 2 || method == 3 || (method >= 8 && method <= 11) || (method >= 65003 && method <= 65006);
}

bool ike_v2_auth_is_signature(uint8_t method)
{
    return method == 1 || method == 3 || method == 9 || method == 10 || method == 11 || method == 14;
}

/* SKEYID_e from what a key set holds: SKEYID_e itself, SKEYID, or the DH
 * secret g^xy (with the pre-shared key for PSK authentication). */
static bool derive_skeyid_e(const struct ike_sa *sa, const struct ike_keyset *ks, struct ike_secret *skeyid_e)
{
    if (ks->skeyid_e.len)
        return ike_secret_set(skeyid_e, ks->skeyid_e.p, ks->skeyid_e.len) == IKE_SECRET_OK;
    if (!ks->dh_secret.len)
        return false;
    const struct ike_payload *ni = phase1_nonce(sa, true), *nr = phase1_nonce(sa, false);
    if (!ni || !nr)
        return false;
    struct ike_secret skeyid = { 0 }, d = { 0 }, a = { 0 };
    bool ok;
    if (ks->skeyid.len)
        ok = ike_secret_set(&skeyid, ks->skeyid.p, ks->skeyid.len) == IKE_SECRET_OK;
    else if (ike_v1_auth_is_psk(sa->auth_method_v1))
        ok = ks->psk.len && ike_v1_skeyid_psk(sa->integ, &ks->psk, ni->body, ni->body_len, nr->body,
                                              nr->body_len, &skeyid) == IKE_PRF_OK;
    else
        ok = ike_v1_skeyid_sig(sa->integ, ni->body, ni->body_len, nr->body, nr->body_len, ks->dh_secret.p,
                               ks->dh_secret.len, &skeyid) == IKE_PRF_OK;
    ok = ok && ike_v1_skeyid_derive(sa->integ, &skeyid, ks->dh_secret.p, ks->dh_secret.len, sa->spi_i,
                                    sa->spi_r, &d, &a, skeyid_e) == IKE_PRF_OK;
    ike_secret_free(&skeyid);
    ike_secret_free(&d);
    ike_secret_free(&a);
    return ok;
}

/* Sets up the encryption key and the phase-1 IV from one key set; false if it cannot. */
static bool setup(struct ike_sa *sa, struct sa_crypto *c, const struct ike_keyset *ks)
{
    size_t key_len = ike_v1_encr_key_len(sa->encr, sa->encr_key_bits);
    size_t block = ike_v1_block_len(sa->encr);
    if (!key_len || !block || !sa->integ)
        return false;
    ike_secret_free(&c->v1_ka);
    if (ks->v1_enc_key.len >= key_len) {
        if (ike_secret_set(&c->v1_ka, ks->v1_enc_key.p, key_len) != IKE_SECRET_OK)
            return false;
    } else {
        struct ike_secret skeyid_e = { 0 };
        bool ok = derive_skeyid_e(sa, ks, &skeyid_e) &&
                  ike_v1_enc_key(sa->integ, &skeyid_e, key_len, &c->v1_ka) == IKE_PRF_OK;
        ike_secret_free(&skeyid_e);
        if (!ok)
            return false;
    }
    c->v1_block = block;
    c->v1_nchains = 0;
    c->v1_p1_done = false;
    struct v1_chain *p1 = chain_add(c, 0);
    if (ks->v1_iv.len >= block) {
        memcpy(p1->iv, ks->v1_iv.p, block);
        return true;
    }
    const struct ike_payload *kei = phase1_ke(sa, true), *ker = phase1_ke(sa, false);
    if (!kei || !ker)
        return false;
    return ike_v1_phase1_iv(sa->integ, kei->body, kei->body_len, ker->body, ker->body_len, block, p1->iv) ==
           IKE_PRF_OK;
}

static struct v1_chain *chain_for(struct sa_crypto *c, const struct ike_sa *sa, uint32_t msg_id)
{
    for (size_t i = 0; i < c->v1_nchains; i++)
        if (c->v1_chains[i].msg_id == msg_id)
            return &c->v1_chains[i];
    if (msg_id == 0 || !c->v1_p1_done)
        return NULL;
    struct v1_chain *ch = chain_add(c, msg_id);
    if (ike_v1_phase2_iv(sa->integ, c->v1_last_p1, c->v1_block, msg_id, ch->iv) != IKE_PRF_OK) {
        c->v1_nchains--;
        return NULL;
    }
    return ch;
}

/* The decrypted chain parses without a flaw? IKEv1 carries no integrity check
 * on the ciphertext, so the payload parser is the only judge of a key. */
static bool parses_cleanly(const uint8_t *plain, size_t len, uint8_t first_type)
{
    uint8_t *copy = malloc(len ? len : 1);
    if (!copy)
        return false;
    memcpy(copy, plain, len);
    struct ike_msg trial = { .version = 1 };
    bool ok = ike_msg_add_inner(&trial, first_type, copy, len) == IKE_PARSE_OK && trial.nanomalies == 0;
    ike_msg_cleanup(&trial);
    return ok;
}

/* Decrypts with the exchange's CBC chain. With commit, a clean result goes
 * into the message and the chain moves on (it moves on in any case: the
 * next IV is the last ciphertext block whatever the key). */
static bool decrypt_one(struct ike_sa *sa, struct sa_crypto *c, struct ike_sa_msg *sm, bool commit)
{
    struct v1_chain *ch = chain_for(c, sa, sm->msg.msg_id);
    if (!ch)
        return false;
    uint8_t *plain = NULL, next_iv[16];
    size_t len = 0;
    if (ike_v1_decrypt(sa->encr, &c->v1_ka, ch->iv, sm->msg.raw, sm->msg.raw_len, &plain, &len, next_iv) !=
        IKE_DEC_OK)
        return false;
    bool ok = parses_cleanly(plain, len, sm->msg.first_payload);
    if (!commit) {
        ike_v2_plain_free(plain, len);
        return ok;
    }
    memcpy(ch->iv, next_iv, c->v1_block);
    if (sm->msg.msg_id == 0) {
        memcpy(c->v1_last_p1, next_iv, c->v1_block);
        c->v1_p1_done = true;
    }
    if (!ok) {
        ike_v2_plain_free(plain, len);
        return false;
    }
    return ike_msg_add_inner(&sm->msg, sm->msg.first_payload, plain, len) == IKE_PARSE_OK;
}

/* A retransmission repeats the original's ciphertext: reuse its plaintext
 * rather than advancing the CBC chain a second time. */
static bool copy_original(struct ike_sa *sa, struct ike_sa_msg *sm)
{
    for (struct ike_sa_msg *o = sa->msgs; o < sm; o++) {
        if (!o->msg.decrypted || o->msg.raw_len != sm->msg.raw_len ||
            memcmp(o->msg.raw, sm->msg.raw, sm->msg.raw_len) != 0)
            continue;
        uint8_t *copy = malloc(o->msg.plain_len ? o->msg.plain_len : 1);
        if (!copy)
            return false;
        memcpy(copy, o->msg.plain, o->msg.plain_len);
        ike_msg_add_inner(&sm->msg, sm->msg.first_payload, copy, o->msg.plain_len);
        return true;
    }
    return false;
}

void ike_sa_decrypt_v1(struct ike_sa *sa, struct sa_crypto *c, const struct ike_keystore *keys,
                       struct ike_sa_msg *sm)
{
    if (sm->retransmission && copy_original(sa, sm)) {
        sm->decrypt = IKE_DECRYPT_OK;
        return;
    }
    if (!c->ks) {
        const struct ike_keyset *by_spi = ike_keystore_find_by_spi(keys, 1, sa->spi_i, sa->spi_r);
        if (by_spi) {
            if (!setup(sa, c, by_spi)) {
                sm->decrypt = IKE_DECRYPT_UNSUPPORTED;
                return;
            }
            c->ks = by_spi;
        } else {
            /* Key sets without cookies (charon logs): the one whose plaintext parses. */
            size_t n = ike_keystore_count(keys);
            for (size_t i = 0; i < n && !c->ks; i++) {
                const struct ike_keyset *ks = ike_keystore_get(keys, i);
                if (ks->has_spis || (ks->version && ks->version != 1))
                    continue;
                if (setup(sa, c, ks) && decrypt_one(sa, c, sm, false))
                    c->ks = ks;
            }
            if (!c->ks)
                return; /* stays IKE_DECRYPT_NO_KEYS */
        }
    }
    if (decrypt_one(sa, c, sm, true)) {
        sm->decrypt = IKE_DECRYPT_OK;
        sa->keys = IKE_SA_KEYS_MATCHED;
        return;
    }
    sm->decrypt = IKE_DECRYPT_FAILED;
    ike_msg_anomaly(&sm->msg, IKE_AN_DECRYPT_FAILED);
    if (sa->keys != IKE_SA_KEYS_MATCHED)
        sa->keys = IKE_SA_KEYS_WRONG;
}

/* Rebuilt message of a completed fragment set: parsed, decrypted when it is
 * encrypted, and its payloads attached to the message that completed it. */
static void v1_reassembled(struct ike_sa *sa, struct ike_sa_msg *sm, const struct ike_keystore *keys,
                           uint8_t *whole, size_t len)
{
    struct ike_sa_msg rebuilt = { .from_initiator = sm->from_initiator, .peer = -1 };
    enum ike_parse_status st = ike_msg_parse(&rebuilt.msg, whole, len);
    free(whole);
    if (st == IKE_PARSE_NOT_IKE || st == IKE_PARSE_NOMEM) {
        ike_msg_cleanup(&rebuilt.msg);
        ike_msg_anomaly(&sm->msg, IKE_AN_FRAG_INCONSISTENT);
        return;
    }
    uint8_t first = rebuilt.msg.first_payload;
    if (!(rebuilt.msg.flags & IKE1_FLAG_ENCRYPTION)) {
        /* Cleartext (aggressive mode, or main mode before keys): the body is the chain. */
        size_t body = rebuilt.msg.raw_len > IKE_HDR_LEN ? rebuilt.msg.raw_len - IKE_HDR_LEN : 0;
        uint8_t *copy = malloc(body ? body : 1);
        if (copy) {
            memcpy(copy, rebuilt.msg.raw + IKE_HDR_LEN, body);
            ike_msg_add_inner(&sm->msg, first, copy, body);
            sm->decrypt = IKE_DECRYPT_NOT_NEEDED;
        }
        ike_msg_cleanup(&rebuilt.msg);
        return;
    }
    sm->decrypt = IKE_DECRYPT_NO_KEYS;
    struct sa_crypto *c = ike_sa_crypto_get(sa);
    if (keys && ike_keystore_count(keys) && c) {
        if (sa->keys == IKE_SA_KEYS_NOT_GIVEN)
            sa->keys = IKE_SA_KEYS_NONE_MATCH;
        ike_sa_decrypt_v1(sa, c, keys, &rebuilt);
        sm->decrypt = rebuilt.decrypt;
        for (size_t k = 0; k < rebuilt.msg.nanomalies; k++)
            ike_msg_anomaly(&sm->msg, (enum ike_anomaly)rebuilt.msg.anomalies[k]);
        if (rebuilt.msg.decrypted && rebuilt.msg.plain) {
            uint8_t *plain = rebuilt.msg.plain;
            size_t plen = rebuilt.msg.plain_len;
            rebuilt.msg.plain = NULL;
            ike_msg_add_inner(&sm->msg, first, plain, plen);
        }
    }
    ike_msg_cleanup(&rebuilt.msg);
}

bool ike_sa_v1_fragment(struct ike_sa *sa, struct ike_sa_msg *sm, const struct ike_keystore *keys)
{
    const struct ike_payload *fp = NULL;
    for (size_t i = 0; i < sm->msg.npayloads && !fp; i++)
        if (sm->msg.payloads[i].type == IKE1_PL_FRAG && !sm->msg.payloads[i].inner)
            fp = &sm->msg.payloads[i];
    if (!fp)
        return false;
    sm->decrypt = IKE_DECRYPT_FRAGMENT;
    if (sm->retransmission) {
        if (!copy_original(sa, sm))
            return true;
        sm->decrypt = IKE_DECRYPT_OK;
        return true;
    }
    struct ike_v1_frag fr;
    struct sa_crypto *c = ike_sa_crypto_get(sa);
    if (!c || ike_v1_frag_decode(fp->body, fp->body_len, &fr) != IKE_PL_OK || fr.number == 0 ||
        fr.number > MAX_FRAGMENTS) {
        ike_msg_anomaly(&sm->msg, IKE_AN_FRAG_INCONSISTENT);
        return true;
    }
    struct frag_set *f = &c->v1_frag[sm->from_initiator];
    if (!f->active || c->v1_frag_id[sm->from_initiator] != fr.id) {
        ike_sa_frag_reset(f);
        f->active = true;
        c->v1_frag_id[sm->from_initiator] = fr.id;
    }
    if (f->part[fr.number - 1])
        return true; /* duplicate */
    uint8_t *copy = malloc(fr.data.len ? fr.data.len : 1);
    if (!copy)
        return true;
    memcpy(copy, fr.data.p, fr.data.len);
    f->part[fr.number - 1] = copy;
    f->len[fr.number - 1] = fr.data.len;
    f->have++;
    if (fr.last)
        f->total = fr.number;
    if (!f->total || f->have < f->total)
        return true;
    size_t sum = 0;
    for (size_t i = 0; i < f->total; i++) {
        if (!f->part[i]) {
            ike_msg_anomaly(&sm->msg, IKE_AN_FRAG_MISSING);
            return true;
        }
        sum += f->len[i];
    }
    uint8_t *whole = malloc(sum ? sum : 1);
    if (!whole)
        return true;
    size_t off = 0;
    for (size_t i = 0; i < f->total; i++) {
        memcpy(whole + off, f->part[i], f->len[i]);
        off += f->len[i];
    }
    ike_sa_frag_reset(f);
    v1_reassembled(sa, sm, keys, whole, sum);
    return true;
}
