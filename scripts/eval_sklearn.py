#!/usr/bin/python3
"""Cluster one data set with scikit-learn for `edgecluster eval`.

Usage: eval_sklearn.py --points FILE --dims D --k K --seed S --n-init N

FILE contains little-endian float32 rows of D values. The script fits
MiniBatchKMeans (scikit-learn's defaults: batch_size=1024 and n_init=3 in
1.2) and KMeans (n_init=N, Lloyd) with random_state=S, times each fit with
time.perf_counter, and prints one JSON object with the scikit-learn
version and each method's labels and seconds. The caller computes every
score, so all methods are scored by the same code.
"""

import argparse
import json
import time

import numpy as np
import sklearn
from sklearn.cluster import KMeans, MiniBatchKMeans


def fit(name, model, points):
    start = time.perf_counter()
    model.fit(points)
    seconds = time.perf_counter() - start
    return {"name": name, "labels": model.labels_.tolist(), "seconds": seconds}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--points", required=True)
    parser.add_argument("--dims", type=int, required=True)
    parser.add_argument("--k", type=int, required=True)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--n-init", type=int, required=True)
    args = parser.parse_args()

    points = np.fromfile(args.points, dtype="<f4").reshape(-1, args.dims)
    methods = [
        fit("sklearn MiniBatchKMeans",
            MiniBatchKMeans(n_clusters=args.k, n_init=3, random_state=args.seed), points),
        fit("sklearn KMeans",
            KMeans(n_clusters=args.k, n_init=args.n_init, random_state=args.seed), points),
    ]
    print(json.dumps({"sklearn_version": sklearn.__version__, "methods": methods}))


if __name__ == "__main__":
    main()
