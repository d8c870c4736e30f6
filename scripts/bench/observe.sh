#!/usr/bin/env bash
# Measures online k-means updates per second next to scikit-learn's
# MiniBatchKMeans.partial_fit on the same vectors in the same run, and the
# exact silhouette on n=10000, d=128 next to silhouette_score. Prints
# Markdown tables in the format of BENCHMARKS.md.
#
# One vector at a time runs on one thread (GOMAXPROCS=1, OMP_NUM_THREADS=1);
# batches of 1024 run on two (GOMAXPROCS=2, OMP_NUM_THREADS=2). Every number
# is the best of 3 runs, which damps the effect of other jobs on a shared
# machine; the load average is printed before and after.
#
# Needs go and Debian's /usr/bin/python3 with python3-sklearn. Takes about
# 3 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/../.."
python=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
$python scripts/bench/observe_sklearn.py vectors "$work"

# best_rate FILTER SCALE: best updates/s over the -count runs of the
# benchmarks whose names match FILTER, SCALE vectors per op.
best_rate() {
  awk -v filter="$1" -v scale="$2" '
    $1 ~ filter { ns = $3; if (!($1 in best) || ns < best[$1]) best[$1] = ns }
    END { for (n in best) printf "%s %.0f\n", n, scale * 1e9 / best[n] }' | sort
}

export EDGECLUSTER_BENCH_VECTORS=$work
GOMAXPROCS=1 go test -run '^$' -bench '^BenchmarkObserve$/euclidean' -count 3 \
  -benchtime 200000x ./edge/cluster > "$work/single.txt"
GOMAXPROCS=2 go test -run '^$' -bench '^BenchmarkObserveBatch$' -count 3 \
  -benchtime 200x ./edge/cluster > "$work/batch.txt"

echo
echo "| implementation | d | k | one at a time (1 thread), updates/s | batches of 1024 (2 threads), updates/s |"
echo "|---|---:|---:|---:|---:|"
best_rate Observe/ 1 < "$work/single.txt" > "$work/single.rates"
best_rate ObserveBatch/ 1024 < "$work/batch.txt" > "$work/batch.rates"
while read -r name one; do
  dims=$(sed -E 's/.*dims=([0-9]+).*/\1/' <<<"$name")
  k=$(sed -E 's/.*K=([0-9]+).*/\1/' <<<"$name")
  many=$(grep "dims=$dims/K=$k" "$work/batch.rates" | cut -d' ' -f2)
  printf '| edgecluster Observe | %s | %s | %s | %s |\n' "$dims" "$k" \
    "$(printf "%'d" "$one")" "$(printf "%'d" "$many")"
done < "$work/single.rates" | sort -t'|' -k3n -k4n
OMP_NUM_THREADS=1 $python scripts/bench/observe_sklearn.py observe "$work" > "$work/single.py"
OMP_NUM_THREADS=2 $python scripts/bench/observe_sklearn.py observe "$work" > "$work/batch.py"
paste -d'|' <(cut -d'|' -f1-5 "$work/single.py") <(cut -d'|' -f6- "$work/batch.py")

echo
echo "| implementation | n | d | seconds |"
echo "|---|---:|---:|---:|"
go test -run '^$' -bench 'SilhouetteLarge' -count 3 -benchtime 1x ./edge/quality |
  awk '/SilhouetteLarge/ { split($1, p, "/"); ns = $3
    if (!(p[2] in best) || ns < best[p[2]]) best[p[2]] = ns }
    END { for (n in best) printf "| edgecluster %s | 10000 | 128 | %.3f |\n", n, best[n] / 1e9 }'
$python scripts/bench/observe_sklearn.py silhouette
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
