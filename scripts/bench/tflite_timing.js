#!/usr/bin/env node
// Times the MobileNetV2 backbone of the bundled SSD model (input to tensor
// 213, FeatureExtractor/MobilenetV2/Conv_1/Relu6 [1,10,10,1280]) with the
// WASM build of TFLite in @tensorflow/tfjs-tflite, XNNPACK delegate, one
// thread. This is the same cut that BenchmarkInvoke in edge/tflite runs.
//
// With INPUT_SIZE=N the model must take an NxN image, such as a backbone
// that `edgecluster models resize` made, and the backbone output is
// expected at the matching size (7x7 for 224).
//
// Usage: node tflite_timing.js MODEL.tflite [RUNS] [WARMUP] [BUILD...]
//   RUNS    timed Infer() calls per build (default 20)
//   WARMUP  untimed Infer() calls before them (default 3)
//   BUILD   tflite_web_api_cc_simd (default) and/or tflite_web_api_cc (no SIMD)
// Packages are looked up in $NODE_MODULES (default ./node_modules). With
// KEEP_OUTPUTS=1 the model runs as given, for a file that already ends at
// the backbone, such as models/ssd_mobilenetv2_oidv4_backbone_int8.tflite.
// Prints one JSON object per build on stdout.
'use strict';

const fs = require('fs');
const path = require('path');

const NODE_MODULES = process.env.NODE_MODULES || path.join(process.cwd(), 'node_modules');
const TFLITE_PKG = path.join(NODE_MODULES, '@tensorflow', 'tfjs-tflite');
const WASM_DIR = path.join(TFLITE_PKG, 'wasm');

const KEEP_OUTPUTS = process.env.KEEP_OUTPUTS === '1';
const BACKBONE_TENSOR = 213;
const INPUT_SIZE = Number(process.env.INPUT_SIZE || 300);
const INPUT_SHAPE = `1,${INPUT_SIZE},${INPUT_SIZE},3`;
// Five stride-2 layers with SAME padding, each rounding up.
const OUTPUT_SIZE = [1, 2, 3, 4, 5].reduce(s => Math.ceil(s / 2), INPUT_SIZE);
const BACKBONE_SHAPE = `1,${OUTPUT_SIZE},${OUTPUT_SIZE},1280`;

// Reads a little-endian uoffset at p and returns the position it points to.
function follow(buf, p) {
  return p + buf.readUInt32LE(p);
}

// Returns the absolute position of field `index` of the flatbuffer table at
// `table`, or 0 when the field is absent.
function fieldPosition(buf, table, index) {
  const vtable = table - buf.readInt32LE(table);
  const vtableSize = buf.readUInt16LE(vtable);
  const slot = 4 + 2 * index;
  if (slot >= vtableSize) return 0;
  const offset = buf.readUInt16LE(vtable + slot);
  return offset ? table + offset : 0;
}

// Returns {at, len} of the vector in field `index` of `table`, where `at` is
// the position of the first element.
function vectorField(buf, table, index) {
  const p = fieldPosition(buf, table, index);
  if (!p) return { at: 0, len: 0 };
  const v = follow(buf, p);
  return { at: v + 4, len: buf.readUInt32LE(v) };
}

// Returns a copy of the model whose subgraph 0 lists BACKBONE_TENSOR as
// output 0. The int32 is overwritten in place, so the file length and every
// offset stay the same. TFLite schema fields: Model.subgraphs is field 2 and
// SubGraph.outputs is field 2.
function cutAtBackbone(model) {
  if (model.toString('latin1', 4, 8) !== 'TFL3') throw new Error('not a TFLite flatbuffer (no TFL3 identifier)');
  const out = Buffer.from(model);
  const root = follow(out, 0);
  const subgraphs = vectorField(out, root, 2);
  if (subgraphs.len < 1) throw new Error('model has no subgraph');
  const subgraph = follow(out, subgraphs.at);
  const outputs = vectorField(out, subgraph, 2);
  if (outputs.len < 1) throw new Error('subgraph 0 has no outputs vector');
  out.writeInt32LE(BACKBONE_TENSOR, outputs.at);
  return out;
}

function toArray(v) {
  const out = [];
  for (let i = 0; i < v.size(); i++) out.push(v.get(i));
  v.delete();
  return out;
}

// Fills dst with uniform values in [-1, 1), the range of the Go benchmark's
// input. The generators differ, so the values differ, but float32 kernels do
// the same work for any finite input.
function fillUniform(dst, seed) {
  let s = seed >>> 0;
  for (let i = 0; i < dst.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    dst[i] = (s / 4294967296) * 2 - 1;
  }
}

async function timeBuild(build, model, runs, warmup) {
  const factory = require(path.join(WASM_DIR, build + '.js'));
  const wasmBinary = fs.readFileSync(path.join(WASM_DIR, build + '.wasm'));
  const Module = await factory({ wasmBinary, locateFile: f => path.join(WASM_DIR, f) });
  const ptr = Module._malloc(model.length);
  Module.HEAPU8.set(model, ptr);
  const created = Module.TFLiteWebModelRunner.CreateFromBufferAndOptions(ptr, model.length,
    { numThreads: 1, enableProfiling: false, maxProfilingBufferEntries: 1024 });
  if (!created.ok()) throw new Error(`${build}: CreateFromBufferAndOptions failed: ${created.errorMessage()}`);
  const runner = created.value();
  const inputs = toArray(runner.GetInputs());
  const outputs = toArray(runner.GetOutputs());
  if (inputs.length !== 1 || inputs[0].shape !== INPUT_SHAPE || inputs[0].dataType !== 'float32') {
    throw new Error(`${build}: input is ${JSON.stringify(inputs.map(t => [t.name, t.shape, t.dataType]))}, expected one float32 [${INPUT_SHAPE}]`);
  }
  const wrongId = !KEEP_OUTPUTS && outputs[0].id !== BACKBONE_TENSOR;
  if (wrongId || outputs[0].shape !== BACKBONE_SHAPE) {
    throw new Error(`${build}: output 0 is tensor ${outputs[0].id} [${outputs[0].shape}], expected ${BACKBONE_TENSOR} [${BACKBONE_SHAPE}]`);
  }
  fillUniform(inputs[0].data(), 12345);

  for (let i = 0; i < warmup; i++) {
    if (!runner.Infer()) throw new Error(`${build}: Infer failed in warm-up run ${i}`);
  }
  const ms = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const ok = runner.Infer();
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (!ok) throw new Error(`${build}: Infer failed in timed run ${i}`);
  }
  runner.delete();
  Module._free(ptr);

  const sorted = [...ms].sort((a, b) => a - b);
  const mean = ms.reduce((a, b) => a + b, 0) / ms.length;
  return {
    build,
    runs,
    warmup,
    threads: 1,
    mean_ms: mean,
    median_ms: sorted[Math.floor(sorted.length / 2)],
    min_ms: sorted[0],
    max_ms: sorted[sorted.length - 1],
  };
}

async function main() {
  const [modelPath, runsArg, warmupArg, ...builds] = process.argv.slice(2);
  if (!modelPath) {
    console.error('usage: node tflite_timing.js MODEL.tflite [RUNS] [WARMUP] [BUILD...]');
    process.exit(2);
  }
  const runs = Number(runsArg || 20);
  const warmup = Number(warmupArg || 3);
  if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(warmup) || warmup < 0) {
    console.error(`invalid RUNS ${runsArg} or WARMUP ${warmupArg}: expected integers, RUNS >= 1`);
    process.exit(2);
  }
  const raw = fs.readFileSync(modelPath);
  const model = KEEP_OUTPUTS ? raw : cutAtBackbone(raw);
  const pkg = JSON.parse(fs.readFileSync(path.join(TFLITE_PKG, 'package.json'), 'utf8'));
  for (const build of builds.length ? builds : ['tflite_web_api_cc_simd']) {
    const result = await timeBuild(build, model, runs, warmup);
    console.log(JSON.stringify({ package: `${pkg.name}@${pkg.version}`, node: process.version, ...result }));
  }
}

main().catch(e => { console.error(e && e.stack || e); process.exit(1); });
