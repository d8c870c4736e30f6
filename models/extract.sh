#!/usr/bin/env bash
# Reproduce models/ssd_mobilenetv2_oidv4_fp16.tflite from the npm package
# @mediapipe/objectron (Apache-2.0). See models/README.md for provenance.
#
# Usage: models/extract.sh [OUTPUT_DIR]     (default: the directory of this script)
#
# Steps: `npm pack` the pinned version into a temp dir, check the tarball's
# sha256, unpack it, read the byte range of the .tflite from the loader script
# objectron_solution_packed_assets_loader.js, cut that range out of
# objectron_solution_packed_assets.data, check the result's sha256 against
# SHA256SUMS and move it into place.
set -euo pipefail

PKG='@mediapipe/objectron'
VERSION='0.4.1675468480'
TGZ="mediapipe-objectron-${VERSION}.tgz"
MODEL='ssd_mobilenetv2_oidv4_fp16.tflite'
PACKED_NAME='object_detection_ssd_mobilenetv2_oidv4_fp16.tflite'   # name inside the packed .data

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out_dir="${1:-$here}"
sums="$here/SHA256SUMS"

want_sum() { awk -v f="$1" '$2 == f { print $1 }' "$sums"; }
check_sum() { # file expected-name
  local want got
  want="$(want_sum "$2")"
  [ -n "$want" ] || { echo "extract.sh: no sha256 for $2 in $sums" >&2; return 1; }
  got="$(sha256sum "$1" | awk '{print $1}')"
  if [ "$got" != "$want" ]; then
    echo "extract.sh: sha256 mismatch for $2: got $got, want $want" >&2
    return 1
  fi
}

if [ -f "$out_dir/$MODEL" ] && check_sum "$out_dir/$MODEL" "$MODEL" 2>/dev/null; then
  echo "extract.sh: $out_dir/$MODEL already present and verified"
  exit 0
fi

command -v npm >/dev/null || { echo "extract.sh: npm is required (apt-get install -y npm)" >&2; exit 1; }
command -v node >/dev/null || { echo "extract.sh: node is required" >&2; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

( cd "$tmp" && npm pack --silent "${PKG}@${VERSION}" >/dev/null )
check_sum "$tmp/$TGZ" "$TGZ"
tar -xzf "$tmp/$TGZ" -C "$tmp" \
  package/objectron_solution_packed_assets.data \
  package/objectron_solution_packed_assets_loader.js \
  package/package.json

# The loader script calls loadPackage({"files": [{"filename": ..., "start": S, "end": E}, ...]}).
read -r start end < <(node -e '
  const src = require("fs").readFileSync(process.argv[1], "utf8");
  const m = src.match(/loadPackage\((\{"files":.*?\})\);/);
  if (!m) { console.error("loadPackage({...}) not found in loader script"); process.exit(1); }
  const f = JSON.parse(m[1]).files.filter(f => f.filename.endsWith("/" + process.argv[2]));
  if (f.length !== 1) { console.error("expected exactly one " + process.argv[2] + ", got " + f.length); process.exit(1); }
  console.log(f[0].start, f[0].end);
' "$tmp/package/objectron_solution_packed_assets_loader.js" "$PACKED_NAME")
echo "extract.sh: $PACKED_NAME is bytes [$start, $end) of objectron_solution_packed_assets.data"

# GNU dd: skip/count in bytes, read in 1 MiB blocks.
dd if="$tmp/package/objectron_solution_packed_assets.data" of="$tmp/$MODEL" \
  bs=1M iflag=skip_bytes,count_bytes skip="$start" count="$((end - start))" status=none
check_sum "$tmp/$MODEL" "$MODEL"

mkdir -p "$out_dir"
mv "$tmp/$MODEL" "$out_dir/$MODEL"
echo "extract.sh: wrote $out_dir/$MODEL ($((end - start)) bytes, sha256 verified)"
