#!/usr/bin/env bash
# Build demo/scenes.mjpeg and demo/scenes.manifest.csv from photographs
# installed by the Debian packages mate-backgrounds and python3-skimage.
#
# The clip imitates a fixed camera that returns to the same 8 scenes several
# times. Each segment is one still photo rendered with a slow pan and zoom,
# a white-balance and exposure change, and temporal sensor noise.
# All parameters come from a seeded generator, so a rebuild with the same
# ffmpeg and Python versions writes byte-identical files.
#
# Requires: ffmpeg, ffprobe, python3 (standard library only),
#   apt-get install -y ffmpeg mate-backgrounds python3-skimage
# Usage: demo/build-clip.sh   (run from anywhere; writes next to this script)
set -euo pipefail

readonly SEED=20240611
readonly WIDTH=480
readonly HEIGHT=360
# Intermediate 4:3 resolution for the pan/zoom step. zoompan rounds the crop
# window to whole pixels, so working at 1280x960 keeps that rounding below one
# output pixel.
readonly WORK_WIDTH=1280
readonly WORK_HEIGHT=960
# mjpeg quantiser scale (2 is best, 31 is worst).
readonly JPEG_QUALITY=6
readonly FPS=10

demo_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly demo_dir
readonly clip="$demo_dir/scenes.mjpeg"
readonly manifest="$demo_dir/scenes.manifest.csv"

readonly MATE=/usr/share/backgrounds/mate/nature
readonly SKIMAGE=/usr/lib/python3/dist-packages/skimage/data

# Scene table: name, source photo, horizontal and vertical anchor (0..1) of
# the 4:3 crop taken from the photo before the pan and zoom.
readonly SCENES="\
dune       $MATE/Dune.jpg           0.50 0.50
storm      $MATE/Storm.jpg          0.50 0.50
ladybird   $MATE/LadyBird.jpg       0.45 0.50
flower     $MATE/YellowFlower.jpg   1.00 0.50
cat        $SKIMAGE/chelsea.png     0.50 0.50
coffee     $SKIMAGE/coffee.png      0.40 0.50
rocket     $SKIMAGE/rocket.jpg      0.50 0.50
astronaut  $SKIMAGE/astronaut.png   0.50 0.00"

for tool in ffmpeg ffprobe python3; do
  if ! command -v "$tool" >/dev/null; then
    echo "build-clip: $tool not found; install it with: apt-get install -y ffmpeg python3" >&2
    exit 1
  fi
done
while read -r _ path _ _; do
  if [[ ! -r $path ]]; then
    echo "build-clip: source photo $path not found; install it with: apt-get install -y mate-backgrounds python3-skimage" >&2
    exit 1
  fi
done <<<"$SCENES"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Crop each photo to 4:3 around its anchor and scale it to the working size.
while read -r name path anchor_x anchor_y; do
  ffmpeg -nostdin -v error -y -i "$path" \
    -vf "crop=w='min(iw,ih*4/3)':h='min(ih,iw*3/4)':x='(iw-ow)*$anchor_x':y='(ih-oh)*$anchor_y',scale=$WORK_WIDTH:$WORK_HEIGHT:flags=lanczos,format=rgb24" \
    -frames:v 1 "$work/$name.png"
done <<<"$SCENES"

# Plan the segments and write the manifest. Each plan line lists the segment,
# scene and frame count, then the start and end values of zoom and pan. Pan
# positions are fractions of the free margin. Then follow the shake phase, the
# red, green and blue channel gains (exposure times white balance), the
# brightness, contrast and gamma settings, and the noise strength and seed.
env SEED="$SEED" SCENES="$SCENES" python3 - "$work/plan.tsv" "$manifest" <<'PYTHON'
import csv
import os
import random
import sys

plan_path, manifest_path = sys.argv[1], sys.argv[2]
rng = random.Random(int(os.environ["SEED"]))
scenes = [line.split() for line in os.environ["SCENES"].splitlines()]
names = [scene[0] for scene in scenes]
sources = {scene[0]: scene[1] for scene in scenes}

# Four scenes get three visits and the others two, giving 20 segments.
revisited = set(rng.sample(names, 4))
order = [name for name in names for _ in range(3 if name in revisited else 2)]
# Reshuffle until no scene follows itself, so every visit is a separate segment.
while True:
    rng.shuffle(order)
    if all(a != b for a, b in zip(order, order[1:])):
        break

with open(plan_path, "w") as plan, open(manifest_path, "w", newline="") as out:
    manifest = csv.writer(out, lineterminator="\n")
    manifest.writerow(["frame", "scene", "segment", "source"])
    frame = 0
    for segment, name in enumerate(order):
        frames = rng.randint(20, 26)
        zoom_start = rng.uniform(1.0, 1.5)
        zoom_end = min(1.7, max(1.0, zoom_start + rng.uniform(-0.3, 0.3)))
        pan = [rng.uniform(0.1, 0.9) for _ in range(4)]
        shake_phase = rng.uniform(0, 6.283)
        gain = rng.uniform(0.6, 1.3)
        red = rng.uniform(0.92, 1.08)
        blue = rng.uniform(0.92, 1.08)
        brightness_start = rng.uniform(-0.05, 0.05)
        brightness_end = brightness_start + rng.uniform(-0.08, 0.08)
        contrast = rng.uniform(0.9, 1.1)
        gamma_start = rng.uniform(0.9, 1.1)
        gamma_end = gamma_start + rng.uniform(-0.1, 0.1)
        # Darker exposures get stronger noise, as a camera raises its gain.
        noise = round(5 + (1.3 - gain) * 10)
        noise_seed = rng.randrange(1, 2**31)
        values = [segment, name, frames, zoom_start, zoom_end, *pan, shake_phase,
                  gain * red, gain, gain * blue, brightness_start, brightness_end, contrast,
                  gamma_start, gamma_end, noise, noise_seed]
        plan.write("\t".join(f"{v:.4f}" if isinstance(v, float) else str(v)
                             for v in values) + "\n")
        for _ in range(frames):
            manifest.writerow([frame, name, segment, sources[name]])
            frame += 1

if not 400 <= frame <= 480:
    sys.exit(f"build-clip: plan has {frame} frames, expected 400 to 480; change SEED")
PYTHON

: >"$clip.tmp"
while IFS=$'\t' read -r segment name frames zoom_start zoom_end \
  pan_x_start pan_y_start pan_x_end pan_y_end shake_phase \
  red_gain green_gain blue_gain brightness_start brightness_end contrast \
  gamma_start gamma_end noise noise_seed; do
  last=$((frames - 1))
  # Linear progress through the segment, 0 at the first frame and 1 at the last.
  progress="(on/$last)"
  # The window drifts between the two pan positions plus a small hand shake of
  # up to 4 working pixels.
  zoompan="zoompan=d=1:s=${WIDTH}x${HEIGHT}:fps=$FPS"
  zoompan+=":z='$zoom_start+($zoom_end-$zoom_start)*$progress'"
  zoompan+=":x='(iw-iw/zoom)*($pan_x_start+($pan_x_end-$pan_x_start)*$progress)+4*sin(on*0.7+$shake_phase)'"
  zoompan+=":y='(ih-ih/zoom)*($pan_y_start+($pan_y_end-$pan_y_start)*$progress)+4*cos(on*0.9+$shake_phase)'"
  exposure="colorchannelmixer=rr=$red_gain:gg=$green_gain:bb=$blue_gain"
  lighting="eq=eval=frame:contrast=$contrast"
  lighting+=":brightness='$brightness_start+($brightness_end-$brightness_start)*n/$last'"
  lighting+=":gamma='$gamma_start+($gamma_end-$gamma_start)*n/$last'"
  sensor="noise=alls=$noise:allf=t+u:all_seed=$noise_seed"
  ffmpeg -nostdin -v error -y -loop 1 -framerate "$FPS" -i "$work/$name.png" \
    -vf "$zoompan,format=rgb24,$exposure,format=yuv444p,$lighting,$sensor,format=yuvj420p" \
    -frames:v "$frames" -c:v mjpeg -q:v "$JPEG_QUALITY" \
    -fflags +bitexact -flags +bitexact -f mjpeg "$work/segment.mjpeg"
  cat "$work/segment.mjpeg" >>"$clip.tmp"
  echo "build-clip: segment $segment: $name, $frames frames" >&2
done <"$work/plan.tsv"
mv "$clip.tmp" "$clip"

# Every JPEG frame starts with an SOI marker (FF D8). JPEG byte stuffing
# (FF 00) keeps the marker out of entropy-coded data, and ffmpeg embeds no
# thumbnails, so the marker count equals the frame count.
soi_count=$(python3 -c 'import sys; print(open(sys.argv[1], "rb").read().count(b"\xff\xd8"))' "$clip")
manifest_rows=$(($(wc -l <"$manifest") - 1))
if [[ $soi_count -ne $manifest_rows ]]; then
  echo "build-clip: $clip has $soi_count JPEG frames but $manifest has $manifest_rows rows" >&2
  exit 1
fi
decoded=$(ffprobe -v error -f mjpeg -count_frames -select_streams v:0 \
  -show_entries stream=nb_read_frames -of csv=p=0 "$clip")
if [[ $decoded -ne $manifest_rows ]]; then
  echo "build-clip: ffprobe decoded $decoded frames from $clip, expected $manifest_rows" >&2
  exit 1
fi
echo "build-clip: wrote $clip ($manifest_rows frames, $(stat -c %s "$clip") bytes)" >&2
