#!/usr/bin/env bash
# Regenerates the one-operator reference cases in this folder:
#   NAME.tflite, NAME.inK.bin  models and inputs written by the Go tests
#   NAME.outK.bin              outputs of a real TFLite runtime
#   cases.json, runtime.json   the case list and the runtime version
# Tensor files hold raw tensor bytes as a TFLite buffer stores them
# (little-endian FLOAT32, one byte per INT8 or UINT8 value).
#
# Cases named *_builtin feed the weights as graph inputs, so TFLite runs its
# builtin kernels instead of the XNNPACK delegate, which takes only
# operators with constant weights.
#
# Needs: go, node + npm (apt-get install -y nodejs npm).
# Set NODE_MODULES_DIR to reuse an installed node_modules folder.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
pkg="$(cd "$here/../.." && pwd)"

rm -f "$here"/*.tflite "$here"/*.bin "$here/cases.json"
( cd "$pkg" && go test -count=1 -run '^TestWriteOpCases$' -update-ops . )

if [ -n "${NODE_MODULES_DIR:-}" ]; then
  nm="$NODE_MODULES_DIR"
else
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  ( cd "$tmp" && echo '{"name":"tflite-ops","private":true}' > package.json \
    && npm install --silent --no-audit --no-fund --no-save \
         @tensorflow/tfjs-tflite@0.0.1-alpha.10 @tensorflow/tfjs-core@4.9.0 )
  nm="$tmp/node_modules"
fi

NODE_MODULES="$nm" node "$here/make_ops.js" "$here"
