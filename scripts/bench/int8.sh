#!/usr/bin/env bash
# Times the bundled int8 backbone, models/ssd_mobilenetv2_oidv4_backbone_int8.tflite
# (300x300 input), in edgecluster's interpreter and in the TFLite WASM runtime
# (@tensorflow/tfjs-tflite, SIMD build, XNNPACK, one thread), alternating
# between the two for several rounds so that both see the same machine load.
# Prints every round with the 1-minute load average before it, then the
# median of the per-round means of each side and their ratio.
#
# Needs: go, node. NODE_MODULES_DIR names a node_modules folder with
# @tensorflow/tfjs-tflite@0.0.1-alpha.10 (default
# ~/.cache/edgecluster-bench/node_modules, which scripts/bench.sh fills).
# BENCH_RUNS sets the timed runs per side and round (default 20), and
# BENCH_ROUNDS the rounds (default 5). BENCH_PRECISION=float times the
# float backbone instead: BenchmarkInvoke against
# models/ssd_mobilenetv2_oidv4_fp16.tflite cut at the same tensor.
# BENCH_REQUANT=tflite times the int8 model with TFLite's fixed-point
# requantization instead of the XNNPACK arithmetic the daemon uses by
# default (model.requantization).
set -euo pipefail
cd "$(dirname "$0")/../.."

runs=${BENCH_RUNS:-20}
rounds=${BENCH_ROUNDS:-5}
node_modules=${NODE_MODULES_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/edgecluster-bench/node_modules}
model=models/ssd_mobilenetv2_oidv4_backbone_int8.tflite
bench=BenchmarkInvokeInt8Float
if [ "${BENCH_REQUANT:-xnnpack}" = tflite ]; then
  bench=BenchmarkInvokeInt8
fi
keep_outputs=1
if [ "${BENCH_PRECISION:-int8}" = float ]; then
  model=models/ssd_mobilenetv2_oidv4_fp16.tflite
  bench=BenchmarkInvoke
  keep_outputs=0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
load() { cut -d' ' -f1 /proc/loadavg; }
median() { sort -g | awk '{ v[NR] = $1 } END { m = int((NR + 1) / 2);
  print (NR % 2) ? v[m] : (v[m] + v[m + 1]) / 2 }'; }

go test -c -o "$tmp/tflite.test" ./edge/tflite

# go_round prints the mean ms per frame of one benchmark run.
go_round() {
  (cd edge/tflite && "$tmp/tflite.test" -test.run '^$' -test.bench "^$bench\$" \
    -test.cpu 1 -test.benchtime "${runs}x") | awk -v b="$bench" '$1 == b { print $3 / 1e6 }'
}

# node_round prints the mean ms per frame of one TFLite WASM run.
node_round() {
  KEEP_OUTPUTS=$keep_outputs NODE_MODULES="$node_modules" \
    node scripts/bench/tflite_timing.js "$model" "$runs" 3 |
    sed 's/.*"mean_ms":\([0-9.]*\).*/\1/'
}

echo "$model, one core"
echo
echo "| round | edgecluster (Go, $(go env GOARCH)) ms/frame | load before | TFLite WASM SIMD ms/frame | load before |"
echo "|---:|---:|---:|---:|---:|"
for round in $(seq "$rounds"); do
  go_load=$(load)
  go_ms=$(go_round)
  node_load=$(load)
  node_ms=$(node_round)
  echo "$go_ms" >>"$tmp/go"
  echo "$node_ms" >>"$tmp/node"
  printf '| %d | %.1f | %s | %.1f | %s |\n' "$round" "$go_ms" "$go_load" "$node_ms" "$node_load"
done

go_median=$(median <"$tmp/go")
node_median=$(median <"$tmp/node")
printf '\nmedian of %d rounds: edgecluster %.1f ms, TFLite WASM %.1f ms\n' \
  "$rounds" "$go_median" "$node_median"
awk -v g="$go_median" -v n="$node_median" \
  'BEGIN { printf "edgecluster / TFLite time ratio: %.2f\n", g / n }'
