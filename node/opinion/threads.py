"""How the opinion map's child process runs numpy (no numpy imported here: the worker reads it).

BLAS on one thread: the map is no hurry, and the node serving pages keeps the other cores (on
a busy two-core machine one thread was also several times faster than threads contending)."""

ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
