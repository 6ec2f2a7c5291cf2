/* rules_psk.c: psk.mismatch and psk.matched, from the shared-key AUTH of each side
 * recomputed with the candidate keys (RFC 7296 §2.15). Candidates are named by their
 * position only: a key never reaches a finding. */
#include "analyze/rules_psk.h"

#include <stdio.h>

#include "analyze/rules_internal.h"
#include "ike/names.h"

static const char *side_name(bool initiator) { return initiator ? "initiator" : "responder"; }

static void add_frames(struct an_finding *f, const struct an_psk_side *s)
{
    size_t n;
    const uint64_t *fr = ike_sa_msg_frames(s->auth_msg, &n);
    an_rule_add_frames(f, fr, n);
}

static void mismatch(const struct ike_sa *sa, const struct an_psk_checks *ck, bool initiator,
                     struct an_findings *out)
{
    const struct an_psk_side *s = &ck->side[initiator], *o = &ck->side[!initiator];
    const char *me = side_name(initiator), *peer = side_name(!initiator);
    struct an_finding *f = an_rule_add(out, "psk.mismatch", sa, s->auth_msg);
    if (!f)
        return;
    size_t n = ck->ncandidates;
    if (o->result == AN_PSK_MATCHED) {
        an_rule_textf(f->title, sizeof f->title, "The %s used a different pre-shared key than the %s", me, peer);
        an_rule_textf(f->detail, sizeof f->detail,
                      "The %s's shared-key AUTH payload (RFC 7296 §2.15), recomputed with SK_%s from the keys, "
                      "matches none of the candidate keys (%zu given), while the %s's matches candidate %u: the %s "
                      "holds a different pre-shared key for this peer, so the %s cannot verify its AUTH.",
                      me, initiator ? "pi" : "pr", n, peer, o->candidate, me, peer);
    } else if (o->result == AN_PSK_NO_MATCH) {
        an_rule_textf(f->title, sizeof f->title, "Neither side's PSK AUTH matches a candidate key");
        an_rule_textf(f->detail, sizeof f->detail,
                      "Neither the initiator's nor the responder's shared-key AUTH payload (RFC 7296 §2.15) "
                      "matches any of the candidate keys (%zu given): the candidates are not what either side "
                      "used (whether the two sides' keys agree cannot be told from these).", n);
    } else {
        an_rule_textf(f->title, sizeof f->title, "The %s's PSK AUTH matches none of the candidate keys", me);
        an_rule_textf(f->detail, sizeof f->detail,
                      "The %s's shared-key AUTH payload (RFC 7296 §2.15), recomputed with SK_%s from the keys, "
                      "matches none of the candidate keys (%zu given): the %s used a pre-shared key other than "
                      "these. "
                      "If a candidate is the %s's key, the two keys differ and the %s cannot verify the AUTH "
                      "(the %s sent no shared-key AUTH to compare).",
                      me, initiator ? "pi" : "pr", n, me, peer, peer, peer);
    }
}

void an_rules_psk(const struct ike_sa *sa, const struct an_psk_checks *ck, struct an_findings *out)
{
    const struct an_psk_side *i = &ck->side[1], *r = &ck->side[0];
    if (i->result == AN_PSK_NO_MATCH)
        mismatch(sa, ck, true, out);
    /* Both failing is one finding, said from the initiator's side. */
    if (r->result == AN_PSK_NO_MATCH && i->result != AN_PSK_NO_MATCH)
        mismatch(sa, ck, false, out);
    if (i->result != AN_PSK_MATCHED && r->result != AN_PSK_MATCHED)
        return;
    const struct an_psk_side *first = i->result == AN_PSK_MATCHED ? i : r;
    struct an_finding *f = an_rule_add(out, "psk.matched", sa, first->auth_msg);
    if (!f)
        return;
    char part[2][96];
    for (int k = 1; k >= 0; k--) {
        const struct an_psk_side *s = &ck->side[k];
        if (s->result == AN_PSK_MATCHED)
            snprintf(part[k], sizeof part[k], "the %s's AUTH matches candidate %u", side_name(k), s->candidate);
        else
            snprintf(part[k], sizeof part[k], "the %s's was %s", side_name(k),
                     s->result == AN_PSK_NOT_SENT ? "not a shared-key AUTH or not seen"
                                                  : an_psk_result_name(s->result));
    }
    if (i->result == AN_PSK_MATCHED && r->result == AN_PSK_MATCHED && i->candidate == r->candidate)
        an_rule_textf(f->title, sizeof f->title, "Both sides used candidate PSK %u", i->candidate);
    else if (i->result == AN_PSK_MATCHED && r->result == AN_PSK_MATCHED)
        an_rule_textf(f->title, sizeof f->title, "The initiator used candidate PSK %u, the responder %u",
                      i->candidate, r->candidate);
    else
        an_rule_textf(f->title, sizeof f->title, "The %s used candidate PSK %u", side_name(first == i),
                      first->candidate);
    an_rule_textf(f->detail, sizeof f->detail,
                  "Shared-key AUTH recomputed with the candidate keys (RFC 7296 §2.15): %s; %s.", part[1], part[0]);
    if (first == i && r->result == AN_PSK_MATCHED)
        add_frames(f, r);
}
