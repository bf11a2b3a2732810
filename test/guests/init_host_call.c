/* A guest whose init calls the host: its answer is part of the first snapshot. */
#include <microscope.h>

static uint64_t configured;

void microscope_init(void) { configured = MS_HOST_CALL("setup", ms_str("init")).as.u64; }

MICROSCOPE_FN(u64, configuration) { return configured; }
