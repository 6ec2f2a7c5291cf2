/* keyfile.c: key file loading with format detection (Wireshark UAT, tcpdump -E, ikescope-keys, charon ike=4 log, libreswan log). */
#include "ike/crypto/keyfile.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "capture/reader.h"
#include "ike/crypto/algnames.h"
#include "ike/crypto/derive.h"
#include "ike/crypto/prf.h"

#define KEYFILE_MAX_BYTES (1024u * 1024u * 1024u)

/* Per-load context: where we are, for messages. */
struct kf {
    struct ike_keystore *ks;
    const char *name;
    size_t line;
    char *err;
    size_t errlen;
};

/* Every message goes through here: "FILE:LINE: " + text that never contains file content. */
static enum ike_key_status kf_fail(struct kf *k, enum ike_key_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static enum ike_key_status kf_fail(struct kf *k, enum ike_key_status st, const char *fmt, ...)
{
    if (!k->err || !k->errlen)
        return st;
    int n = k->line ? snprintf(k->err, k->errlen, "%s:%zu: ", k->name, k->line)
                    : snprintf(k->err, k->errlen, "%s: ", k->name);
    if (n >= 0 && (size_t)n < k->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(k->err + n, k->errlen - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return st;
}

static void set_origin(struct kf *k, struct ike_keyset *ks)
{
    snprintf(ks->origin, sizeof ks->origin, "%s:%zu", k->name, k->line);
}

/* ---- text helpers over the bounds-checked reader ---- */

static bool is_ws(uint8_t c) { return c == ' ' || c == '\t'; }
static bool is_digit(uint8_t c) { return c >= '0' && c <= '9'; }

static bool rd_line(struct rd *f, struct rd *line)
{
    if (rd_empty(f))
        return false;
    size_t n = 0;
    while (n < f->left && f->p[n] != '\n')
        n++;
    rd_take(f, n, line);
    rd_skip(f, 1);
    if (line->left && line->p[line->left - 1] == '\r')
        line->left--;
    return true;
}

static void rd_trim(struct rd *r)
{
    while (r->left && is_ws(r->p[0]))
        rd_skip(r, 1);
    while (r->left && is_ws(r->p[r->left - 1]))
        r->left--;
}

static bool rd_starts(const struct rd *r, const char *s)
{
    size_t n = strlen(s);
    return r->left >= n && memcmp(r->p, s, n) == 0;
}

static bool rd_eat(struct rd *r, const char *s)
{
    if (!rd_starts(r, s))
        return false;
    rd_skip(r, strlen(s));
    return true;
}

static bool rd_is(const struct rd *r, const char *s)
{
    return r->left == strlen(s) && memcmp(r->p, s, r->left) == 0;
}

/* Next whitespace-separated word. */
static bool rd_word(struct rd *r, struct rd *w)
{
    while (r->left && is_ws(r->p[0]))
        rd_skip(r, 1);
    if (rd_empty(r))
        return false;
    size_t n = 0;
    while (n < r->left && !is_ws(r->p[n]))
        n++;
    return rd_take(r, n, w);
}

/* Offset of needle in r, or -1. */
static long rd_find(const struct rd *r, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; n <= r->left && i <= r->left - n; i++)
        if (memcmp(r->p + i, needle, n) == 0)
            return (long)i;
    return -1;
}

static bool rd_uint(struct rd *r, unsigned long *v)
{
    unsigned long x = 0;
    size_t n = 0;
    while (n < r->left && is_digit(r->p[n]) && n < 9)
        x = x * 10 + (unsigned long)(r->p[n++] - '0');
    if (n == 0)
        return false;
    rd_skip(r, n);
    *v = x;
    return true;
}

/* ---- values ---- */

static const char *hex_problem(enum ike_secret_status st)
{
    switch (st) {
    case IKE_SECRET_BAD_HEX:
        return "is not hex (use the digits 0-9 and a-f only, no separators)";
    case IKE_SECRET_ODD_HEX:
        return "has an odd number of hex digits (a digit is missing or extra)";
    case IKE_SECRET_EMPTY:
        return "is empty (give the key in hex)";
    default:
        return "could not be stored (out of memory)";
    }
}

static enum ike_key_status get_secret(struct kf *k, struct rd v, const char *field, struct ike_secret *dst)
{
    if (!rd_eat(&v, "0x"))
        rd_eat(&v, "0X");
    enum ike_secret_status st = ike_secret_from_hex(dst, (const char *)v.p, v.left);
    if (st == IKE_SECRET_NOMEM)
        return kf_fail(k, IKE_KEY_NOMEM, "out of memory");
    if (st != IKE_SECRET_OK)
        return kf_fail(k, IKE_KEY_SYNTAX, "%s %s", field, hex_problem(st));
    return IKE_KEY_OK;
}

static enum ike_key_status get_spi(struct kf *k, struct rd v, const char *field, uint8_t out[8])
{
    if (!rd_eat(&v, "0x"))
        rd_eat(&v, "0X");
    struct ike_secret s = { 0 };
    enum ike_secret_status st = ike_secret_from_hex(&s, (const char *)v.p, v.left);
    if (st == IKE_SECRET_OK && s.len != 8)
        st = IKE_SECRET_EMPTY;
    if (st == IKE_SECRET_OK)
        memcpy(out, s.p, 8);
    ike_secret_free(&s);
    if (st != IKE_SECRET_OK)
        return kf_fail(k, IKE_KEY_SYNTAX, "%s must be 16 hex digits (an 8-byte SPI or cookie)", field);
    return IKE_KEY_OK;
}

/* Key length checks shared by all IKEv2 sources; lengths are not secret and help the user. */
static enum ike_key_status check_v2_lengths(struct kf *k, const struct ike_keyset *ks)
{
    const struct ike_v2_suite *s = &ks->suite;
    if (!s->encr)
        return IKE_KEY_OK;
    size_t el = ike_v2_encr_key_len(s);
    if (s->encr != IKE_ENCR_NULL && !el)
        return kf_fail(k, IKE_KEY_UNSUPPORTED,
                       "the encryption algorithm and key size are not ones ikescope decrypts (see docs/keys.md)");
    if (ike_v2_encr_is_aead(s->encr) && s->integ != IKE_INTEG_NONE)
        return kf_fail(k, IKE_KEY_SYNTAX,
                       "a combined-mode cipher takes no integrity algorithm (RFC 5282 §8; use NONE)");
    const struct ike_secret *e[2] = { &ks->sk_ei, &ks->sk_er };
    const char *en[2] = { "SK_ei", "SK_er" };
    for (int i = 0; i < 2; i++)
        if (ike_secret_present(e[i]) && e[i]->len != el)
            return kf_fail(k, IKE_KEY_SYNTAX,
                           "%s has %zu bytes but the encryption algorithm needs %zu%s (check the column order and the algorithm)",
                           en[i], e[i]->len, el,
                           ike_v2_encr_is_aead(s->encr) || s->encr == IKE_ENCR_AES_CTR ? " including the salt" : "");
    size_t al = ike_v2_integ_key_len(s->integ);
    const struct ike_secret *a[2] = { &ks->sk_ai, &ks->sk_ar };
    const char *an[2] = { "SK_ai", "SK_ar" };
    for (int i = 0; i < 2 && al; i++)
        if (ike_secret_present(a[i]) && a[i]->len != al)
            return kf_fail(k, IKE_KEY_SYNTAX,
                           "%s has %zu bytes but the integrity algorithm needs %zu (check the column order and the algorithm)",
                           an[i], a[i]->len, al);
    return IKE_KEY_OK;
}

/* ---- Wireshark UAT CSV ---- */

#define CSV_MAX 10

/* Split a UAT line into fields; quoted fields lose their quotes. */
static bool csv_split(struct rd line, struct rd *f, size_t *n)
{
    *n = 0;
    for (;;) {
        if (*n == CSV_MAX)
            return false;
        while (line.left && is_ws(line.p[0]))
            rd_skip(&line, 1);
        struct rd fld;
        if (rd_eat(&line, "\"")) {
            size_t q = 0;
            while (q < line.left && line.p[q] != '"')
                q++;
            if (q == line.left)
                return false;
            rd_take(&line, q, &fld);
            rd_skip(&line, 1);
            while (line.left && is_ws(line.p[0]))
                rd_skip(&line, 1);
        } else {
            size_t q = 0;
            while (q < line.left && line.p[q] != ',')
                q++;
            rd_take(&line, q, &fld);
            rd_trim(&fld);
        }
        f[(*n)++] = fld;
        if (rd_empty(&line))
            return true;
        if (!rd_eat(&line, ","))
            return false;
    }
}

static enum ike_key_status parse_ws_v2(struct kf *k, struct rd *f)
{
    struct ike_keyset *ks = ike_keystore_add(k->ks);
    if (!ks)
        return kf_fail(k, IKE_KEY_NOMEM, "out of memory");
    set_origin(k, ks);
    ks->version = 2;
    ks->has_spis = true;
    enum ike_key_status st;
    if ((st = get_spi(k, f[0], "field 1 (SPIi)", ks->spi_i)) ||
        (st = get_spi(k, f[1], "field 2 (SPIr)", ks->spi_r)))
        return st;
    uint16_t id, bits;
    if (!ike_alg_lookup(IKE_NAMES_WIRESHARK_ENCR, (const char *)f[4].p, f[4].left, &id, &bits))
        return kf_fail(k, IKE_KEY_SYNTAX,
                       "field 5 (encryption algorithm) is not a name Wireshark uses (spell it exactly as in docs/keys.md, quotes included)");
    ks->suite.encr = id;
    ks->suite.encr_key_bits = bits;
    if (!ike_alg_lookup(IKE_NAMES_WIRESHARK_INTEG, (const char *)f[7].p, f[7].left, &id, &bits))
        return kf_fail(k, IKE_KEY_SYNTAX,
                       "field 8 (integrity algorithm) is not a name Wireshark uses (spell it exactly as in docs/keys.md, quotes included)");
    ks->suite.integ = id;
    if (ks->suite.encr != IKE_ENCR_NULL) {
        if ((st = get_secret(k, f[2], "field 3 (SK_ei)", &ks->sk_ei)) ||
            (st = get_secret(k, f[3], "field 4 (SK_er)", &ks->sk_er)))
            return st;
    }
    if (ike_v2_integ_key_len(ks->suite.integ)) {
        if ((st = get_secret(k, f[5], "field 6 (SK_ai)", &ks->sk_ai)) ||
            (st = get_secret(k, f[6], "field 7 (SK_ar)", &ks->sk_ar)))
            return st;
    }
    return check_v2_lengths(k, ks);
}

static enum ike_key_status parse_ws_v1(struct kf *k, struct rd *f)
{
    struct ike_keyset *ks = ike_keystore_add(k->ks);
    if (!ks)
        return kf_fail(k, IKE_KEY_NOMEM, "out of memory");
    set_origin(k, ks);
    ks->version = 1;
    ks->has_spis = true;
    enum ike_key_status st;
    if ((st = get_spi(k, f[0], "field 1 (initiator cookie)", ks->spi_i)) ||
        (st = get_secret(k, f[1], "field 2 (encryption key)", &ks->v1_enc_key)))
        return st;
    size_t l = ks->v1_enc_key.len;
    if (l != 8 && l != 16 && l != 24 && l != 32)
        return kf_fail(k, IKE_KEY_SYNTAX,
                       "field 2 (encryption key) has %zu bytes; DES, 3DES and AES keys have 8, 16, 24 or 32", l);
    return IKE_KEY_OK;
}

/* ---- tcpdump -E / libreswan ---- */

static enum ike_key_status tcpdump_alg(struct kf *k, struct rd tok, bool encr, const char *what,
                                       uint16_t *id, uint16_t *bits, struct ike_secret *key)
{
    long colon = rd_find(&tok, ":");
    if (colon <= 0)
        return kf_fail(k, IKE_KEY_SYNTAX, "the %s field must be ALGORITHM:0xHEXKEY", what);
    if (!ike_alg_lookup(encr ? IKE_NAMES_TCPDUMP_ENCR : IKE_NAMES_TCPDUMP_INTEG, (const char *)tok.p,
                        (size_t)colon, id, bits))
        return kf_fail(k, IKE_KEY_SYNTAX, "the %s algorithm is not one we know (see docs/keys.md for tcpdump names)",
                       what);
    rd_skip(&tok, (size_t)colon + 1);
    if (encr ? *id == IKE_ENCR_NULL : *id == IKE_INTEG_NONE) {
        ike_secret_free(key);
        return IKE_KEY_OK;
    }
    return get_secret(k, tok, encr ? "the encryption key" : "the integrity key", key);
}

static enum ike_key_status parse_tcpdump(struct kf *k, struct rd line, size_t first)
{
    struct rd w[7];
    size_t n = 0;
    while (n < 7 && rd_word(&line, &w[n]))
        n++;
    if (n != 6)
        return kf_fail(k, IKE_KEY_SYNTAX,
                       "a tcpdump secrets line has 6 fields: ikev2 I|R 0xSPIi 0xSPIr integ:0xKEY encr:0xKEY "
                       "(check for a line that was cut or wrapped)");
    bool init;
    if (rd_is(&w[1], "I"))
        init = true;
    else if (rd_is(&w[1], "R"))
        init = false;
    else
        return kf_fail(k, IKE_KEY_SYNTAX, "field 2 must be I (initiator keys) or R (responder keys)");
    uint8_t spi_i[8], spi_r[8];
    enum ike_key_status st;
    if ((st = get_spi(k, w[2], "field 3 (SPIi)", spi_i)) || (st = get_spi(k, w[3], "field 4 (SPIr)", spi_r)))
        return st;

    /* An I and an R line for the same SPIs in this file make one key set. */
    struct ike_keyset *ks = NULL;
    for (size_t i = first; i < ike_keystore_count(k->ks); i++) {
        struct ike_keyset *c = (struct ike_keyset *)ike_keystore_get(k->ks, i);
        if (c->version == 2 && c->has_spis && !memcmp(c->spi_i, spi_i, 8) && !memcmp(c->spi_r, spi_r, 8)) {
            ks = c;
            break;
        }
    }
    bool fresh = ks == NULL;
    if (fresh) {
        ks = ike_keystore_add(k->ks);
        if (!ks)
            return kf_fail(k, IKE_KEY_NOMEM, "out of memory");
        set_origin(k, ks);
        ks->version = 2;
        ks->has_spis = true;
        memcpy(ks->spi_i, spi_i, 8);
        memcpy(ks->spi_r, spi_r, 8);
    }
    struct ike_secret *e = init ? &ks->sk_ei : &ks->sk_er, *a = init ? &ks->sk_ai : &ks->sk_ar;
    if (ike_secret_present(e) || ike_secret_present(a))
        return kf_fail(k, IKE_KEY_SYNTAX, "a second '%s' line for the same SPIs (remove the duplicate)",
                       init ? "ikev2 I" : "ikev2 R");
    uint16_t integ, encr, bits, unused;
    if ((st = tcpdump_alg(k, w[4], false, "integrity", &integ, &unused, a)) ||
        (st = tcpdump_alg(k, w[5], true, "encryption", &encr, &bits, e)))
        return st;
    struct ike_v2_suite s = { encr, bits, integ, 0 };
    if (!fresh && (ks->suite.encr != s.encr || ks->suite.encr_key_bits != s.encr_key_bits ||
                   ks->suite.integ != s.integ))
        return kf_fail(k, IKE_KEY_SYNTAX, "the I and R lines for these SPIs name different algorithms (make them agree)");
    ks->suite = s;
    return check_v2_lengths(k, ks);
}

/* ---- ikescope-keys v1 ---- */

enum okind { O_VERSION, O_SPI_I, O_SPI_R, O_ENCR, O_ENCR_BITS, O_INTEG, O_PRF, O_HASH, O_SECRET };

/* Which IKE versions may use a field: bit 0 = unknown version, bit 1 = IKEv1, bit 2 = IKEv2. */
#define V_ANY 7
#define V_1 2
#define V_2 4

static const struct ofield {
    const char *name;
    enum okind kind;
    uint8_t versions;
    size_t off;  /* offset of the ike_secret in struct ike_keyset, for O_SECRET */
} ofields[] = {
    { "version", O_VERSION, V_ANY, 0 },
    { "spi_i", O_SPI_I, V_ANY, 0 },
    { "spi_r", O_SPI_R, V_ANY, 0 },
    { "encr", O_ENCR, V_1 | V_2, 0 },
    { "encr_bits", O_ENCR_BITS, V_1 | V_2, 0 },
    { "integ", O_INTEG, V_2, 0 },
    { "prf", O_PRF, V_2, 0 },
    { "hash", O_HASH, V_1, 0 },
    { "sk_d", O_SECRET, V_2, offsetof(struct ike_keyset, sk_d) },
    { "sk_ai", O_SECRET, V_2, offsetof(struct ike_keyset, sk_ai) },
    { "sk_ar", O_SECRET, V_2, offsetof(struct ike_keyset, sk_ar) },
    { "sk_ei", O_SECRET, V_2, offsetof(struct ike_keyset, sk_ei) },
    { "sk_er", O_SECRET, V_2, offsetof(struct ike_keyset, sk_er) },
    { "sk_pi", O_SECRET, V_2, offsetof(struct ike_keyset, sk_pi) },
    { "sk_pr", O_SECRET, V_2, offsetof(struct ike_keyset, sk_pr) },
    { "skeyseed", O_SECRET, V_2, offsetof(struct ike_keyset, skeyseed) },
    { "dh_secret", O_SECRET, V_ANY, offsetof(struct ike_keyset, dh_secret) },
    { "enc_key", O_SECRET, V_1, offsetof(struct ike_keyset, v1_enc_key) },
    { "skeyid", O_SECRET, V_1, offsetof(struct ike_keyset, skeyid) },
    { "skeyid_d", O_SECRET, V_1, offsetof(struct ike_keyset, skeyid_d) },
    { "skeyid_a", O_SECRET, V_1, offsetof(struct ike_keyset, skeyid_a) },
    { "skeyid_e", O_SECRET, V_1, offsetof(struct ike_keyset, skeyid_e) },
    { "iv", O_SECRET, V_1, offsetof(struct ike_keyset, v1_iv) },
    { "psk", O_SECRET, V_1, offsetof(struct ike_keyset, psk) },
};
#define N_OFIELDS (sizeof ofields / sizeof ofields[0])

static struct ike_secret *secret_at(struct ike_keyset *ks, size_t off)
{
    return (struct ike_secret *)((char *)ks + off);
}

/* A field name is echoed only if it is plain lower-case words: it cannot be key material then. */
static bool safe_name(const struct rd *n)
{
    if (n->left == 0 || n->left > 24)
        return false;
    for (size_t i = 0; i < n->left; i++)
        if (!((n->p[i] >= 'a' && n->p[i] <= 'z') || n->p[i] == '_'))
            return false;
    return true;
}

static enum ike_key_status parse_ours(struct kf *k, struct rd line)
{
    struct rd w;
    rd_word(&line, &w); /* "ikescope-keys" */
    if (!rd_word(&line, &w) || !rd_is(&w, "v1"))
        return kf_fail(k, IKE_KEY_SYNTAX,
                       "unsupported ikescope-keys format version (this ikescope reads 'ikescope-keys v1')");
    struct rd val[N_OFIELDS];
    bool seen[N_OFIELDS] = { false };
    size_t nf = 0;
    while (rd_word(&line, &w)) {
        nf++;
        long eq = rd_find(&w, "=");
        if (eq <= 0)
            return kf_fail(k, IKE_KEY_SYNTAX, "word %zu is not name=value (see docs/keys.md)", nf + 2);
        struct rd name = { w.p, (size_t)eq };
        size_t i;
        for (i = 0; i < N_OFIELDS; i++)
            if (strlen(ofields[i].name) == name.left && !memcmp(ofields[i].name, name.p, name.left))
                break;
        if (i == N_OFIELDS) {
            if (safe_name(&name))
                return kf_fail(k, IKE_KEY_SYNTAX, "unknown field '%.*s' (see docs/keys.md for the field names)",
                               (int)name.left, (const char *)name.p);
            return kf_fail(k, IKE_KEY_SYNTAX, "word %zu has an unknown field name (see docs/keys.md)", nf + 2);
        }
        if (seen[i])
            return kf_fail(k, IKE_KEY_SYNTAX, "field '%s' appears twice (keep one)", ofields[i].name);
        seen[i] = true;
        val[i] = w;
        rd_skip(&val[i], (size_t)eq + 1);
    }

    unsigned long version = 0;
    if (seen[O_VERSION]) {
        struct rd v = val[O_VERSION];
        if (!rd_uint(&v, &version) || !rd_empty(&v) || (version != 1 && version != 2))
            return kf_fail(k, IKE_KEY_SYNTAX, "version must be 1 (IKEv1) or 2 (IKEv2)");
    }
    uint8_t vbit = version == 0 ? 1 : version == 1 ? V_1 : V_2;
    for (size_t i = 0; i < N_OFIELDS; i++)
        if (seen[i] && !(ofields[i].versions & vbit))
            return kf_fail(k, IKE_KEY_SYNTAX, "field '%s' does not apply to %s (see docs/keys.md)",
                           ofields[i].name,
                           version == 1 ? "version=1" : version == 2 ? "version=2" : "a line without version=");
    if (seen[O_SPI_I] != seen[O_SPI_R] && version != 1)
        return kf_fail(k, IKE_KEY_SYNTAX, "give both spi_i and spi_r, or neither");

    struct ike_keyset *ks = ike_keystore_add(k->ks);
    if (!ks)
        return kf_fail(k, IKE_KEY_NOMEM, "out of memory");
    set_origin(k, ks);
    ks->version = (uint8_t)version;
    enum ike_key_status st;
    if (seen[O_SPI_I]) {
        ks->has_spis = true;
        if ((st = get_spi(k, val[O_SPI_I], "spi_i", ks->spi_i)))
            return st;
        if (seen[O_SPI_R] && (st = get_spi(k, val[O_SPI_R], "spi_r", ks->spi_r)))
            return st;
    }
    uint16_t id, bits = 0;
    unsigned long ebits = 0;
    if (seen[O_ENCR_BITS]) {
        struct rd v = val[O_ENCR_BITS];
        if (!rd_uint(&v, &ebits) || !rd_empty(&v) || ebits > 512)
            return kf_fail(k, IKE_KEY_SYNTAX, "encr_bits must be a key size in bits (128, 192 or 256)");
    }
    if (seen[O_ENCR]) {
        if (!ike_alg_lookup(version == 1 ? IKE_NAMES_V1_ENCR : IKE_NAMES_ENCR, (const char *)val[O_ENCR].p,
                            val[O_ENCR].left, &id, &bits))
            return kf_fail(k, IKE_KEY_SYNTAX, "encr is not an algorithm name we know (see docs/keys.md)");
        if (bits && ebits && bits != ebits)
            return kf_fail(k, IKE_KEY_SYNTAX, "encr_bits contradicts the size in the encr name (drop one)");
        if (!bits)
            bits = (uint16_t)ebits;
        if (version == 1) {
            ks->v1_encr = id;
            ks->v1_key_bits = bits;
        } else {
            ks->suite.encr = id;
            ks->suite.encr_key_bits = bits;
        }
    } else if (seen[O_ENCR_BITS]) {
        return kf_fail(k, IKE_KEY_SYNTAX, "encr_bits needs encr");
    }
    if (seen[O_INTEG]) {
        if (!ike_alg_lookup(IKE_NAMES_INTEG, (const char *)val[O_INTEG].p, val[O_INTEG].left, &id, &bits))
            return kf_fail(k, IKE_KEY_SYNTAX, "integ is not an algorithm name we know (see docs/keys.md)");
        ks->suite.integ = id;
    }
    if (seen[O_PRF]) {
        if (!ike_alg_lookup(IKE_NAMES_PRF, (const char *)val[O_PRF].p, val[O_PRF].left, &id, &bits))
            return kf_fail(k, IKE_KEY_SYNTAX, "prf is not a PRF name we know (see docs/keys.md)");
        ks->suite.prf = id;
    }
    if (seen[O_HASH]) {
        if (!ike_alg_lookup(IKE_NAMES_V1_HASH, (const char *)val[O_HASH].p, val[O_HASH].left, &id, &bits))
            return kf_fail(k, IKE_KEY_SYNTAX, "hash is not an IKEv1 hash name we know (see docs/keys.md)");
        ks->v1_hash = id;
    }
    for (size_t i = 0; i < N_OFIELDS; i++)
        if (seen[i] && ofields[i].kind == O_SECRET &&
            (st = get_secret(k, val[i], ofields[i].name, secret_at(ks, ofields[i].off))))
            return st;

    if (version == 2) {
        if (!ike_keyset_has_v2_keys(ks) && !ike_secret_present(&ks->skeyseed) &&
            !ike_secret_present(&ks->dh_secret) &&
            !(ks->suite.encr == IKE_ENCR_NULL && ike_secret_present(&ks->sk_ai)))
            return kf_fail(k, IKE_KEY_NO_MATERIAL,
                           "no usable key: give sk_ei/sk_er (with sk_ai/sk_ar), skeyseed or dh_secret");
        if (ks->suite.encr && !ike_v2_encr_is_aead(ks->suite.encr) && !seen[O_INTEG])
            return kf_fail(k, IKE_KEY_SYNTAX, "integ is required with a non-AEAD encr (NONE only for AEAD ciphers)");
        if (ks->suite.encr && ike_v2_encr_key_len(&ks->suite) == 0 && ks->suite.encr != IKE_ENCR_NULL)
            return kf_fail(k, IKE_KEY_SYNTAX, "encr needs encr_bits (128, 192 or 256) or a sized name such as AES_CBC_256");
        return check_v2_lengths(k, ks);
    }
    if (version == 1) {
        if (!ike_secret_present(&ks->v1_enc_key) && !ike_secret_present(&ks->skeyid_e) &&
            !ike_secret_present(&ks->skeyid) && !ike_secret_present(&ks->dh_secret))
            return kf_fail(k, IKE_KEY_NO_MATERIAL, "no usable key: give enc_key, skeyid_e, skeyid or dh_secret");
        if (ks->v1_encr && ike_secret_present(&ks->v1_enc_key)) {
            size_t want = ike_v1_encr_key_len(ks->v1_encr, ks->v1_key_bits);
            if (want && ks->v1_enc_key.len != want)
                return kf_fail(k, IKE_KEY_SYNTAX, "enc_key has %zu bytes but the cipher needs %zu",
                               ks->v1_enc_key.len, want);
        }
        return IKE_KEY_OK;
    }
    if (!ike_secret_present(&ks->dh_secret))
        return kf_fail(k, IKE_KEY_NO_MATERIAL, "no usable key: a line without version= carries dh_secret");
    return IKE_KEY_OK;
}

/* ---- strongSwan charon log ---- */

static const struct clabel {
    const char *label;
    size_t off;
    uint8_t version;  /* 0: either */
} clabels[] = {
    { "shared Diffie Hellman secret", offsetof(struct ike_keyset, dh_secret), 0 },
    { "SKEYSEED", offsetof(struct ike_keyset, skeyseed), 2 },
    { "Sk_d secret", offsetof(struct ike_keyset, sk_d), 2 },
    { "Sk_ai secret", offsetof(struct ike_keyset, sk_ai), 2 },
    { "Sk_ar secret", offsetof(struct ike_keyset, sk_ar), 2 },
    { "Sk_ei secret", offsetof(struct ike_keyset, sk_ei), 2 },
    { "Sk_er secret", offsetof(struct ike_keyset, sk_er), 2 },
    { "Sk_pi secret", offsetof(struct ike_keyset, sk_pi), 2 },
    { "Sk_pr secret", offsetof(struct ike_keyset, sk_pr), 2 },
    { "SKEYID", offsetof(struct ike_keyset, skeyid), 1 },
    { "SKEYID_d", offsetof(struct ike_keyset, skeyid_d), 1 },
    { "SKEYID_a", offsetof(struct ike_keyset, skeyid_a), 1 },
    { "SKEYID_e", offsetof(struct ike_keyset, skeyid_e), 1 },
    { "encryption key Ka", offsetof(struct ike_keyset, v1_enc_key), 1 },
    { "initial IV", offsetof(struct ike_keyset, v1_iv), 1 },
};

struct cthread {
    unsigned long id;
    size_t cur;              /* index of this thread's open key set + 1; 0: none */
    bool dumping;
    const struct clabel *target;  /* NULL: a dump we do not keep */
    size_t expect;
    size_t label_line;
    struct ike_secret tmp;
    bool has_prop;
    uint16_t encr, bits, integ, prf;
};

struct charon {
    struct cthread *t;
    size_t n, cap;
    /* The last "selected proposal: IKE:..." of any thread: charon may select on one thread and derive on another. */
    bool has_prop;
    uint16_t encr, bits, integ, prf;
};

/* Find "NN[ABC]" in a line: thread number, 3-letter group, and the text after it. */
static bool charon_marker(struct rd line, unsigned long *thread, char group[4], struct rd *rest)
{
    for (size_t i = 1; i + 5 <= line.left; i++) {
        const uint8_t *p = line.p + i;
        if (p[0] != '[' || p[4] != ']' || !is_digit(line.p[i - 1]))
            continue;
        bool up = true;
        for (int j = 1; j <= 3; j++)
            up = up && p[j] >= 'A' && p[j] <= 'Z';
        if (!up)
            continue;
        size_t s = i;
        while (s > 0 && is_digit(line.p[s - 1]) && i - s < 6)
            s--;
        if (s > 0 && !is_ws(line.p[s - 1]) && line.p[s - 1] != ':' && line.p[s - 1] != ']')
            continue;
        struct rd num = { line.p + s, i - s };
        if (!rd_uint(&num, thread))
            continue;
        memcpy(group, p + 1, 3);
        group[3] = 0;
        rest->p = p + 5;
        rest->left = line.left - i - 5;
        rd_eat(rest, " ");
        /* ike_name = yes adds "<conn|1> " */
        if (rd_starts(rest, "<")) {
            long gt = rd_find(rest, "> ");
            if (gt > 0)
                rd_skip(rest, (size_t)gt + 2);
        }
        return true;
    }
    return false;
}

static struct cthread *charon_thread(struct charon *c, unsigned long id)
{
    for (size_t i = 0; i < c->n; i++)
        if (c->t[i].id == id)
            return &c->t[i];
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        struct cthread *t = realloc(c->t, cap * sizeof *t);
        if (!t)
            return NULL;
        c->t = t;
        c->cap = cap;
    }
    struct cthread *t = &c->t[c->n++];
    memset(t, 0, sizeof *t);
    t->id = id;
    return t;
}

static void charon_drop_dump(struct cthread *t)
{
    ike_secret_free(&t->tmp);
    t->dumping = false;
    t->target = NULL;
}

/* A finished dump lands in the thread's open key set, opening a new one when the label starts a block or repeats. */
static enum ike_key_status charon_store(struct kf *k, const struct charon *c, struct cthread *t)
{
    const struct clabel *l = t->target;
    struct ike_keyset *ks = t->cur ? (struct ike_keyset *)ike_keystore_get(k->ks, t->cur - 1) : NULL;
    bool fresh = !ks || l->off == offsetof(struct ike_keyset, dh_secret) ||
                 ike_secret_present(secret_at(ks, l->off)) ||
                 (l->version && ks->version && ks->version != l->version);
    if (fresh) {
        ks = ike_keystore_add(k->ks);
        if (!ks)
            return kf_fail(k, IKE_KEY_NOMEM, "out of memory");
        size_t saved = k->line;
        k->line = t->label_line;
        set_origin(k, ks);
        k->line = saved;
        t->cur = ike_keystore_count(k->ks);
        if (t->has_prop)
            ks->suite = (struct ike_v2_suite){ t->encr, t->bits, t->integ, t->prf };
        else if (c->has_prop)
            ks->suite = (struct ike_v2_suite){ c->encr, c->bits, c->integ, c->prf };
    }
    if (l->version)
        ks->version = l->version;
    ike_secret_move(secret_at(ks, l->off), &t->tmp);
    charon_drop_dump(t);
    return IKE_KEY_OK;
}

/* One dump row: "  16: 0C FD 64 ...  ascii". Appends up to the bytes still expected. */
static bool charon_row(struct cthread *t, struct rd rest)
{
    unsigned long off;
    while (rest.left && is_ws(rest.p[0]))
        rd_skip(&rest, 1);
    if (!rd_uint(&rest, &off) || off != t->tmp.len || !rd_eat(&rest, ": "))
        return false;
    uint8_t row[16];
    size_t want = t->expect - t->tmp.len, n = 0;
    if (want > 16)
        want = 16;
    while (n < want) {
        uint8_t hi, lo;
        if (n && !rd_eat(&rest, " "))
            break;
        if (!rd_u8(&rest, &hi) || !rd_u8(&rest, &lo) || ike_hex_digit(hi) < 0 || ike_hex_digit(lo) < 0)
            break;
        row[n++] = (uint8_t)(ike_hex_digit(hi) << 4 | ike_hex_digit(lo));
    }
    bool ok = n == want && ike_secret_append(&t->tmp, row, n) == IKE_SECRET_OK;
    sodium_memzero(row, sizeof row);
    return ok;
}

static enum ike_key_status charon_line(struct kf *k, struct charon *c, struct rd line)
{
    unsigned long tid;
    char group[4];
    struct rd rest;
    if (!charon_marker(line, &tid, group, &rest))
        return IKE_KEY_OK;
    struct cthread *t = charon_thread(c, tid);
    if (!t)
        return kf_fail(k, IKE_KEY_NOMEM, "out of memory");

    long sp = rd_find(&rest, "selected proposal: ");
    if (sp >= 0) {
        struct rd p = rest;
        rd_skip(&p, (size_t)sp + strlen("selected proposal: "));
        rd_trim(&p);
        if (rd_starts(&p, "IKE:")) {
            t->has_prop = ike_alg_parse_strongswan((const char *)p.p, p.left, &t->encr, &t->bits,
                                                   &t->integ, &t->prf);
            if (t->has_prop) {
                c->has_prop = true;
                c->encr = t->encr, c->bits = t->bits, c->integ = t->integ, c->prf = t->prf;
            }
        }
        return IKE_KEY_OK;
    }
    if (strcmp(group, "IKE") != 0)
        return IKE_KEY_OK;

    long arrow = rd_find(&rest, " => ");
    if (arrow > 0) {
        struct rd after = rest;
        rd_skip(&after, (size_t)arrow + 4);
        unsigned long n;
        if (rd_uint(&after, &n) && rd_starts(&after, " byte")) {
            if (t->dumping)
                charon_drop_dump(t);
            t->target = NULL;
            for (size_t i = 0; i < sizeof clabels / sizeof clabels[0]; i++)
                if (strlen(clabels[i].label) == (size_t)arrow && !memcmp(clabels[i].label, rest.p, (size_t)arrow))
                    t->target = &clabels[i];
            t->expect = n;
            t->label_line = k->line;
            t->dumping = n > 0;
            if (n == 0)
                t->target = NULL;
            return IKE_KEY_OK;
        }
    }
    if (!t->dumping)
        return IKE_KEY_OK;
    if (!charon_row(t, rest)) {
        charon_drop_dump(t); /* a dump interrupted by other output is unusable: skip it */
        return IKE_KEY_OK;
    }
    if (t->tmp.len == t->expect) {
        if (t->target)
            return charon_store(k, c, t);
        charon_drop_dump(t);
    }
    return IKE_KEY_OK;
}

/*
 * The proposal attached to a block is a guess (the nearest "selected
 * proposal" line): drop it when the block's key lengths contradict it, and
 * for IKEv1 blocks translate it into IKEv1 attributes.
 */
static void charon_finish(struct ike_keyset *ks)
{
    const struct ike_v2_suite *s = &ks->suite;
    if (!s->encr)
        return;
    size_t el = ike_v2_encr_key_len(s), al = ike_v2_integ_key_len(s->integ);
    bool bad = (ike_secret_present(&ks->sk_ei) && ks->sk_ei.len != el) ||
               (ike_secret_present(&ks->sk_er) && ks->sk_er.len != el) ||
               (ike_secret_present(&ks->sk_ai) && ks->sk_ai.len != al) ||
               (ike_secret_present(&ks->sk_ar) && ks->sk_ar.len != al) ||
               (ike_secret_present(&ks->sk_d) && ks->sk_d.len != ike_prf_key_len(s->prf));
    if (ks->version == 1 && ike_secret_present(&ks->v1_enc_key)) {
        uint16_t v1 = s->encr == IKE_ENCR_AES_CBC ? IKE_V1_ENCR_AES_CBC : s->encr == IKE_ENCR_3DES ? IKE_V1_ENCR_3DES_CBC : 0;
        bad = ks->v1_enc_key.len != ike_v1_encr_key_len(v1, s->encr_key_bits);
    }
    if (bad) {
        memset(&ks->suite, 0, sizeof ks->suite);
        return;
    }
    if (ks->version != 1)
        return;
    switch (ks->suite.encr) {
    case IKE_ENCR_AES_CBC:
        ks->v1_encr = IKE_V1_ENCR_AES_CBC;
        break;
    case IKE_ENCR_3DES:
        ks->v1_encr = IKE_V1_ENCR_3DES_CBC;
        break;
    default:
        break;
    }
    ks->v1_key_bits = ks->suite.encr_key_bits;
    static const uint16_t prf_to_hash[] = {
        [IKE_PRF_HMAC_MD5] = IKE_V1_HASH_MD5, [IKE_PRF_HMAC_SHA1] = IKE_V1_HASH_SHA1,
        [IKE_PRF_HMAC_SHA2_256] = IKE_V1_HASH_SHA2_256, [IKE_PRF_HMAC_SHA2_384] = IKE_V1_HASH_SHA2_384,
        [IKE_PRF_HMAC_SHA2_512] = IKE_V1_HASH_SHA2_512,
    };
    if (ks->suite.prf < sizeof prf_to_hash / sizeof prf_to_hash[0])
        ks->v1_hash = prf_to_hash[ks->suite.prf];
    memset(&ks->suite, 0, sizeof ks->suite);
}

static enum ike_key_status parse_charon(struct kf *k, struct rd file, size_t first)
{
    struct charon c = { 0 };
    struct rd line;
    enum ike_key_status st = IKE_KEY_OK;
    k->line = 0;
    while (st == IKE_KEY_OK && rd_line(&file, &line)) {
        k->line++;
        st = charon_line(k, &c, line);
    }
    for (size_t i = 0; i < c.n; i++)
        ike_secret_free(&c.t[i].tmp);
    free(c.t);
    if (st != IKE_KEY_OK)
        return st;
    for (size_t i = first; i < ike_keystore_count(k->ks); i++)
        charon_finish((struct ike_keyset *)ike_keystore_get(k->ks, i));
    k->line = 0;
    if (ike_keystore_count(k->ks) == first)
        return kf_fail(k, IKE_KEY_NO_MATERIAL,
                       "this strongSwan log holds no key dumps (log with 'ike = 4' in charon's filelog or "
                       "syslog section, then repeat the connection)");
    return IKE_KEY_OK;
}

/* ---- libreswan pluto log ---- */

/* "HH:MM:SS" somewhere in the text: the clock of a log timestamp. */
static bool has_clock(struct rd r)
{
    for (size_t i = 0; i + 8 <= r.left; i++) {
        const uint8_t *p = r.p + i;
        if (is_digit(p[0]) && is_digit(p[1]) && p[2] == ':' && is_digit(p[3]) && is_digit(p[4]) && p[5] == ':' &&
            is_digit(p[6]) && is_digit(p[7]))
            return true;
    }
    return false;
}

/* Does the prefix end in pluto's syslog tag, "pluto" or "pluto[PID]"? */
static bool ends_with_pluto_tag(struct rd r)
{
    if (r.left && r.p[r.left - 1] == ']') {
        r.left--;
        size_t d = 0;
        while (d < r.left && is_digit(r.p[r.left - 1 - d]))
            d++;
        if (d == 0 || d == r.left || r.p[r.left - 1 - d] != '[')
            return false;
        r.left -= d + 1;
    }
    return r.left >= 5 && memcmp(r.p + r.left - 5, "pluto", 5) == 0;
}

#define PLUTO_PREFIX_MAX 160

/*
 * pluto's debug lines carry "| " before the text. libreswan 4 writes its
 * own log as "Nov 24 12:35:02.484502: | text"; through syslog or journald
 * the line reads "... pluto[2109]: | text"; old versions and stderr logging
 * write "| text" alone. On a debug line, *text is what follows "| ".
 */
static bool pluto_debug_text(struct rd line, struct rd *text)
{
    if (rd_starts(&line, "| ")) {
        *text = line;
        rd_skip(text, 2);
        return true;
    }
    long at = rd_find(&line, ": | ");
    if (at <= 0 || at > PLUTO_PREFIX_MAX)
        return false;
    struct rd prefix = { line.p, (size_t)at };
    if (!has_clock(prefix) && !ends_with_pluto_tag(prefix))
        return false;
    *text = line;
    rd_skip(text, (size_t)at + 4);
    return true;
}

/* libreswan prints its IKEv2 secrets as tcpdump -E lines, flush after "| ". */
static bool pluto_key_text(const struct rd *text)
{
    return rd_starts(text, "ikev2 I ") || rd_starts(text, "ikev2 R ");
}

/*
 * A line only pluto writes, debug or not: its start-up banner, its syslog
 * tag "pluto[PID]: ", or the program path it puts before early messages
 * ("/usr/libexec/ipsec/pluto:  adjusting ipsec.d to ...").
 */
static bool pluto_banner(struct rd line)
{
    if (rd_find(&line, "Starting Pluto (") >= 0)
        return true;
    long colon = rd_find(&line, ": ");
    if (colon <= 0 || colon > PLUTO_PREFIX_MAX)
        return false;
    struct rd prefix = { line.p, (size_t)colon };
    return ends_with_pluto_tag(prefix) && (rd_find(&prefix, "pluto[") >= 0 || rd_find(&prefix, "/pluto") >= 0);
}

/* ---- detection and driver ---- */

enum kmode { KM_TABLE, KM_CHARON, KM_PLUTO_LOG };

/*
 * A file is a pluto log when it has pluto lines other than key lines (debug
 * noise, the syslog tag, the banner): then unrelated lines are ignored. A
 * file of nothing but key lines, even with pluto's prefixes (grep output),
 * stays a key table and every line must be valid. pluto's debug lines are
 * specific enough to win over a stray "NN[ABC]" charon marker.
 */
static enum kmode detect(struct rd file)
{
    struct rd line;
    bool charon = false;
    while (rd_line(&file, &line)) {
        struct rd text;
        if (rd_starts(&line, "#"))
            continue;
        if (pluto_debug_text(line, &text) ? !rd_starts(&text, "ikev2 ") : pluto_banner(line))
            return KM_PLUTO_LOG;
        unsigned long tid;
        char group[4];
        struct rd rest;
        if (!charon && charon_marker(line, &tid, group, &rest))
            charon = true;
    }
    return charon ? KM_CHARON : KM_TABLE;
}

static enum ike_key_status parse_lines(struct kf *k, struct rd file, enum kmode mode, size_t first)
{
    struct rd line;
    k->line = 0;
    while (rd_line(&file, &line)) {
        k->line++;
        struct rd text;
        bool debug = pluto_debug_text(line, &text);
        if (!debug)
            text = line;
        if (mode == KM_PLUTO_LOG) {
            /* Only the secrets lines count; an indented "|    ikev2 cert encoding" is a packet dump. */
            if (!debug)
                rd_trim(&text);
            if (!pluto_key_text(&text))
                continue;
            rd_trim(&text);
            enum ike_key_status st = parse_tcpdump(k, text, first);
            if (st != IKE_KEY_OK)
                return st;
            continue;
        }
        rd_trim(&text);
        if (rd_empty(&text) || (!debug && rd_starts(&text, "#")))
            continue;
        enum ike_key_status st = IKE_KEY_OK;
        if (rd_starts(&text, "ikescope-keys ") || rd_is(&text, "ikescope-keys")) {
            st = parse_ours(k, text);
        } else if (rd_starts(&text, "ikev2 ")) {
            st = parse_tcpdump(k, text, first);
        } else {
            struct rd f[CSV_MAX];
            size_t n;
            if (!csv_split(text, f, &n) || (n != 8 && n != 2))
                st = kf_fail(k, IKE_KEY_SYNTAX,
                             "not a key line in any format we read (expected a Wireshark IKEv2 row of 8 "
                             "fields, an IKEv1 row of 2, 'ikev2 I|R ...' or 'ikescope-keys v1 ...'; see docs/keys.md)");
            else
                st = n == 8 ? parse_ws_v2(k, f) : parse_ws_v1(k, f);
        }
        if (st != IKE_KEY_OK)
            return st;
    }
    if (ike_keystore_count(k->ks) == first) {
        k->line = 0;
        if (mode == KM_PLUTO_LOG)
            return kf_fail(k, IKE_KEY_NO_MATERIAL,
                           "this libreswan pluto log holds no 'ikev2 I|R' key lines (run pluto with "
                           "plutodebug=all,private and repeat the connection; libreswan logs such lines "
                           "only for IKEv2)");
        return kf_fail(k, IKE_KEY_NO_MATERIAL, "no key lines found (see docs/keys.md for the formats)");
    }
    return IKE_KEY_OK;
}

enum ike_key_status ike_keystore_load_buf(struct ike_keystore *ks, const char *name,
                                          const uint8_t *buf, size_t len,
                                          char *errbuf, size_t errlen)
{
    struct kf k = { ks, name, 0, errbuf, errlen };
    if (errbuf && errlen)
        errbuf[0] = 0;
    size_t first = ike_keystore_count(ks);
    struct rd file = rd_make(buf, len);
    enum kmode mode = detect(file);
    enum ike_key_status st = mode == KM_CHARON ? parse_charon(&k, file, first)
                                               : parse_lines(&k, file, mode, first);
    if (st != IKE_KEY_OK)
        ike_keystore_truncate(ks, first);
    return st;
}

/* The file goes straight into a buffer we wipe (ike_secret_file_read: read(2), not stdio,
 * whose own buffer would keep a copy of the last bytes read, key text, in freed memory). */
enum ike_key_status ike_keystore_load(struct ike_keystore *ks, const char *path,
                                      char *errbuf, size_t errlen)
{
    struct kf k = { ks, path, 0, errbuf, errlen };
    struct ike_secret_file f;
    int err;
    switch (ike_secret_file_read(path, KEYFILE_MAX_BYTES, &f, &err)) {
    case IKE_SECRET_FILE_OK:
        break;
    case IKE_SECRET_FILE_OPEN:
        return kf_fail(&k, IKE_KEY_IO, "cannot open: %s (check the --keys path)", strerror(err));
    case IKE_SECRET_FILE_READ:
        return kf_fail(&k, IKE_KEY_IO, "read error: %s (check the file)", strerror(err));
    case IKE_SECRET_FILE_TOO_LARGE:
        if (f.size)
            return kf_fail(&k, IKE_KEY_IO, "%" PRIu64 " bytes, larger than 1 GiB (cut the log down to the "
                           "connection attempt)", f.size);
        return kf_fail(&k, IKE_KEY_IO, "larger than 1 GiB (cut the log down to the connection attempt)");
    case IKE_SECRET_FILE_NOMEM:
    default:
        return kf_fail(&k, IKE_KEY_NOMEM, "out of memory");
    }
    enum ike_key_status st = ike_keystore_load_buf(ks, path, f.p, f.len, errbuf, errlen);
    ike_secret_file_wipe(&f);
    return st;
}
