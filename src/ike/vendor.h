/* vendor.h: known Vendor ID payload values (RFC 2408 §3.16, RFC 7296 §3.12) and who sends them. */
#ifndef IKESCOPE_IKE_VENDOR_H
#define IKESCOPE_IKE_VENDOR_H

#include <stddef.h>
#include <stdint.h>

/* The implementation family a Vendor ID points at; IKE_IMPL_NONE for
 * capability VIDs (NAT-T, DPD, XAUTH, fragmentation) that many stacks send. */
enum ike_impl {
    IKE_IMPL_NONE = 0,
    IKE_IMPL_STRONGSWAN,
    IKE_IMPL_LIBRESWAN,
    IKE_IMPL_OPENSWAN,
    IKE_IMPL_FREESWAN,
    IKE_IMPL_WINDOWS,
    IKE_IMPL_CISCO,
    IKE_IMPL_CHECKPOINT,
    IKE_IMPL_FORTINET,
    IKE_IMPL_JUNIPER,
    IKE_IMPL_SONICWALL,
    IKE_IMPL_ZYXEL,
    IKE_IMPL_SHREWSOFT,
    IKE_IMPL_RACOON,
    IKE_IMPL_OPENIKED,
    IKE_IMPL_SSH,
    IKE_IMPL_NCP,
    IKE_IMPL_ARUBA,
    IKE_IMPL_OTHER,
    IKE_IMPL_COUNT
};

/*
 * Looks the Vendor ID payload body up in the table. Entries match either
 * exactly or as a prefix (vendors that append version bytes); the longest
 * matching entry wins. Returns the table index, or -1 when unknown.
 * When `detail` is non-NULL it receives a NUL-terminated refinement decoded
 * from the appended bytes ("Windows 10/Server 2016", "1.0", "strongSwan
 * version string"), or "" when there is none.
 */
int ike_vendor_lookup(const uint8_t *v, size_t len, char *detail, size_t detail_len);

/* Name of table entry `idx` ("strongSwan", "RFC 3947 NAT-T"); "unknown" for -1 or out of range. */
const char *ike_vendor_name(int idx);

/* Implementation family of table entry `idx`; IKE_IMPL_NONE for -1. */
enum ike_impl ike_vendor_impl(int idx);

/* Short implementation name ("strongSwan", "libreswan", "Windows", "Cisco"),
 * or NULL for IKE_IMPL_NONE. */
const char *ike_impl_name(enum ike_impl impl);

/* Number of table entries (for tests and listings). */
size_t ike_vendor_count(void);

#endif
