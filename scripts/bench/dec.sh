#!/usr/bin/env bash
# Runs the autoencoder, DEC and IDEC evaluation on MNIST with RUNS seeds
# (1 to RUNS) and prints the Markdown table of mean ± sd scores, the wall
# time and the peak resident memory (GNU time -v). scikit-learn's KMeans
# runs on the same pixels in the same command.
#
# Usage: scripts/bench/dec.sh [LIMIT]   (default 10000 training digits;
# 0 uses all 60000). RUNS defaults to 3. Needs go, GNU time
# (/usr/bin/time) and Debian's /usr/bin/python3 with python3-sklearn.
# One seed on 10000 digits took 36 minutes on 2 shared cores under a load
# average of 9 to 22 (BENCHMARKS.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
limit=${1:-10000}
runs=${RUNS:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

CGO_ENABLED=0 go build -o "$work/edgecluster" ./cmd/edgecluster
GOMAXPROCS=2 /usr/bin/time -v -o "$work/time.txt" "$work/edgecluster" eval \
  --datasets mnist --mnist-limit "$limit" --runs "$runs" \
  --methods ae,dec,idec,tsne,tsne-dec,tsne-idec --log-level warn
grep -E 'Elapsed|Maximum resident' "$work/time.txt"
