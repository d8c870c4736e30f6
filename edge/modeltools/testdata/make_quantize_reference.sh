#!/usr/bin/env bash
# Checks that a real TFLite runtime loads and runs the bundled int8
# backbone, models/ssd_mobilenetv2_oidv4_backbone_int8.tflite, which
# models/make_int8.sh makes with `edgecluster models quantize`, and records
# the result in quantize_reference.json: make_quantize_reference.js runs the
# four photos of edge/tflite/testdata/reference in @tensorflow/tfjs-tflite
# (WASM, one thread) and stores each output's sha256 and pooled embedding,
# and the sha256 of the INT8 tensor before the final DEQUANTIZE, read from
# the model cut there by `edgecluster models cut`.
# The Go tests check that the bundled file has the recorded sha256 and
# compare their own outputs with the recorded ones.
#
# Needs: go, node + npm. Set NODE_MODULES_DIR to reuse a node_modules folder
# that has @tensorflow/tfjs-tflite@0.0.1-alpha.10 and pngjs@7.0.0.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
refdir="$repo/edge/tflite/testdata/reference"

model="$repo/models/ssd_mobilenetv2_oidv4_backbone_int8.tflite"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# Tensor 168 is the INT8 [1,10,10,1280] map that the final DEQUANTIZE reads.
( cd "$repo" && go run ./cmd/edgecluster models cut "$model" --output 168 -o "$tmp/int8.tflite" )

if [ -n "${NODE_MODULES_DIR:-}" ]; then
  nm="$NODE_MODULES_DIR"
else
  ( cd "$tmp" && echo '{"name":"quantize-reference","private":true}' > package.json \
    && npm install --silent --no-audit --no-fund --no-save \
         @tensorflow/tfjs-tflite@0.0.1-alpha.10 @tensorflow/tfjs-core@4.9.0 pngjs@7.0.0 )
  nm="$tmp/node_modules"
fi

NODE_MODULES="$nm" node "$here/make_quantize_reference.js" "$model" "$tmp/int8.tflite" "$refdir" \
  "$here/quantize_reference.json" coffee chelsea rocket dune
