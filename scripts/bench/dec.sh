#!/usr/bin/env bash
# Runs the autoencoder, DEC and IDEC evaluation on MNIST with every seed in
# SEEDS and prints each run's Markdown table, its wall time and its peak
# resident memory (GNU time -v). The first SEEDS run also fits
# scikit-learn's KMeans on the same pixels.
#
# Usage: scripts/bench/dec.sh [LIMIT]   (default 10000 training digits;
# 0 uses all 60000). SEEDS defaults to "1 2 3". Needs go, GNU time
# (/usr/bin/time) and Debian's /usr/bin/python3 with python3-sklearn.
# One seed on 10000 digits takes about 10 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/../.."
limit=${1:-10000}
seeds=${SEEDS:-1 2 3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

CGO_ENABLED=0 go build -o "$work/edgecluster" ./cmd/edgecluster
peers=scripts/eval_sklearn.py
for seed in $seeds; do
  echo "## seed $seed"
  GOMAXPROCS=2 /usr/bin/time -v -o "$work/time.txt" "$work/edgecluster" eval \
    --datasets mnist --mnist-limit "$limit" --methods ae,dec,idec,tsne,tsne-dec,tsne-idec \
    --seed "$seed" --peers "$peers" --log-level warn
  grep -E 'Elapsed|Maximum resident' "$work/time.txt"
  peers=""
done
