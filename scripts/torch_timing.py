# What the PyTorch references of `npm run bench` share: the median of a step's time on one
# thread after a warm-up, and the BLAS library Debian's alternatives point PyTorch at.
import os, statistics, time

BLAS_LINK = "/etc/alternatives/libblas.so.3-x86_64-linux-gnu"


def blas():
    return os.path.realpath(BLAS_LINK) if os.path.exists(BLAS_LINK) else "unknown"


def median_ms(step, warmup=50, runs=300):
    for _ in range(warmup):
        step()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        step()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)
