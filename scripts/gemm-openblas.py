#!/usr/bin/env python3
"""Times NumPy's matrix product (OpenBLAS) at the size of `bench --workload gemm`.

    OPENBLAS_NUM_THREADS=1 python3 scripts/gemm-openblas.py [n] [repeats]

The same product as the bench workload: C = A B for two n x n standard-normal float64
matrices (default n = 2048), the median of `repeats` runs (default 3) after one warm-up,
printed as seconds and GFLOP/s (2 n^3 operations). Set OPENBLAS_NUM_THREADS before Python
starts: OpenBLAS reads it once. Run it alternated with `symmetry-probe bench --workload gemm`
so the two see the same load.
"""
import os
import sys
import time

import numpy as np

n = int(sys.argv[1]) if len(sys.argv) > 1 else 2048
repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
rng = np.random.default_rng(1)
a = rng.standard_normal((n, n))
b = rng.standard_normal((n, n))
a @ b
times = []
for _ in range(repeats):
    start = time.perf_counter()
    a @ b
    times.append(time.perf_counter() - start)
seconds = sorted(times)[len(times) // 2]
threads = os.environ.get("OPENBLAS_NUM_THREADS", "default")
print(f"numpy {np.__version__} openblas threads={threads} n={n}: "
      f"{seconds:.4f} s, {2 * n**3 / seconds / 1e9:.1f} GFLOP/s")
