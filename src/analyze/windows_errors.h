/* windows_errors.h: Windows ERROR_IPSEC_IKE_* codes by number (winerror.h). */
#ifndef IKESCOPE_ANALYZE_WINDOWS_ERRORS_H
#define IKESCOPE_ANALYZE_WINDOWS_ERRORS_H

struct an_windows_error {
    unsigned code;
    const char *name;
};

/* The name for a code, or NULL when winerror.h has none. */
const char *an_windows_error_name(unsigned code);

#endif
