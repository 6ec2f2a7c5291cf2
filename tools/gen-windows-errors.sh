#!/bin/sh
# Regenerates src/analyze/windows_errors.c from the winerror.h extract.
set -eu
tsv=${1:-../shared/reference/windows-ike-errors.tsv}
awk -F'\t' 'BEGIN{print "/* windows_errors.c: every ERROR_IPSEC_IKE_* code and name, from winerror.h"; print " * (shared/reference/windows-ike-errors.tsv); regenerate with tools/gen-windows-errors.sh. */"; print "#include \"analyze/windows_errors.h\""; print ""; print "#include <stddef.h>"; print ""; print "static const struct an_windows_error table[] = {"} {printf "    { %s, \"%s\" },\n", $1, $3} END{print "};"; print ""; print "const char *an_windows_error_name(unsigned code)"; print "{"; print "    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)"; print "        if (table[i].code == code)"; print "            return table[i].name;"; print "    return NULL;"; print "}"}' "$tsv" > src/analyze/windows_errors.c
