#!/usr/bin/env bash
# Runs the MNIST clustering evaluation of BENCHMARKS.md ("Autoencoder, DEC
# and IDEC on MNIST") with RUNS seeds (1 to RUNS) and prints the Markdown
# table of mean ± sd scores, the wall time and the peak resident memory
# (GNU time -v). scikit-learn's KMeans runs on the same pixels in the same
# command.
#
# Usage: scripts/bench/dec.sh [LIMIT]   (default 10000 training digits;
# 0 uses all 60000). RUNS defaults to 3. METHODS defaults to
# pca-tsne,pca-tsne-gmm: k-means and a Gaussian mixture on a t-SNE map of
# 50 principal components, the best pipeline. The autoencoder methods are
# ae,tsne,tsne-gmm,dec,idec,tsne-dec,tsne-idec, and AE_EPOCHS sets their
# maximum pretraining epochs (default 100). Needs go, GNU time
# (/usr/bin/time) and Debian's /usr/bin/python3 with python3-sklearn.
# Three seeds of the default methods on 10000 digits took 14 min 41 s on
# 2 shared cores under a load average of about 8 (BENCHMARKS.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
limit=${1:-10000}
runs=${RUNS:-3}
methods=${METHODS:-pca-tsne,pca-tsne-gmm}
epochs=${AE_EPOCHS:-100}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

CGO_ENABLED=0 go build -o "$work/edgecluster" ./cmd/edgecluster
GOMAXPROCS=2 /usr/bin/time -v -o "$work/time.txt" "$work/edgecluster" eval \
  --datasets mnist --mnist-limit "$limit" --runs "$runs" \
  --methods "$methods" --ae-epochs "$epochs" --log-level warn
grep -E 'Elapsed|Maximum resident' "$work/time.txt"
