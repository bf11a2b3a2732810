/* A guest whose init fails: no sandbox can be made of it. */
#include <microscope.h>

void microscope_init(void) { ms_abort(3, "init refuses to start"); }

MICROSCOPE_FN(i32, never_called) { return 1; }
