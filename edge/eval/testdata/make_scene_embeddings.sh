#!/usr/bin/env bash
# Embed every frame of demo/scenes.mjpeg with the bundled model and write
# scenes.f32 (465 x 1280 little-endian float32, frame order) and
# scenes.json (shape and model checksum) beside this script.
#
# Run from any directory after `make build`; it takes about a minute on 2
# cores. The eval command reads these files so that it need not re-embed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Frames are concatenated baseline JPEGs without EXIF, so each starts with
# the SOI marker FF D8 FF, which entropy-coded data cannot contain.
/usr/bin/python3 - "$root/demo/scenes.mjpeg" "$work" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
starts = []
i = data.find(b"\xff\xd8\xff")
while i >= 0:
    starts.append(i)
    i = data.find(b"\xff\xd8\xff", i + 3)
starts.append(len(data))
for n in range(len(starts) - 1):
    with open(f"{sys.argv[2]}/{n:04d}.jpg", "wb") as out:
        out.write(data[starts[n]:starts[n + 1]])
PY

"$root/bin/edgecluster" embed "$work"/*.jpg > "$work/embeddings.jsonl"

model_sha=$(sha256sum "$root/models/ssd_mobilenetv2_oidv4_fp16.tflite" | cut -d' ' -f1)
/usr/bin/python3 - "$work/embeddings.jsonl" "$here" "$model_sha" <<'PY'
import json, struct, sys
rows = [json.loads(line)["embedding"] for line in open(sys.argv[1])]
dims = len(rows[0])
with open(f"{sys.argv[2]}/scenes.f32", "wb") as out:
    for row in rows:
        assert len(row) == dims
        out.write(struct.pack(f"<{dims}f", *row))
meta = {"frames": len(rows), "dims": dims,
        "model_sha256": sys.argv[3],
        "clip": "demo/scenes.mjpeg", "manifest": "demo/scenes.manifest.csv"}
with open(f"{sys.argv[2]}/scenes.json", "w") as out:
    json.dump(meta, out, indent=1)
    out.write("\n")
PY
echo "wrote $here/scenes.f32 and $here/scenes.json"
