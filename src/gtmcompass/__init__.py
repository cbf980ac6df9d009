"""gtmcompass: tells an AI startup whether To-B or To-C fits it, and why."""

import os

# Before numpy loads: one BLAS thread unless the user chose otherwise. Our matrix products are
# small ((n, 32) by (32, 4)), and OpenBLAS's thread pool made them 30x slower on a busy 2-core
# machine (a 4,096-row product: 7 ms instead of 0.2 ms; a 10,000-profile batch 3.0 s against
# 2.4 s with one thread).
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")
del _name

__version__ = "0.1.0"
