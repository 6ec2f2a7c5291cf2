/* rules_cmd.c: `ikescope rules [--format text|json]` lists every row of the rule registry
 * (src/analyze/rule_registry.c), as docs/json.md describes. */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "analyze/json.h"
#include "analyze/rule_registry.h"
#include "analyze/windows_errors.h"
#include "cli/suggest.h"
#include "cli/explain.h"

static const char usage_rules[] =
    "Usage: ikescope rules [--format text|json]\n"
    "\n"
    "Lists every rule ikescope can report: its id, default severity and confidence, the\n"
    "Windows error it corresponds to, what it needs beyond the capture, and its title.\n"
    "'ikescope explain ID' says more about one.\n";

static void rules_text(FILE *f)
{
    fprintf(f, "%-28s %-8s %-8s %-7s %-30s %s\n", "RULE", "SEVERITY", "CONFID.", "WINDOWS", "NEEDS", "TITLE");
    for (size_t i = 0; i < an_rule_count(); i++) {
        const struct an_rule_def *d = an_rule_at(i);
        char code[16], needs[80];
        if (d->windows_code)
            snprintf(code, sizeof code, "%u", d->windows_code);
        else
            snprintf(code, sizeof code, "-");
        fprintf(f, "%-28s %-8s %-8s %-7s %-30s %s\n", d->id, an_severity_name(d->severity),
                an_confidence_name(d->confidence), code, an_rule_needs_text(d->needs, needs, sizeof needs),
                d->title);
    }
}

static void rules_json(FILE *f)
{
    struct aj j;
    aj_init(&j, f);
    aj_obj_begin(&j, NULL);
    aj_arr_begin(&j, "rules");
    for (size_t i = 0; i < an_rule_count(); i++) {
        const struct an_rule_def *d = an_rule_at(i);
        aj_obj_begin(&j, NULL);
        aj_str(&j, "id", d->id);
        aj_str(&j, "title", d->title);
        aj_str(&j, "severity", an_severity_name(d->severity));
        aj_str(&j, "confidence", an_confidence_name(d->confidence));
        aj_str(&j, "scope", d->scope == AN_SCOPE_INPUT ? "input" : "sa");
        aj_arr_begin_inline(&j, "needs");
        for (unsigned b = 0; an_rule_need_name(b); b++)
            if (d->needs & (1u << b))
                aj_str(&j, NULL, an_rule_need_name(b));
        aj_arr_end(&j);
        const char *wname = d->windows_code ? an_windows_error_name(d->windows_code) : NULL;
        if (wname) {
            aj_obj_begin(&j, "windows_error");
            aj_uint(&j, "code", d->windows_code);
            aj_str(&j, "name", wname);
            aj_obj_end(&j);
        } else {
            aj_null(&j, "windows_error");
        }
        aj_str(&j, "meaning", d->meaning);
        aj_obj_end(&j);
    }
    aj_arr_end(&j);
    aj_obj_end(&j);
    aj_flush(&j);
}

int cli_rules_command(int argc, char **argv)
{
    static const struct option opts[] = {
        { "format", required_argument, NULL, 'f' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    bool json = false;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":f:h", opts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (strcmp(optarg, "json") == 0)
                json = true;
            else if (strcmp(optarg, "text") != 0) {
                fprintf(stderr, "ikescope rules: unknown format '%s'; use text or json\n", optarg);
                return 2;
            }
            break;
        case 'h':
            fputs(usage_rules, stdout);
            return 0;
        default:
            return cli_option_error("rules", c, argv, optind);
        }
    }
    if (optind < argc) {
        fprintf(stderr, "ikescope rules: unexpected argument '%s'; usage: ikescope rules [--format text|json]\n",
                argv[optind]);
        return 2;
    }
    if (json)
        rules_json(stdout);
    else
        rules_text(stdout);
    return fflush(stdout) == 0 ? 0 : 2;
}
