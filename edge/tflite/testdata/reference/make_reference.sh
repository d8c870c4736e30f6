#!/usr/bin/env bash
# Regenerates the reference outputs in this folder:
#   NAME.png      300x300 8-bit RGB test photo (centre square crop, Lanczos resize)
#   NAME.f32      tensor 213 [1,10,10,1280] as raw little-endian float32, NHWC
#   manifest.json tensor facts, runtime, per-image 1280-d embeddings
# with a real TFLite runtime (@tensorflow/tfjs-tflite's WASM TFLite, 1 thread).
#
# Needs: node + npm, /usr/bin/python3 with PIL and skimage, mate-backgrounds:
#   apt-get install -y nodejs npm python3-pil python3-skimage mate-backgrounds
# Set KEEP_PNGS=1 to reuse the committed PNGs instead of re-deriving them
# (PIL versions may resample slightly differently).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../../.." && pwd)"
model="$repo/models/ssd_mobilenetv2_oidv4_fp16.tflite"

# name -> source file (see LICENSES.md)
SKIMAGE_DATA=/usr/lib/python3/dist-packages/skimage/data
MATE_NATURE=/usr/share/backgrounds/mate/nature
NAMES=(coffee chelsea rocket dune)
declare -A SRC=(
  [coffee]="$SKIMAGE_DATA/coffee.png"
  [chelsea]="$SKIMAGE_DATA/chelsea.png"
  [rocket]="$SKIMAGE_DATA/rocket.jpg"
  [dune]="$MATE_NATURE/Dune.jpg"
)

[ -f "$model" ] || "$repo/models/extract.sh"

# 1. PNGs
if [ "${KEEP_PNGS:-0}" != 1 ]; then
  for n in "${NAMES[@]}"; do
    [ -f "${SRC[$n]}" ] || { echo "missing ${SRC[$n]} (apt-get install -y python3-skimage mate-backgrounds)" >&2; exit 1; }
  done
  args=()
  for n in "${NAMES[@]}"; do args+=("${SRC[$n]}" "$here/$n.png"); done
  /usr/bin/python3 - "${args[@]}" <<'EOF'
import sys
from PIL import Image
a = sys.argv[1:]
for src, dst in zip(a[0::2], a[1::2]):
    im = Image.open(src).convert('RGB')   # pixel values as stored; no colour management
    w, h = im.size
    s = min(w, h)
    l, t = (w - s) // 2, (h - s) // 2
    im = im.crop((l, t, l + s, t + s))
    if s != 300:
        im = im.resize((300, 300), Image.LANCZOS)
    im = Image.frombytes('RGB', im.size, im.tobytes())  # drop metadata (ICC profile etc.)
    im.save(dst, format='PNG', optimize=True)  # 8-bit RGB, no alpha, no ancillary chunks
    print(f'{dst}: from {src} ({w}x{h}, centre {s}x{s} crop -> 300x300)')
EOF
fi

# 2. runtime, in a temp dir (or $NODE_MODULES_DIR if set, reused as is)
if [ -n "${NODE_MODULES_DIR:-}" ]; then
  nm="$NODE_MODULES_DIR"
else
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  ( cd "$tmp" && echo '{"name":"tflite-reference","private":true}' > package.json \
    && npm install --silent --no-audit --no-fund --no-save \
         @tensorflow/tfjs-tflite@0.0.1-alpha.10 @tensorflow/tfjs-core@4.9.0 pngjs@7.0.0 )
  nm="$tmp/node_modules"
fi

# 3. reference outputs
NODE_MODULES="$nm" node "$here/make_reference.js" "$model" "$here" "${NAMES[@]}"
