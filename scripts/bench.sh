#!/usr/bin/env bash
# Measures edgecluster next to reference implementations on this machine and
# prints the results as Markdown tables (the format of BENCHMARKS.md):
#   1. backbone and embedding time per frame on one core, next to the TFLite
#      WASM runtime (XNNPACK, one thread) under node on the same model cut;
#   2. end-to-end frames/s and peak RSS of `edgecluster run --once` on the
#      demo clip with 1 and 2 workers;
#   3. scene NMI of those runs, next to scikit-learn KMeans and
#      MiniBatchKMeans on the same frames' embeddings.
# The steps run one after another, so no two measurements share the CPU.
# Took about 9 minutes on a 2-core x86-64 VM shared with other jobs.
#
# Needs go, node + npm, ffmpeg, GNU time (/usr/bin/time) and Debian's
# /usr/bin/python3 with scikit-learn. As root it installs missing Debian
# packages with apt-get. npm packages are installed once into
# $NODE_MODULES_DIR (default ~/.cache/edgecluster-bench/node_modules).
#
# Environment:
#   BENCH_RUNS        timed inferences per backbone measurement (default 20)
#   NODE_MODULES_DIR  node_modules folder with @tensorflow/tfjs-tflite
#   BENCH_KEEP=1      keep the work folder with the raw logs
set -euo pipefail

cd "$(dirname "$0")/.."
repo=$(pwd)
runs=${BENCH_RUNS:-20}
model=models/ssd_mobilenetv2_oidv4_fp16.tflite
clip=demo/scenes.mjpeg
manifest=demo/scenes.manifest.csv
python=/usr/bin/python3
# Same pinned versions as edge/tflite/testdata/reference/make_reference.sh.
tfjs_packages=(@tensorflow/tfjs-tflite@0.0.1-alpha.10 @tensorflow/tfjs-core@4.9.0)

work=$(mktemp -d)
cleanup() {
  if [ "${BENCH_KEEP:-0}" = 1 ]; then
    echo "bench: raw logs kept in $work" >&2
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT

log() { echo "bench: $*" >&2; }
fail() {
  echo "bench: $*" >&2
  exit 1
}
load1() { cut -d' ' -f1 /proc/loadavg; }

# ---- tools ------------------------------------------------------------------
apt_install() {
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    fail "missing $*; install it with: sudo apt-get install -y $*"
  fi
  log "installing $* with apt-get"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

[ -x /usr/bin/time ] || apt_install time
command -v ffmpeg >/dev/null || apt_install ffmpeg
command -v node >/dev/null && command -v npm >/dev/null || apt_install nodejs npm
"$python" -c 'import sklearn' 2>/dev/null || apt_install python3-sklearn
command -v go >/dev/null || fail "go is missing; install Go $(sed -n 's/^go //p' go.mod) or newer"

node_modules=${NODE_MODULES_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/edgecluster-bench/node_modules}
if [ ! -f "$node_modules/@tensorflow/tfjs-tflite/package.json" ]; then
  prefix=$(dirname "$node_modules")
  log "installing ${tfjs_packages[*]} into $prefix"
  mkdir -p "$prefix"
  [ -f "$prefix/package.json" ] || echo '{"name":"edgecluster-bench","private":true}' >"$prefix/package.json"
  (cd "$prefix" && npm install --silent --no-audit --no-fund --no-save "${tfjs_packages[@]}")
fi

# ---- machine ----------------------------------------------------------------
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
cores=$(nproc)
# The CPU's SIMD extensions, because the WASM runtime's speed depends on them.
cpu_flags=$(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -xE 'sse4_2|avx|avx2|fma|avx512f' | tr '\n' ' ')
go_version=$(go env GOVERSION)
node_version=$(node --version)
sklearn_version=$("$python" -c 'import sklearn; print(sklearn.__version__)')
commit=$(git describe --always --dirty 2>/dev/null || echo unknown)
date=$(date -u +%Y-%m-%d)

# ---- 1. backbone and embedding time on one core -----------------------------
log "1/3 Go benchmarks (load $(load1))"
go_load=$(load1)
CGO_ENABLED=0 go test -run '^$' -bench 'BenchmarkEmbed|BenchmarkInvoke' -cpu 1 \
  -benchtime "${runs}x" ./edge/embed ./edge/tflite | tee "$work/go-bench.txt" >&2

# Prints the ms per op of one benchmark line. With -cpu 1, names have no -N suffix.
go_ms() {
  awk -v name="$1" '$1 == name { for (i = 2; i < NF; i++) if ($(i + 1) == "ns/op") printf "%.1f", $i / 1e6 }' \
    "$work/go-bench.txt"
}
invoke_ms=$(go_ms BenchmarkInvoke)
embed300_ms=$(go_ms BenchmarkEmbed/300x300)
embed640_ms=$(go_ms BenchmarkEmbed/640x480)
embed1280_ms=$(go_ms BenchmarkEmbed/1280x720)
[ -n "$invoke_ms" ] && [ -n "$embed640_ms" ] || fail "Go benchmark output lacks BenchmarkInvoke or BenchmarkEmbed; see above"

log "1/3 TFLite WASM under node (load $(load1))"
node_load=$(load1)
NODE_MODULES="$node_modules" node scripts/bench/tflite_timing.js "$model" "$runs" 3 \
  tflite_web_api_cc_simd tflite_web_api_cc >"$work/node.jsonl" 2>"$work/node.err" ||
  { cat "$work/node.err" >&2; fail "node timing failed"; }
cat "$work/node.jsonl" >&2
node_field() { # build, field
  node -e 'const [file, build, field] = process.argv.slice(1);
    for (const l of require("fs").readFileSync(file, "utf8").trim().split("\n")) {
      const r = JSON.parse(l);
      if (r.build === build) console.log(typeof r[field] === "number" ? r[field].toFixed(1) : r[field]);
    }' "$work/node.jsonl" "$1" "$2"
}
simd_mean=$(node_field tflite_web_api_cc_simd mean_ms)
simd_median=$(node_field tflite_web_api_cc_simd median_ms)
plain_mean=$(node_field tflite_web_api_cc mean_ms)
plain_median=$(node_field tflite_web_api_cc median_ms)
tfjs_package=$(node_field tflite_web_api_cc_simd package)

# ---- 2. end-to-end runs -----------------------------------------------------
log "2/3 make build"
make build >&2

wall_seconds() { # the "Elapsed (wall clock)" value of a time -v log, h:mm:ss or m:ss
  sed -n 's/.*Elapsed (wall clock).*: //p' "$1" |
    awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.2f", s }'
}

report_nmi() { sed -n 's/.*scene NMI \([0-9.]*\).*/\1/p' "$1"; }
report_clusters() { sed -n 's/.*frames, \([0-9]*\) clusters.*/\1/p' "$1"; }

declare -A fps rss_mb wall cpu_s cpu_pct nmi clusters merged_nmi merged_clusters frames run_load
for w in 1 2; do
  run_load[$w]=$(load1)
  log "2/3 edgecluster run --workers $w (load ${run_load[$w]})"
  rm -f "$work/s$w.db"
  /usr/bin/time -v -o "$work/time$w.txt" bin/edgecluster run --source "$clip" \
    --state "$work/s$w.db" --device-id bench --once --workers "$w" \
    --assignments "$work/a$w.csv" --log-level warn >"$work/run$w.txt"
  cat "$work/run$w.txt" >&2
  frames[$w]=$(sed -n 's/.*embedded \([0-9]*\),.*/\1/p' "$work/run$w.txt")
  wall[$w]=$(wall_seconds "$work/time$w.txt")
  fps[$w]=$(awk -v n="${frames[$w]}" -v s="${wall[$w]}" 'BEGIN { printf "%.2f", n / s }')
  rss_mb[$w]=$(awk '/Maximum resident set size/ { printf "%.0f", $NF / 1024 }' "$work/time$w.txt")
  cpu_pct[$w]=$(sed -n 's/.*Percent of CPU this job got: //p' "$work/time$w.txt")
  cpu_s[$w]=$(awk '/User time|System time/ { s += $NF } END { printf "%.1f", s }' "$work/time$w.txt")

  # Scene NMI of the run, part of step 3. The first report scores the
  # cluster ids as assigned while streaming. The second, with --state,
  # counts each frame under its surviving cluster after later merges.
  bin/edgecluster report --manifest "$manifest" --assignments "$work/a$w.csv" >"$work/report$w.txt"
  bin/edgecluster report --manifest "$manifest" --assignments "$work/a$w.csv" \
    --state "$work/s$w.db" >"$work/merged$w.txt"
  cat "$work/report$w.txt" "$work/merged$w.txt" >&2
  nmi[$w]=$(report_nmi "$work/report$w.txt")
  clusters[$w]=$(report_clusters "$work/report$w.txt")
  merged_nmi[$w]=$(report_nmi "$work/merged$w.txt")
  merged_clusters[$w]=$(report_clusters "$work/merged$w.txt")
done

# ---- 3. scikit-learn on the same frames and clustering time ----------------
log "3/3 embedding every frame with edgecluster embed"
mkdir "$work/frames"
ffmpeg -nostdin -loglevel error -f mjpeg -i "$clip" -c copy -f image2 "$work/frames/f%04d.jpg"
n_frames=$(find "$work/frames" -name 'f*.jpg' | wc -l)
n_manifest=$(($(wc -l <"$manifest") - 1))
[ "$n_frames" = "$n_manifest" ] || fail "ffmpeg wrote $n_frames frames, manifest has $n_manifest"
# The two halves run in parallel to save time. Their output is input data, not a measurement.
mapfile -t jpegs < <(find "$work/frames" -name 'f*.jpg' | sort)
half=$(((n_frames + 1) / 2))
bin/edgecluster embed "${jpegs[@]:0:half}" >"$work/embed1.jsonl" &
embed_pid=$!
bin/edgecluster embed "${jpegs[@]:half}" >"$work/embed2.jsonl"
wait "$embed_pid"

log "3/3 Go BenchmarkObserve, one core (load $(load1))"
observe_load=$(load1)
# The benchmark uses random unit vectors of the embedder's size, and K and metric are the daemon defaults.
observe_bench='BenchmarkObserve/euclidean/dims=1280/K=8'
if CGO_ENABLED=0 go test -run '^$' -bench "$observe_bench\$" -cpu 1 ./edge/cluster >"$work/observe.txt" 2>&1; then
  cat "$work/observe.txt" >&2
  observe_us=$(awk -v name="$observe_bench" '$1 == name { for (i = 2; i < NF; i++) if ($(i + 1) == "ns/op") printf "%.1f", $i / 1e3 }' \
    "$work/observe.txt")
fi
if [ -z "${observe_us:-}" ]; then
  cat "$work/observe.txt" >&2
  log "$observe_bench did not run; its cell reads 'not measured'"
  observe_us="not measured"
fi

log "3/3 scikit-learn KMeans and MiniBatchKMeans, one thread (load $(load1))"
sk_load=$(load1)
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 \
  "$python" scripts/bench/sklearn_nmi.py "$manifest" "$work/a1.csv" \
  "$work/embed1.jsonl" "$work/embed2.jsonl" >"$work/sklearn.json"
cat "$work/sklearn.json" >&2
sk() { # python expression over the result r
  "$python" -c 'import json, sys; r = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' \
    "$work/sklearn.json" "$1"
}
km_nmi=$(sk '"%.3f" % r["kmeans"]["nmi"]')
km_s=$(sk '"%.3f" % r["kmeans"]["seconds"]')
mb_nmi=$(sk '"%.3f" % r["minibatch"]["nmi"]')
mb_s=$(sk '"%.3f" % r["minibatch"]["seconds"]')
km_clusters=$(sk 'r["kmeans"]["clusters"]')
mb_clusters=$(sk 'r["minibatch"]["clusters"]')
run_nmi_sklearn=$(sk '"%.3f" % r["run"]["nmi"]')
km_us=$(sk '"%.1f" % (1e6 * r["kmeans"]["seconds"] / r["frames"])')
mb_us=$(sk '"%.1f" % (1e6 * r["minibatch"]["seconds"] / r["frames"])')

# ---- results ----------------------------------------------------------------
cat <<EOF

## Results

- Date (UTC): $date, commit $commit
- CPU: $cpu, $cores cores (nproc), flags: ${cpu_flags% }
- Go $go_version, node $node_version ($tfjs_package), scikit-learn $sklearn_version (Debian /usr/bin/python3)

### 1. Backbone and embedding time per frame, one core

Command: \`go test -run '^\$' -bench 'BenchmarkEmbed|BenchmarkInvoke' -cpu 1 -benchtime ${runs}x ./edge/embed ./edge/tflite\`
(load $go_load) and \`node scripts/bench/tflite_timing.js $model $runs 3\` (load $node_load).

| Work per frame | edgecluster (pure Go) | TFLite WASM, SIMD, XNNPACK, 1 thread | TFLite WASM, no SIMD, XNNPACK, 1 thread |
|---|---:|---:|---:|
| Backbone, 300x300x3 to tensor 213 | $invoke_ms ms | $simd_mean ms (median $simd_median) | $plain_mean ms (median $plain_median) |
| Embed 300x300 YCbCr frame | $embed300_ms ms | | |
| Embed 640x480 YCbCr frame | $embed640_ms ms | | |
| Embed 1280x720 YCbCr frame | $embed1280_ms ms | | |

### 2. End-to-end run on $clip

Command: \`/usr/bin/time -v bin/edgecluster run --source $clip --state \$tmp/s.db --device-id bench --once --workers W --assignments \$tmp/a.csv --log-level warn\`

| Workers | Frames | Wall s | Frames/s | CPU s (user + sys) | CPU use | Peak RSS | Load before |
|---:|---:|---:|---:|---:|---:|---:|---:|
| 1 | ${frames[1]} | ${wall[1]} | ${fps[1]} | ${cpu_s[1]} | ${cpu_pct[1]} | ${rss_mb[1]} MiB | ${run_load[1]} |
| 2 | ${frames[2]} | ${wall[2]} | ${fps[2]} | ${cpu_s[2]} | ${cpu_pct[2]} | ${rss_mb[2]} MiB | ${run_load[2]} |

### 3. Scene NMI on the same clip (k = 8)

scikit-learn clusters the embeddings that \`bin/edgecluster embed\` computes for
every frame (load $sk_load, one thread). Its seconds are fit time only, and its
time per frame is fit time divided by ${n_frames} frames. The edgecluster
seconds are the whole run, embedding included, and its time per frame is
\`$observe_bench\` with \`-cpu 1\` on random unit vectors (load $observe_load).

| Clustering | Clusters | Scene NMI | Seconds | Clustering time per frame |
|---|---:|---:|---:|---:|
| edgecluster run, 1 worker, ids as assigned | ${clusters[1]} | ${nmi[1]} | ${wall[1]} | $observe_us µs |
| edgecluster run, 1 worker, after merges (\`report --state\`) | ${merged_clusters[1]} | ${merged_nmi[1]} | | |
| edgecluster run, 2 workers, ids as assigned | ${clusters[2]} | ${nmi[2]} | ${wall[2]} | |
| edgecluster run, 2 workers, after merges (\`report --state\`) | ${merged_clusters[2]} | ${merged_nmi[2]} | | |
| scikit-learn KMeans, n_init=10 | $km_clusters | $km_nmi | $km_s | $km_us µs |
| scikit-learn MiniBatchKMeans, n_init=3 | $mb_clusters | $mb_nmi | $mb_s | $mb_us µs |

scikit-learn's normalized_mutual_info_score on the 1-worker ids as assigned: $run_nmi_sklearn.
EOF
