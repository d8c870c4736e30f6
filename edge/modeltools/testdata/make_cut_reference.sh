#!/usr/bin/env bash
# Checks that a real TFLite runtime loads and runs the bundled model cut at
# its backbone output, and records the result in cut_reference.json:
#   1. `edgecluster models cut` cuts models/ssd_mobilenetv2_oidv4_fp16.tflite
#      at tensor 213 into a temporary file;
#   2. make_cut_reference.js loads it in @tensorflow/tfjs-tflite (WASM,
#      one thread), runs the four photos of edge/tflite/testdata/reference
#      and compares each output with the full model's stored output there.
# The Go tests cut the model again, check that its sha256 equals the one
# recorded here, and so know that the runtime accepted those exact bytes.
#
# Needs: go, node + npm. Set NODE_MODULES_DIR to reuse a node_modules folder
# that has @tensorflow/tfjs-tflite@0.0.1-alpha.10 and pngjs@7.0.0.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
refdir="$repo/edge/tflite/testdata/reference"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
( cd "$repo" && go run ./cmd/edgecluster models cut models/ssd_mobilenetv2_oidv4_fp16.tflite \
    --output 213 -o "$tmp/backbone.tflite" )

if [ -n "${NODE_MODULES_DIR:-}" ]; then
  nm="$NODE_MODULES_DIR"
else
  ( cd "$tmp" && echo '{"name":"cut-reference","private":true}' > package.json \
    && npm install --silent --no-audit --no-fund --no-save \
         @tensorflow/tfjs-tflite@0.0.1-alpha.10 @tensorflow/tfjs-core@4.9.0 pngjs@7.0.0 )
  nm="$tmp/node_modules"
fi

NODE_MODULES="$nm" node "$here/make_cut_reference.js" "$tmp/backbone.tflite" "$refdir" \
  "$here/cut_reference.json" coffee chelsea rocket dune
