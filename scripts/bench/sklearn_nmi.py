"""Cluster the demo clip's embeddings with scikit-learn and score them.

Usage: python3 sklearn_nmi.py MANIFEST.csv ASSIGNMENTS.csv EMBED.jsonl [EMBED.jsonl...]

EMBED.jsonl files contain the output of `edgecluster embed` on the clip's
frames written as f0001.jpg, f0002.jpg, ... in clip order, so frame index =
image number - 1. ASSIGNMENTS.csv is the `frame,cluster,distance` file of an
`edgecluster run`. Prints one JSON object with the NMI (arithmetic mean
normalisation, the default of normalized_mutual_info_score) and fit seconds
of KMeans and MiniBatchKMeans, and the NMI of the run's assignments.
"""

import csv
import json
import re
import sys
import time

import numpy as np
import sklearn
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.metrics import normalized_mutual_info_score

K = 8
SEED = 0
FRAME_FILE = re.compile(r"f(\d+)\.jpg$")


def read_manifest(path):
    with open(path, newline="") as f:
        return {int(row["frame"]): row["scene"] for row in csv.DictReader(f)}


def read_embeddings(paths):
    frames = {}
    for path in paths:
        with open(path) as f:
            for line in f:
                rec = json.loads(line)
                match = FRAME_FILE.search(rec["file"])
                if match is None:
                    raise ValueError(f"{path}: invalid file name {rec['file']!r}, expected fNNNN.jpg")
                if len(rec["embedding"]) != rec["dims"]:
                    raise ValueError(f"{rec['file']}: embedding has {len(rec['embedding'])} values, "
                                 f"but dims is {rec['dims']}")
                frames[int(match.group(1)) - 1] = rec["embedding"]
    return frames


def read_assignments(path):
    with open(path, newline="") as f:
        return {int(row[0]): int(row[1]) for row in csv.reader(f)}


def fit_seconds(model, x):
    start = time.perf_counter()
    labels = model.fit_predict(x)
    return labels, time.perf_counter() - start


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    scenes = read_manifest(sys.argv[1])
    assigned = read_assignments(sys.argv[2])
    embeddings = read_embeddings(sys.argv[3:])
    if sorted(embeddings) != sorted(scenes):
        sys.exit(f"embedded frames ({len(embeddings)}) do not match the manifest's frames ({len(scenes)})")

    frames = sorted(scenes)
    truth = [scenes[i] for i in frames]
    x = np.asarray([embeddings[i] for i in frames], dtype=np.float32)

    kmeans, kmeans_s = fit_seconds(KMeans(n_clusters=K, n_init=10, random_state=SEED), x)
    minibatch, minibatch_s = fit_seconds(
        MiniBatchKMeans(n_clusters=K, n_init=3, random_state=SEED), x)

    run_frames = [i for i in frames if i in assigned]
    print(json.dumps({
        "sklearn": sklearn.__version__,
        "frames": len(frames),
        "dims": int(x.shape[1]),
        "kmeans": {"nmi": normalized_mutual_info_score(truth, kmeans), "seconds": kmeans_s,
                   "clusters": len(set(kmeans)),
                   "params": f"n_clusters={K}, n_init=10, random_state={SEED}"},
        "minibatch": {"nmi": normalized_mutual_info_score(truth, minibatch), "seconds": minibatch_s,
                      "clusters": len(set(minibatch)),
                      "params": f"n_clusters={K}, n_init=3, random_state={SEED}"},
        "run": {"frames": len(run_frames),
                "clusters": len({assigned[i] for i in run_frames}),
                "nmi": normalized_mutual_info_score([scenes[i] for i in run_frames],
                                                    [assigned[i] for i in run_frames])},
    }))


if __name__ == "__main__":
    main()
