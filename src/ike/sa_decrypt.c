/* sa_decrypt.c: glue between the SA tracker and the key store / ciphers. */
#include "ike/sa_internal.h"

void ike_sa_decrypt_msg(struct ike_sa *sa, size_t idx, const struct ike_keystore *keys)
{
    (void)keys;
    struct ike_sa_msg *sm = &sa->msgs[idx];
    sm->decrypt = sm->msg.encrypted ? IKE_DECRYPT_NO_KEYS : IKE_DECRYPT_NOT_NEEDED;
}

void ike_sa_crypto_free(struct ike_sa *sa)
{
    (void)sa;
}
