#!/usr/bin/python3
"""Vectors and scikit-learn timings for scripts/bench/observe.sh.

    observe_sklearn.py vectors DIR   write DIR/d64.f32, d128.f32, d1280.f32
    observe_sklearn.py observe DIR   time MiniBatchKMeans.partial_fit on them
    observe_sklearn.py silhouette    time silhouette_score, n=10000, d=128

The vectors are 8192 standard normal rows per size, scaled to unit length
like the embedder's output, as little-endian float32 (seed 0). partial_fit
is started on the first 1024 rows, because its first call needs at least
n_clusters rows, then timed one row per call and 1024 rows per call. Each
timing is the best of 3 repeats with time.perf_counter. Prints Markdown
table rows.
"""

import sys
import time

import numpy as np
import sklearn
from sklearn.cluster import MiniBatchKMeans
from sklearn.metrics import silhouette_score

SIZES = (64, 128, 1280)
ROWS = 8192
SINGLE_CALLS = 2000
REPEATS = 3


def write_vectors(folder):
    rng = np.random.default_rng(0)
    for dims in SIZES:
        x = rng.standard_normal((ROWS, dims)).astype(np.float32)
        x /= np.linalg.norm(x, axis=1, keepdims=True)
        x.astype("<f4").tofile(f"{folder}/d{dims}.f32")


def best_rate(fit, count):
    best = min(timed(fit) for _ in range(REPEATS))
    return count / best


def timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def observe(folder):
    for dims in SIZES:
        x = np.fromfile(f"{folder}/d{dims}.f32", dtype="<f4").reshape(-1, dims)
        for k in (16, 64):
            model = MiniBatchKMeans(n_clusters=k, n_init=1, random_state=0)
            model.partial_fit(x[:1024])

            def single():
                for i in range(SINGLE_CALLS):
                    model.partial_fit(x[1024 + i : 1025 + i])

            def batched():
                for start in range(1024, ROWS, 1024):
                    model.partial_fit(x[start : start + 1024])

            one = best_rate(single, SINGLE_CALLS)
            many = best_rate(batched, ROWS - 1024)
            print(f"| sklearn {sklearn.__version__} partial_fit | {dims} | {k} "
                  f"| {one:,.0f} | {many:,.0f} |")


def silhouette():
    rng = np.random.default_rng(1)
    labels = np.arange(10000) % 16
    x = rng.standard_normal((10000, 128)).astype(np.float32) + labels[:, None]
    seconds = min(timed(lambda: silhouette_score(x, labels)) for _ in range(REPEATS))
    print(f"| sklearn {sklearn.__version__} silhouette_score | 10000 | 128 | {seconds:.3f} |")


def main():
    command = sys.argv[1]
    if command == "vectors":
        write_vectors(sys.argv[2])
    elif command == "observe":
        observe(sys.argv[2])
    elif command == "silhouette":
        silhouette()
    else:
        sys.exit(f"unknown command {command!r}: use vectors, observe or silhouette")


if __name__ == "__main__":
    main()
