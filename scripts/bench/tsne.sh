#!/usr/bin/env bash
# Times Barnes-Hut t-SNE in edge/reduce next to scikit-learn's
# TSNE(method='barnes_hut') on the same data in the same run: n = 1000,
# 5000 and 10000 rows of d = 50 drawn from 10 Gaussian blobs, perplexity
# 30, theta 0.5, 1000 iterations, random start, learning rate max(200,
# n/12) in bhtsne units (scikit-learn's "auto"). Both use 2 threads
# (GOMAXPROCS=2, OMP_NUM_THREADS=2). Prints a Markdown table with seconds,
# the KL divergence of both embeddings on the same P and their
# trustworthiness with 5 neighbours, and the load average before and after.
#
# Sizes can be set as arguments: scripts/bench/tsne.sh 1000 5000.
# Needs go and Debian's /usr/bin/python3 with python3-sklearn.
set -euo pipefail
cd "$(dirname "$0")/../.."

sizes=$(IFS=,; echo "${*:-1000,5000,10000}")
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
GOMAXPROCS=2 OMP_NUM_THREADS=2 EDGECLUSTER_TSNE_SIZES=$sizes \
  go test -count=1 -timeout 3h -run '^TestCompareSklearnTable$' ./edge/reduce -v |
  grep '^|'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
