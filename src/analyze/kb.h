/* kb.h: what Windows ERROR_IPSEC_IKE_* codes and IKE error notifies mean to an
 * administrator, their common causes, how a capture confirms each with ikescope, and
 * what to change per platform. Const tables (kb_windows.c, kb_notify.c); `ikescope
 * explain` prints them. */
#ifndef IKESCOPE_ANALYZE_KB_H
#define IKESCOPE_ANALYZE_KB_H

#include <stdint.h>

#define AN_KB_MAX_CAUSES 8

struct an_kb_cause {
    const char *cause;
    /* How a capture shows it with ikescope (naming the rule that confirms or rules it
     * out), or why the wire cannot show it. */
    const char *confirm;
};

/* What to change, per platform; NULL where nothing specific applies. */
struct an_kb_fixes {
    const char *windows, *strongswan, *libreswan, *cisco;
};

struct an_kb_windows {
    unsigned code;
    const char *meaning;
    const char *look;           /* where to look next */
    struct an_kb_cause causes[AN_KB_MAX_CAUSES];  /* empty for short entries */
    struct an_kb_fixes fix;
};

struct an_kb_notify {
    uint8_t version;            /* 1 or 2 */
    uint16_t type;
    unsigned windows_code;      /* what Windows reports for it, or 0 */
    const char *meaning;
    const char *look;
};

/* The entry for a Windows code, or NULL. */
const struct an_kb_windows *an_kb_windows_find(unsigned code);
/* The code whose ERROR_IPSEC_IKE_* name is `name` (case-insensitive), or 0. */
unsigned an_kb_windows_code_by_name(const char *name);
/* The entry for an error notify of IKE `version`, or NULL. */
const struct an_kb_notify *an_kb_notify_find(uint8_t version, uint16_t type);
/* Every error notify entry, in table order: row i or NULL past the end. */
const struct an_kb_notify *an_kb_notify_at(unsigned i);

#endif
