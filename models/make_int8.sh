#!/usr/bin/env bash
# Builds the bundled int8 backbone from the bundled float model:
#   1. `edgecluster models cut` cuts ssd_mobilenetv2_oidv4_fp16.tflite at
#      its backbone output, tensor 213;
#   2. ffmpeg splits demo/scenes.mjpeg into its JPEG frames (-c copy, so the
#      bytes are the clip's), and the frames of the even-numbered segments in
#      demo/scenes.manifest.csv become the calibration set;
#   3. `edgecluster models quantize` calibrates on 64 of them, spread evenly,
#      and writes ssd_mobilenetv2_oidv4_backbone_int8.tflite here.
# With --evaluate it then prints the embedding cosine between the cut float
# model and the int8 model on the frames of the odd-numbered segments, which
# calibration never saw, and on the photos in edge/tflite/testdata/reference.
#
# The result is deterministic: rerunning it gives the bytes in SHA256SUMS.
# Needs: go, ffmpeg.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
out="$here/ssd_mobilenetv2_oidv4_backbone_int8.tflite"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$repo"
go build -o "$tmp/edgecluster" ./cmd/edgecluster
ec="$tmp/edgecluster"

"$ec" models cut models/ssd_mobilenetv2_oidv4_fp16.tflite --output 213 -o "$tmp/cut.tflite"

mkdir -p "$tmp/all" "$tmp/calibrate" "$tmp/heldout"
ffmpeg -loglevel error -i demo/scenes.mjpeg -c copy "$tmp/all/f%04d.jpg"
# Manifest rows are frame,scene,segment,source; ffmpeg numbers frames from 1.
awk -F, 'NR > 1 { printf "%04d %s\n", $1 + 1, ($3 % 2 == 0) ? "calibrate" : "heldout" }' \
  demo/scenes.manifest.csv | while read -r n dir; do
  cp "$tmp/all/f$n.jpg" "$tmp/$dir/"
done

"$ec" models quantize "$tmp/cut.tflite" --calibrate "$tmp/calibrate" --max-frames 64 -o "$out"
sha256sum "$out"

if [ "${1:-}" = "--evaluate" ]; then
  "$ec" models compare "$tmp/cut.tflite" "$out" "$tmp/heldout" | tail -n 1
  "$ec" models compare "$tmp/cut.tflite" "$out" edge/tflite/testdata/reference
fi
