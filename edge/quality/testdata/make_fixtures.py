#!/usr/bin/python3
"""Generate scikit-learn reference scores for the quality package tests.

Run from this directory with Debian's python3 and python3-sklearn:

    /usr/bin/python3 make_fixtures.py

Each fixture is written to fixtures.json. Points are generated as float32 and
cast to float64 before scoring, so the Go tests, which read float32 points and
compute in float64, see exactly the values scikit-learn scored.
"""

import json

import numpy as np
import sklearn
from scipy.optimize import linear_sum_assignment
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs
from sklearn.metrics.cluster import contingency_matrix
from sklearn.metrics import (
    adjusted_rand_score,
    calinski_harabasz_score,
    davies_bouldin_score,
    normalized_mutual_info_score,
    silhouette_samples,
    silhouette_score,
)


def blobs(seed, sizes, dims, spread):
    """Return float32-representable float64 points and their true labels."""
    points, truth = make_blobs(
        n_samples=sizes, n_features=dims, cluster_std=spread, random_state=seed
    )
    return points.astype(np.float32).astype(np.float64), truth


def noisy_labels(rng, truth, fraction):
    """Return truth with a fraction of labels replaced at random."""
    pred = truth.copy()
    flip = rng.random(len(pred)) < fraction
    pred[flip] = rng.integers(0, truth.max() + 1, flip.sum())
    return pred


def davies_bouldin_per_cluster(points, labels):
    """Return max_j R_ij for each label, with numpy in float64."""
    uniq = np.unique(labels)
    centroids = np.array([points[labels == k].mean(axis=0) for k in uniq])
    scatter = np.array(
        [
            np.linalg.norm(points[labels == k] - centroids[i], axis=1).mean()
            for i, k in enumerate(uniq)
        ]
    )
    diff = centroids[:, None, :] - centroids[None, :, :]
    separation = np.sqrt((diff**2).sum(axis=2))
    separation[separation == 0] = np.inf
    ratios = (scatter[:, None] + scatter[None, :]) / separation
    return {int(k): float(ratios[i].max()) for i, k in enumerate(uniq)}


def accuracy(truth, labels):
    """Return ACC: the best one-to-one cluster-to-class matching's hit rate."""
    table = contingency_matrix(truth, labels)
    rows, cols = linear_sum_assignment(table, maximize=True)
    return float(table[rows, cols].sum() / len(truth))


def inertia(points, labels):
    """Return the sum of squared distances to each label's mean."""
    total = 0.0
    for k in np.unique(labels):
        members = points[labels == k]
        total += float(((members - members.mean(axis=0)) ** 2).sum())
    return total


def fixture(name, points, truth, labels):
    """Score one labelled point set with scikit-learn."""
    samples = silhouette_samples(points, labels)
    per_cluster = {
        str(int(k)): float(samples[labels == k].mean()) for k in np.unique(labels)
    }
    db_per_cluster = davies_bouldin_per_cluster(points, labels)
    return {
        "name": name,
        "points": points.tolist(),
        "truth": truth.tolist(),
        "labels": labels.tolist(),
        "silhouette": float(silhouette_score(points, labels)),
        "silhouette_per_cluster": per_cluster,
        "davies_bouldin": float(davies_bouldin_score(points, labels)),
        "davies_bouldin_per_cluster": {str(k): v for k, v in db_per_cluster.items()},
        "nmi": float(normalized_mutual_info_score(truth, labels)),
        "ari": float(adjusted_rand_score(truth, labels)),
        "accuracy": accuracy(truth, labels),
        "calinski_harabasz": float(calinski_harabasz_score(points, labels)),
        "inertia": inertia(points, labels),
    }


def main():
    rng = np.random.default_rng(7)
    fixtures = []

    points, truth = blobs(1, [30, 30, 30], 4, 1.0)
    fixtures.append(fixture("three even blobs", points, truth, truth))

    points, truth = blobs(2, [60, 12, 5], 8, 2.5)
    pred = noisy_labels(rng, truth, 0.2)
    fixtures.append(fixture("uneven blobs noisy labels", points, truth, pred))

    points, truth = blobs(3, [20, 15, 1], 3, 0.8)
    fixtures.append(fixture("singleton cluster", points, truth, truth))

    points, truth = blobs(4, [25, 25, 25, 25], 16, 4.0)
    pred = np.where(truth == 3, 10, truth * 2 - 1)
    fixtures.append(fixture("negative and sparse labels", points, truth, pred))

    points, truth = blobs(5, [40, 35, 30, 25, 20], 6, 3.0)
    km = KMeans(n_clusters=5, n_init=10, random_state=0).fit(points)
    entry = fixture("kmeans labels", points, truth, km.labels_)
    entry["kmeans_inertia"] = float(km.inertia_)
    fixtures.append(entry)

    points, truth = blobs(6, [30, 30, 30], 5, 2.0)
    pred = np.arange(len(truth)) % 5
    fixtures.append(fixture("more clusters than classes", points, truth, pred))

    document = {"sklearn_version": sklearn.__version__, "fixtures": fixtures}
    with open("fixtures.json", "w") as out:
        json.dump(document, out, indent=1)
        out.write("\n")


if __name__ == "__main__":
    main()
