/* report_json.c: the "ikescope/1" JSON document (docs/json.md is its contract). */
#include <stdio.h>

#include "analyze/auth_info.h"
#include "analyze/icmp_text.h"
#include "analyze/identity.h"
#include "analyze/fingerprint.h"
#include "analyze/report_internal.h"
#include "analyze/windows_errors.h"
#include "ike/names.h"
#include "ike/vendor.h"

void an_json_begin(struct an_report *r)
{
    struct aj *j = &r->json;
    aj_init(j, r->out);
    aj_obj_begin(j, NULL);
    aj_str(j, "schema", "ikescope/1");
    aj_obj_begin(j, "tool");
    aj_str(j, "name", "ikescope");
    aj_str(j, "version", r->version);
    aj_obj_end(j);
    aj_arr_begin(j, "sas");
}

static void endpoint(struct aj *j, const char *key, const struct ike_sa *sa, bool initiator,
                     const struct an_profile_choice *profile)
{
    const struct ike_endpoint *e = initiator ? &sa->initiator : &sa->responder;
    char buf[96];
    aj_obj_begin(j, key);
    aj_str(j, "ip", cap_addr_str(&e->addr, buf, sizeof buf));
    aj_uint(j, "port", e->port);
    const char *impl = an_implementation(sa, initiator, buf, sizeof buf);
    if (impl)
        aj_str(j, "implementation", impl);
    else
        aj_null(j, "implementation");
    struct an_fingerprint fp;
    if (!impl && an_fingerprint_side(sa, initiator, &fp)) {
        aj_obj_begin(j, "implementation_guess");
        aj_str(j, "name", fp.name);
        aj_str(j, "confidence", "likely");
        aj_str(j, "basis", fp.basis);
        aj_obj_end(j);
    } else {
        aj_null(j, "implementation_guess");
    }
    struct an_identity id;
    if (an_sa_identity(sa, initiator, &id)) {
        aj_obj_begin(j, "identity");
        aj_str(j, "type", id.type);
        aj_str(j, "value", id.value);
        aj_obj_end(j);
    } else {
        aj_null(j, "identity");
    }
    char auth[160];
    if (an_sa_auth_method(sa, initiator, auth, sizeof auth))
        aj_str(j, "auth_method", auth);
    else
        aj_null(j, "auth_method");
    aj_obj_begin(j, "profile");
    aj_str(j, "name", an_profile_name(profile->profile));
    aj_str(j, "source", profile->source ? profile->source : "default");
    aj_obj_end(j);
    aj_obj_end(j);
}

static void frames(struct aj *j, const uint64_t *v, size_t n)
{
    aj_arr_begin_inline(j, "frames");
    for (size_t i = 0; i < n; i++)
        aj_uint(j, NULL, v[i]);
    aj_arr_end(j);
}

static void icmp_errors(struct aj *j, const struct ike_sa *sa)
{
    char buf[80];
    aj_arr_begin(j, "icmp_errors");
    for (size_t i = 0; i < sa->nicmp; i++) {
        const struct ike_sa_icmp *e = &sa->icmp[i];
        aj_obj_begin(j, NULL);
        aj_uint(j, "input", e->input);
        aj_uint(j, "frame", e->frame);
        aj_str(j, "time", an_time_iso(&e->time, buf, sizeof buf));
        aj_str(j, "from", cap_addr_str(&e->icmp.from, buf, sizeof buf));
        aj_uint(j, "type", e->icmp.type);
        aj_uint(j, "code", e->icmp.code);
        an_icmp_name(&e->icmp, buf, sizeof buf);
        aj_str(j, "meaning", buf);
        if (e->icmp.mtu)
            aj_uint(j, "mtu", e->icmp.mtu);
        else
            aj_null(j, "mtu");
        aj_str(j, "about", e->about_initiator_msg ? "initiator" : "responder");
        aj_obj_end(j);
    }
    aj_arr_end(j);
    aj_uint(j, "icmp_errors_dropped", sa->icmp_total - sa->nicmp);
}

static void str_or_null(struct aj *j, const char *key, const char *val)
{
    if (val)
        aj_str(j, key, val);
    else
        aj_null(j, key);
}

/* A list that is null when the certificate lacks the extension, [] when it is empty. */
static void strlist(struct aj *j, const char *key, const struct an_strlist *l)
{
    if (!l->present) {
        aj_null(j, key);
        return;
    }
    aj_arr_begin_inline(j, key);
    for (size_t i = 0; i < l->n; i++)
        aj_str(j, NULL, l->v[i]);
    aj_arr_end(j);
}

static void x509_fields(struct aj *j, const struct an_x509 *x)
{
    char t[40];
    aj_str(j, "subject", x->subject);
    aj_str(j, "issuer", x->issuer);
    str_or_null(j, "serial", x->serial);
    str_or_null(j, "not_before", x->times_ok ? an_cert_time(x->not_before, t, sizeof t) : NULL);
    str_or_null(j, "not_after", x->times_ok ? an_cert_time(x->not_after, t, sizeof t) : NULL);
    aj_str(j, "key", x->key);
    aj_str(j, "signature_algorithm", x->signature_algorithm);
    strlist(j, "san", &x->san);
    strlist(j, "eku", &x->eku);
    strlist(j, "key_usage", &x->key_usage);
    str_or_null(j, "ski", x->ski);
    str_or_null(j, "aki", x->aki);
}

static void certificates(struct aj *j, const struct ike_sa *sa, const struct an_sa_certs *cs)
{
    char buf[96];
    aj_arr_begin(j, "certificates");
    for (size_t i = 0; i < cs->ncerts; i++) {
        const struct an_cert *c = &cs->certs[i];
        aj_obj_begin(j, NULL);
        aj_str(j, "sender", c->from_initiator ? "initiator" : "responder");
        aj_uint(j, "index", c->index);
        aj_uint(j, "message", c->msg);
        aj_str(j, "encoding", ike_cert_encoding_name(sa->version, c->encoding, buf, sizeof buf));
        aj_uint(j, "encoding_type", c->encoding);
        aj_uint(j, "length", c->length);
        aj_str(j, "sha256", ike_hex(c->sha256, sizeof c->sha256, buf, sizeof buf));
        str_or_null(j, "error", c->error[0] ? c->error : NULL);
        if (!c->error[0]) {
            if (c->kind == AN_CERT_X509 && c->x) {
                x509_fields(j, c->x);
            } else if (c->kind == AN_CERT_CRL) {
                char t[40];
                aj_str(j, "issuer", c->issuer);
                aj_str(j, "this_update", an_cert_time(c->this_update, t, sizeof t));
                str_or_null(j, "next_update", c->has_next_update ? an_cert_time(c->next_update, t, sizeof t) : NULL);
            } else if (c->kind == AN_CERT_HASH_URL) {
                aj_str(j, "url", c->url);
                aj_str(j, "sha1", ike_hex(c->url_sha1, sizeof c->url_sha1, buf, sizeof buf));
            } else if (c->kind == AN_CERT_RAW_KEY) {
                aj_str(j, "key", c->key);
            }
        }
        aj_obj_end(j);
    }
    aj_arr_end(j);
    aj_uint(j, "certificates_dropped", cs->certs_dropped);
    aj_arr_begin(j, "cert_requests");
    for (size_t i = 0; i < cs->nreqs; i++) {
        const struct an_certreq *r = &cs->reqs[i];
        aj_obj_begin(j, NULL);
        aj_str(j, "sender", r->from_initiator ? "initiator" : "responder");
        aj_uint(j, "message", r->msg);
        aj_str(j, "encoding", ike_cert_encoding_name(sa->version, r->encoding, buf, sizeof buf));
        aj_uint(j, "encoding_type", r->encoding);
        aj_bool(j, "any_ca", r->any_ca);
        str_or_null(j, "ca_sha1", r->has_sha1 ? ike_hex(r->ca_sha1, sizeof r->ca_sha1, buf, sizeof buf) : NULL);
        str_or_null(j, "ca_name", r->ca_dn[0] ? r->ca_dn : NULL);
        str_or_null(j, "ca_source", r->ca_dn[0] ? r->ca_source : NULL);
        str_or_null(j, "dn", r->dn);
        str_or_null(j, "error", r->error[0] ? r->error : NULL);
        aj_obj_end(j);
    }
    aj_arr_end(j);
    aj_uint(j, "cert_requests_dropped", cs->reqs_dropped);
}

/* Per side with an end-entity certificate: how it fared at its check time (rules_certs.h). */
static void cert_checks(struct aj *j, const struct an_cert_checks *ck)
{
    char t[40];
    aj_arr_begin(j, "cert_checks");
    for (int side = 1; side >= 0; side--) {
        const struct an_side_check *sc = &ck->side[side];
        if (!sc->present)
            continue;
        aj_obj_begin(j, NULL);
        aj_str(j, "sender", side ? "initiator" : "responder");
        aj_uint(j, "certificate", sc->index);
        aj_str(j, "checked_at", an_time_iso(&sc->at, t, sizeof t));
        aj_str(j, "validity", sc->validity);
        if (sc->chain_checked) {
            aj_str(j, "chain", an_chain_status_name(sc->chain.status));
            str_or_null(j, "reason", sc->chain.status == AN_CHAIN_OK ? NULL : sc->chain.reason);
            str_or_null(j, "trusted_root", sc->chain.status == AN_CHAIN_OK && sc->chain.root[0] ? sc->chain.root : NULL);
            str_or_null(j, "untrusted_root",
                        sc->chain.status == AN_CHAIN_UNTRUSTED_ROOT && sc->chain.root[0] ? sc->chain.root : NULL);
            str_or_null(j, "missing_issuer",
                        sc->chain.status == AN_CHAIN_MISSING_INTERMEDIATE ? sc->chain.issuer : NULL);
        } else {
            aj_null(j, "chain");
            aj_null(j, "reason");
            aj_null(j, "trusted_root");
            aj_null(j, "untrusted_root");
            aj_null(j, "missing_issuer");
        }
        if (sc->requested_ca < 0)
            aj_null(j, "requested_ca");
        else
            aj_bool(j, "requested_ca", sc->requested_ca == 1);
        aj_arr_begin(j, "problems");
        for (size_t i = 0; i < ck->nproblems; i++) {
            const struct an_cert_problem *p = &ck->problems[i];
            if (p->from_initiator != (side == 1))
                continue;
            aj_obj_begin(j, NULL);
            aj_str(j, "rule", p->rule);
            aj_uint(j, "certificate", p->index);
            aj_str(j, "text", p->line);
            aj_obj_end(j);
        }
        aj_arr_end(j);
        aj_obj_end(j);
    }
    aj_arr_end(j);
}

/* Per side that sent a shared-key AUTH: was it recomputed with a candidate (psk_auth.h)? */
static void psk_checks(struct aj *j, const struct an_psk_checks *ck)
{
    aj_arr_begin(j, "psk_checks");
    for (int side = 1; side >= 0; side--) {
        const struct an_psk_side *s = &ck->side[side];
        if (s->result == AN_PSK_NOT_SENT)
            continue;
        aj_obj_begin(j, NULL);
        aj_str(j, "sender", side ? "initiator" : "responder");
        aj_str(j, "result", an_psk_result_name(s->result));
        if (s->candidate)
            aj_uint(j, "candidate", s->candidate);
        else
            aj_null(j, "candidate");
        aj_str(j, "reason", s->reason);
        aj_obj_end(j);
    }
    aj_arr_end(j);
}

/* CRL and OCSP locations of the certificates, and what the capture shows of fetching them. */
static void revocation_json(struct aj *j, const struct an_fetches *fs)
{
    char addr[64];
    aj_arr_begin(j, "revocation_fetches");
    for (size_t i = 0; fs && i < fs->n; i++) {
        const struct an_fetch *f = &fs->v[i];
        aj_obj_begin(j, NULL);
        aj_str(j, "sender", f->from_initiator ? "initiator" : "responder");
        aj_uint(j, "certificate", f->cert_index);
        aj_str(j, "kind", f->kind == AN_FETCH_CRL ? "crl" : "ocsp");
        aj_str(j, "url", f->url);
        aj_str(j, "verdict", an_fetch_verdict_name(f->verdict));
        if (f->dns) {
            aj_obj_begin(j, "dns");
            aj_str(j, "name", f->dns->name);
            aj_uint(j, "query_frame", f->dns->query_frame);
            aj_bool(j, "answered", f->dns->answered);
            if (f->dns->answered) {
                aj_uint(j, "rcode", f->dns->rcode);
                aj_uint(j, "answer_frame", f->dns->answer_frame);
            }
            aj_obj_end(j);
        } else {
            aj_null(j, "dns");
        }
        if (f->tcp) {
            aj_obj_begin(j, "tcp");
            aj_str(j, "client", cap_addr_str(&f->tcp->client, addr, sizeof addr));
            aj_str(j, "server", cap_addr_str(&f->tcp->server, addr, sizeof addr));
            aj_uint(j, "port", f->tcp->server_port);
            aj_uint(j, "syn_frame", f->tcp->syn_frame);
            aj_uint(j, "syns", f->tcp->syns);
            if (f->tcp->synack_frame)
                aj_uint(j, "synack_frame", f->tcp->synack_frame);
            else
                aj_null(j, "synack_frame");
            if (f->tcp->rst_frame)
                aj_uint(j, "reset_frame", f->tcp->rst_frame);
            else
                aj_null(j, "reset_frame");
            if (f->tcp->http_status) {
                aj_uint(j, "http_status", (uint64_t)f->tcp->http_status);
                aj_uint(j, "http_frame", f->tcp->http_frame);
            } else {
                aj_null(j, "http_status");
            }
            aj_obj_end(j);
        } else {
            aj_null(j, "tcp");
        }
        aj_obj_end(j);
    }
    aj_arr_end(j);
}

/* Per side that sent a signature AUTH: did it verify with the sender's key (auth_verify.h)? */
static void auth_checks(struct aj *j, const struct an_auth_checks *ck)
{
    aj_arr_begin(j, "auth_checks");
    for (int side = 1; side >= 0; side--) {
        const struct an_auth_check *s = &ck->side[side];
        if (s->result == AN_AUTH_NOT_SENT)
            continue;
        aj_obj_begin(j, NULL);
        aj_str(j, "sender", side ? "initiator" : "responder");
        aj_uint(j, "method", s->method);
        aj_str(j, "algorithm", s->algorithm);
        aj_str(j, "result", an_auth_result_name(s->result));
        aj_str(j, "reason", s->reason);
        if (s->result == AN_AUTH_INVALID)
            aj_str(j, "cause", an_auth_cause_name(s->cause));
        aj_obj_end(j);
    }
    aj_arr_end(j);
}

static void emit_label(void *ctx, const char *label, const struct ike_payload *p)
{
    (void)p;
    aj_str(ctx, NULL, label);
}

static const char *decrypt_state_name(enum ike_decrypt_state s)
{
    static const char *const names[] = {
        [IKE_DECRYPT_NOT_NEEDED] = "cleartext",
        [IKE_DECRYPT_NO_KEYS] = "no_keys",
        [IKE_DECRYPT_OK] = "ok",
        [IKE_DECRYPT_ICV_MISMATCH] = "icv_mismatch",
        [IKE_DECRYPT_UNSUPPORTED] = "unsupported",
        [IKE_DECRYPT_FAILED] = "failed",
        [IKE_DECRYPT_FRAGMENT] = "fragment",
    };
    return (unsigned)s < sizeof names / sizeof names[0] && names[s] ? names[s] : "unknown";
}

static void message(struct an_report *r, const struct ike_sa *sa, const struct ike_sa_msg *sm)
{
    struct aj *j = &r->json;
    char buf[64];
    aj_obj_begin(j, NULL);
    aj_uint(j, "input", sm->input);
    size_t nf;
    const uint64_t *fv = ike_sa_msg_frames(sm, &nf);
    frames(j, fv, nf);
    aj_str(j, "time", an_time_iso(&sm->time, buf, sizeof buf));
    aj_str(j, "sender", sm->from_initiator ? "initiator" : "responder");
    aj_str(j, "exchange", ike_exchange_name(sa->version, sm->msg.exchange, buf, sizeof buf));
    aj_uint(j, "exchange_type", sm->msg.exchange);
    aj_uint(j, "msg_id", sm->msg.msg_id);
    aj_str(j, "spi_i", ike_hex(sm->msg.spi_i, 8, buf, sizeof buf));
    aj_str(j, "spi_r", ike_hex(sm->msg.spi_r, 8, buf, sizeof buf));
    aj_uint(j, "flags", sm->msg.flags);
    aj_bool(j, "response", sm->response);
    aj_uint(j, "length", sm->msg.raw_len);
    aj_str(j, "transport", cap_framing_name(sm->framing));
    aj_bool(j, "encrypted", sm->msg.encrypted);
    aj_bool(j, "decrypted", sm->msg.decrypted);
    aj_str(j, "decryption", decrypt_state_name(sm->decrypt));
    aj_arr_begin_inline(j, "payloads");
    an_payload_labels(sa, sm, emit_label, j);
    aj_arr_end(j);
    size_t inner = 0;
    for (size_t i = 0; i < sm->msg.npayloads; i++)
        inner += sm->msg.payloads[i].inner;
    aj_uint(j, "inner_payloads", inner);
    /* Numbers for tools that match on them: notify types and ID types, in payload order. */
    uint8_t ntype = sa->version == 2 ? IKE2_PL_NOTIFY : IKE1_PL_N;
    aj_arr_begin_inline(j, "notify_types");
    for (size_t i = 0; i < sm->msg.npayloads; i++)
        if (sm->msg.payloads[i].type == ntype)
            aj_uint(j, NULL, sm->msg.payloads[i].notify_type);
    aj_arr_end(j);
    aj_arr_begin_inline(j, "id_types");
    for (size_t i = 0; i < sm->msg.npayloads; i++) {
        uint8_t t = sm->msg.payloads[i].type;
        if (sa->version == 2 ? (t == IKE2_PL_IDI || t == IKE2_PL_IDR) : t == IKE1_PL_ID)
            aj_uint(j, NULL, sm->msg.payloads[i].id_type);
    }
    aj_arr_end(j);
    aj_arr_begin(j, "identities");
    for (size_t i = 0; i < sm->msg.npayloads; i++) {
        struct an_identity id;
        if (!an_payload_identity(sa->version, &sm->msg.payloads[i], &id))
            continue;
        aj_obj_begin(j, NULL);
        aj_str(j, "type", id.type);
        aj_str(j, "value", id.value);
        aj_obj_end(j);
    }
    aj_arr_end(j);
    aj_bool(j, "retransmission", sm->retransmission);
    aj_bool(j, "retry", sm->retry);
    aj_arr_begin_inline(j, "anomalies");
    for (size_t i = 0; i < sm->msg.nanomalies; i++)
        aj_str(j, NULL, ike_anomaly_name((enum ike_anomaly)sm->msg.anomalies[i]));
    aj_arr_end(j);
    aj_obj_end(j);
}

/* ESP between the SA's hosts after its setup (sa.h struct ike_sa_esp), or null. */
static void esp_json(struct aj *j, const struct ike_sa *sa)
{
    const struct ike_sa_esp *e = &sa->esp;
    if (!e->packets) {
        aj_null(j, "esp");
        return;
    }
    char buf[40];
    aj_obj_begin(j, "esp");
    aj_uint(j, "packets", e->packets);
    aj_bool(j, "both_directions", e->both_directions);
    aj_arr_begin_inline(j, "spis");
    for (size_t i = 0; i < e->nspis; i++) {
        snprintf(buf, sizeof buf, "%08x", (unsigned)e->spis[i]);
        aj_str(j, NULL, buf);
    }
    aj_arr_end(j);
    aj_uint(j, "input", e->input);
    aj_uint(j, "first_frame", e->first_frame);
    aj_str(j, "first", an_time_iso(&e->first, buf, sizeof buf));
    aj_str(j, "last", an_time_iso(&e->last, buf, sizeof buf));
    aj_obj_end(j);
}

void an_json_sa(struct an_report *r, const struct ike_sa *sa, const struct an_sa_certs *certs,
                const struct an_cert_checks *checks, const struct an_psk_checks *psk)
{
    struct aj *j = &r->json;
    char buf[96];
    aj_obj_begin(j, NULL);
    aj_uint(j, "id", sa->id);
    aj_uint(j, "version", sa->version);
    endpoint(j, "initiator", sa, true, &r->profile[1]);
    endpoint(j, "responder", sa, false, &r->profile[0]);
    aj_str(j, "spi_i", ike_hex(sa->spi_i, 8, buf, sizeof buf));
    aj_str(j, "spi_r", ike_hex(sa->spi_r, 8, buf, sizeof buf));
    aj_str(j, "first_seen", an_time_iso(&sa->first_seen, buf, sizeof buf));
    aj_str(j, "last_seen", an_time_iso(&sa->last_seen, buf, sizeof buf));
    aj_str(j, "outcome", ike_outcome_name(sa->outcome));
    aj_str(j, "evidence", sa->evidence);
    if (sa->likely == IKE_LIKELY_NONE)
        aj_null(j, "likely");
    else
        aj_str(j, "likely", ike_likely_name(sa->likely));
    esp_json(j, sa);
    aj_bool(j, "nat_t", sa->natt_moved);
    if (sa->deleted) {
        char t[40];
        aj_obj_begin(j, "deleted");
        aj_str(j, "by", sa->deleted_by_initiator ? "initiator" : "responder");
        aj_str(j, "time", an_time_iso(&sa->deleted_at, t, sizeof t));
        aj_obj_end(j);
    } else {
        aj_null(j, "deleted");
    }
    if (sa->rekey_of)
        aj_uint(j, "rekey_of", sa->rekey_of);
    else
        aj_null(j, "rekey_of");
    aj_bool(j, "rekey_inferred", sa->rekey_inferred);
    if (sa->continues) {
        aj_obj_begin(j, "continues");
        aj_uint(j, "sa", sa->continues);
        aj_uint(j, "silence_sec", (uint64_t)sa->continues_after_sec);
        aj_obj_end(j);
    } else {
        aj_null(j, "continues");
    }
    struct an_suite_names names;
    if (an_suite_names(sa, &names)) {
        aj_obj_begin(j, "chosen_proposal");
        const char *keys[] = { "encryption", "integrity", "prf", "dh_group", "auth_method" };
        const char *vals[] = { names.encr, names.integ, names.prf, names.dh, names.auth };
        for (size_t i = 0; i < 5; i++) {
            if (vals[i])
                aj_str(j, keys[i], vals[i]);
            else
                aj_null(j, keys[i]);
        }
        aj_obj_end(j);
    } else {
        aj_null(j, "chosen_proposal");
    }
    aj_arr_begin_inline(j, "vendors");
    for (size_t i = 0; i < sa->nvendors; i++)
        if (an_vendor_first(sa, i))
            aj_str(j, NULL, an_vendor_label(&sa->vendors[i], buf, sizeof buf));
    aj_arr_end(j);
    certificates(j, sa, certs);
    cert_checks(j, checks);
    psk_checks(j, psk);
    revocation_json(j, r->fetches);
    auth_checks(j, &r->auth);
    aj_arr_begin(j, "messages");
    for (size_t i = 0; i < sa->nmsgs; i++)
        message(r, sa, &sa->msgs[i]);
    aj_arr_end(j);
    aj_uint(j, "messages_dropped", sa->msgs_dropped);
    icmp_errors(j, sa);
    aj_obj_end(j);
}

void an_json_finding(struct aj *j, const struct an_finding *f)
{
    aj_obj_begin(j, NULL);
    aj_str(j, "rule", f->rule);
    aj_str(j, "severity", an_severity_name(f->severity));
    aj_str(j, "confidence", an_confidence_name(f->confidence));
    aj_uint(j, "sa", f->sa);
    aj_uint(j, "input", f->input);
    frames(j, f->frames, f->nframes);
    aj_str(j, "title", f->title);
    aj_str(j, "detail", f->detail);
    const char *wname = f->windows_code ? an_windows_error_name(f->windows_code) : NULL;
    if (wname) {
        aj_obj_begin(j, "windows_error");
        aj_uint(j, "code", f->windows_code);
        aj_str(j, "name", wname);
        aj_obj_end(j);
    } else {
        aj_null(j, "windows_error");
    }
    aj_obj_end(j);
}

void an_json_finish(struct an_report *r, const struct an_input *inputs, size_t n)
{
    struct aj *j = &r->json;
    aj_arr_end(j); /* sas */
    aj_arr_begin(j, "findings");
    if (r->spool) {
        /* The SAs' findings, already written at this depth; then the rest after a comma. */
        char buf[8192];
        size_t n;
        aj_flush(&r->spool_json);
        aj_flush(j);
        fflush(r->spool);
        rewind(r->spool);
        while ((n = fread(buf, 1, sizeof buf, r->spool)) > 0)
            fwrite(buf, 1, n, j->f);
        if (ferror(r->spool))
            fprintf(stderr, "ikescope: warning: some findings were lost on the way to the report (the temporary "
                            "file failed: is the disk under $TMPDIR full?); the text report keeps none back\n");
        j->first[j->depth] = r->spool_json.first[2];
    }
    for (size_t i = 0; i < r->findings.n; i++)
        an_json_finding(j, &r->findings.v[i]);
    aj_arr_end(j);
    aj_arr_begin(j, "inputs");
    for (size_t i = 0; i < n; i++) {
        const struct cap_stats *s = inputs[i].stats;
        aj_obj_begin(j, NULL);
        aj_str(j, "path", inputs[i].path);
        aj_uint(j, "packets", s ? s->packets : 0);
        aj_uint(j, "ike_messages", inputs[i].counts ? inputs[i].counts->messages : 0);
        aj_uint(j, "not_ike", inputs[i].counts ? inputs[i].counts->not_ike : 0);
        if (s) {
            aj_uint(j, "esp_in_udp", s->esp_in_udp);
            aj_uint(j, "nat_keepalives", s->nat_keepalives);
            aj_uint(j, "icmp_errors", s->icmp_errors);
            aj_uint(j, "ip_fragments", s->ip_fragments);
            aj_uint(j, "reassembled", s->reassembled);
            aj_uint(j, "frag_timeouts", s->frag_timeouts);
            aj_uint(j, "frag_overlaps", s->frag_overlaps);
            aj_uint(j, "frag_cap_hits", s->frag_cap_hits);
            aj_uint(j, "tcp_segments", s->tcp_segments);
            aj_uint(j, "tcp_gaps", s->tcp_gaps);
            aj_uint(j, "tcp_unframed", s->tcp_unframed);
            aj_uint(j, "undecodable", s->undecodable);
            aj_uint(j, "incomplete", s->incomplete_delivered);
            aj_uint(j, "unsupported_linktype", s->unsupported_linktype);
        }
        if (inputs[i].error)
            aj_str(j, "error", inputs[i].error);
        else
            aj_null(j, "error");
        aj_obj_end(j);
    }
    aj_arr_end(j);
    aj_obj_end(j);
}
