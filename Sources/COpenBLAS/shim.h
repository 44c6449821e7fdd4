// cblas and OpenBLAS thread controls. Debian 12 ships openblas.pc (no cblas.pc);
// its Cflags point at the openblas-pthread include folder that holds cblas.h.
#include <cblas.h>
