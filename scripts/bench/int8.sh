#!/usr/bin/env bash
# Times the bundled int8 backbone, models/ssd_mobilenetv2_oidv4_backbone_int8.tflite
# (300x300 input), in edgecluster's interpreter and in the TFLite WASM runtime
# (@tensorflow/tfjs-tflite, SIMD build, XNNPACK, one thread) one after the
# other, and prints both with their ratio and the load average before each.
#
# Needs: go, node. NODE_MODULES_DIR names a node_modules folder with
# @tensorflow/tfjs-tflite@0.0.1-alpha.10 (default
# ~/.cache/edgecluster-bench/node_modules, which scripts/bench.sh fills).
# BENCH_RUNS sets the timed runs on each side (default 20).
set -euo pipefail
cd "$(dirname "$0")/../.."

runs=${BENCH_RUNS:-20}
node_modules=${NODE_MODULES_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/edgecluster-bench/node_modules}
model=models/ssd_mobilenetv2_oidv4_backbone_int8.tflite
load() { cut -d' ' -f1 /proc/loadavg; }

go_load=$(load)
go_ms=$(go test -run '^$' -bench '^BenchmarkInvokeInt8$' -cpu 1 -benchtime "${runs}x" \
  ./edge/tflite | awk '/BenchmarkInvokeInt8/ { print $3 / 1e6 }')

node_load=$(load)
node_json=$(KEEP_OUTPUTS=1 NODE_MODULES="$node_modules" \
  node scripts/bench/tflite_timing.js "$model" "$runs" 3)
node_ms=$(echo "$node_json" | sed 's/.*"mean_ms":\([0-9.]*\).*/\1/')
node_median=$(echo "$node_json" | sed 's/.*"median_ms":\([0-9.]*\).*/\1/')

echo "| int8 backbone, 300x300, one core | mean ms/frame | load before |"
echo "|---|---:|---:|"
printf '| edgecluster (Go, %s) | %.1f | %s |\n' "$(go env GOARCH)" "$go_ms" "$go_load"
printf '| TFLite WASM SIMD, XNNPACK, 1 thread | %.1f (median %.1f) | %s |\n' \
  "$node_ms" "$node_median" "$node_load"
awk -v g="$go_ms" -v n="$node_ms" 'BEGIN { printf "\nedgecluster / TFLite time ratio: %.2f\n", g / n }'
