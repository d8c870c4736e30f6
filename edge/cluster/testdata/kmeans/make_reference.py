#!/usr/bin/python3
"""Write reference.json: point sets with scikit-learn's KMeans inertia.

Run from this directory with Debian's python3 and python3-sklearn:

    /usr/bin/python3 make_reference.py

Points are float32 values, so the Go tests read exactly what scikit-learn
clustered. The inertia is the best of n_init=10 k-means++ runs.
"""

import json

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs


def case(name, points, k):
    points = points.astype(np.float32)
    km = KMeans(n_clusters=k, n_init=10, random_state=0).fit(points.astype(np.float64))
    return {"name": name, "k": k, "points": points.tolist(), "inertia": float(km.inertia_)}


def main():
    cases = []
    points, _ = make_blobs(n_samples=300, n_features=8, centers=5, random_state=1)
    cases.append(case("separated blobs", points, 5))

    points, _ = make_blobs(n_samples=400, n_features=2, centers=7, cluster_std=2.5,
                           random_state=2)
    cases.append(case("overlapping blobs", points, 7))

    rng = np.random.default_rng(3)
    cases.append(case("uniform cube", rng.random((250, 3)), 6))

    document = {"sklearn_version": sklearn.__version__, "cases": cases}
    with open("reference.json", "w") as out:
        json.dump(document, out)
        out.write("\n")


if __name__ == "__main__":
    main()
