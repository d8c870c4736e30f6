#!/usr/bin/python3
"""Reduce one data set with scikit-learn as the peer of edge/reduce.

Usage: reduce_sklearn.py --points FILE --dims D --method pca|tsne
       [--out-dims 2] [--perplexity 30] [--theta 0.5] [--seed S]
       [--iterations 1000]

FILE contains little-endian float64 rows of D values. The script fits
sklearn.decomposition.PCA (svd_solver="full") or sklearn.manifold.TSNE (method='barnes_hut',
init='random', learning_rate='auto', early exaggeration 12) with
random_state=S, times the fit with time.perf_counter, and prints one JSON
object with the scikit-learn version, the seconds, the embedding and, for
PCA, the explained variance, for t-SNE its own KL divergence.
"""

import argparse
import json
import time

import numpy as np
import sklearn
from sklearn.decomposition import PCA
from sklearn.manifold import TSNE


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--points", required=True)
    parser.add_argument("--dims", type=int, required=True)
    parser.add_argument("--method", choices=["pca", "tsne"], required=True)
    parser.add_argument("--out-dims", type=int, default=2)
    parser.add_argument("--perplexity", type=float, default=30)
    parser.add_argument("--theta", type=float, default=0.5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--iterations", type=int, default=1000)
    args = parser.parse_args()

    points = np.fromfile(args.points, dtype="<f8").reshape(-1, args.dims)
    out = {"sklearn_version": sklearn.__version__}
    if args.method == "pca":
        model = PCA(n_components=args.out_dims, svd_solver="full")
    else:
        model = TSNE(n_components=args.out_dims, perplexity=args.perplexity,
                     early_exaggeration=12.0, learning_rate="auto", n_iter=args.iterations,
                     init="random", method="barnes_hut", angle=args.theta,
                     random_state=args.seed)
    start = time.perf_counter()
    embedding = model.fit_transform(points)
    out["seconds"] = time.perf_counter() - start
    out["embedding"] = embedding.tolist()
    if args.method == "pca":
        out["explained_variance"] = model.explained_variance_.tolist()
    else:
        out["kl_divergence"] = float(model.kl_divergence_)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
