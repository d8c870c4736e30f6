#!/usr/bin/env bash
# Times the int8 and the float MobileNetV2 backbone at 224x224 and at the
# model's native 300x300 input, in edgecluster's interpreter
# (BenchmarkBackbone in edge/modeltools, one goroutine) and in the TFLite
# WASM runtime (@tensorflow/tfjs-tflite, SIMD build, XNNPACK, one thread)
# on the same model files, one measurement after the other, and prints a
# Markdown table with the load average before each measurement.
#
# The model files: the bundled int8 backbone, the fp16 model cut at tensor
# 213 (the float backbone), and both resized with `edgecluster models
# resize --size 224`.
#
# Needs: go, node. NODE_MODULES_DIR names a node_modules folder with
# @tensorflow/tfjs-tflite@0.0.1-alpha.10 (default
# ~/.cache/edgecluster-bench/node_modules, which scripts/bench.sh fills).
# BENCH_RUNS sets the timed runs on each side (default 20).
set -euo pipefail
cd "$(dirname "$0")/../.."

runs=${BENCH_RUNS:-20}
node_modules=${NODE_MODULES_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/edgecluster-bench/node_modules}
load() { cut -d' ' -f1 /proc/loadavg; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

go build -o "$work/edgecluster" ./cmd/edgecluster
go test -c -o "$work/modeltools.test" ./edge/modeltools
cp models/ssd_mobilenetv2_oidv4_backbone_int8.tflite "$work/int8_300.tflite"
"$work/edgecluster" models cut models/ssd_mobilenetv2_oidv4_fp16.tflite --output 213 \
  -o "$work/float_300.tflite" 2>/dev/null
for precision in int8 float; do
  "$work/edgecluster" models resize --size 224 -o "$work/${precision}_224.tflite" \
    "$work/${precision}_300.tflite" 2>/dev/null
done

# go_ms PRECISION SIZE prints the mean ms/frame of one BenchmarkBackbone case.
go_ms() {
  (cd edge/modeltools && "$work/modeltools.test" -test.run '^$' \
    -test.bench "^BenchmarkBackbone/$1/$2\$" -test.cpu 1 -test.benchtime "${runs}x") |
    awk '/^BenchmarkBackbone/ { for (i = 1; i < NF; i++) if ($(i + 1) == "ms/frame") print $i }'
}

# node_ms SIZE FILE prints the mean ms/frame of the WASM runtime.
node_ms() {
  INPUT_SIZE="$1" KEEP_OUTPUTS=1 NODE_MODULES="$node_modules" \
    node scripts/bench/tflite_timing.js "$2" "$runs" 3 2>/dev/null |
    sed 's/.*"mean_ms":\([0-9.]*\).*/\1/'
}

echo "| backbone | input | edgecluster ms/frame (load) | TFLite WASM ms/frame (load) | ratio |"
echo "|---|---:|---:|---:|---:|"
for precision in int8 float; do
  for size in 224 300; do
    gl=$(load)
    g=$(go_ms "$precision" "$size")
    nl=$(load)
    n=$(node_ms "$size" "$work/${precision}_${size}.tflite")
    awk -v p="$precision" -v s="$size" -v g="$g" -v gl="$gl" -v n="$n" -v nl="$nl" \
      'BEGIN { printf "| %s | %dx%d | %.1f (%s) | %.1f (%s) | %.2f |\n", p, s, s, g, gl, n, nl, g / n }'
  done
done
