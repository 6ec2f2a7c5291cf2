/* fuzz_common.h: what the capture targets share: the input bytes as a file (ikescope reads
 * captures by path), handed to a run function in text or JSON form by the input's parity. */
#ifndef IKESCOPE_FUZZ_COMMON_H
#define IKESCOPE_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "analyze/report.h"

typedef void (*fuzz_run_fn)(const char *path, enum an_format fmt);

/* Writes the input to an anonymous file and runs `run` on its /proc path. */
static inline void fuzz_run_as_file(const uint8_t *data, size_t size, fuzz_run_fn run)
{
    int fd = memfd_create("capture", 0);
    if (fd < 0)
        return;
    if (write(fd, data, size) == (ssize_t)size) {
        char path[64];
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
        run(path, size % 2 ? AN_FORMAT_JSON : AN_FORMAT_TEXT);
    }
    close(fd);
}

#endif
