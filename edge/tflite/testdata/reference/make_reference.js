#!/usr/bin/env node
// Produces reference outputs of the MobileNetV2 backbone of the bundled SSD
// model with a real TFLite runtime (the WASM build of TFLite shipped in
// @tensorflow/tfjs-tflite, XNNPACK inside, one thread).
//
// Usage: node make_reference.js MODEL.tflite OUT_DIR NAME [NAME...]
//   needs OUT_DIR/NAME.png (300x300 RGB, 8 bit) for each NAME;
//   writes OUT_DIR/NAME.f32 and OUT_DIR/manifest.json.
//   Packages are looked up in $NODE_MODULES (default ./node_modules next to
//   this script); make_reference.sh installs them into a temp dir.
//
// The runtime only lets us read graph outputs, so the model is copied and the
// first entry of subgraph 0's `outputs` vector is overwritten in place with
// the backbone tensor index (file length and vector length unchanged).
'use strict';

const fs = require('fs');
const path = require('path');
const crypto = require('crypto');

const NODE_MODULES = process.env.NODE_MODULES || path.join(__dirname, 'node_modules');
const TFLITE_PKG = path.join(NODE_MODULES, '@tensorflow', 'tfjs-tflite');
const WASM_DIR = path.join(TFLITE_PKG, 'wasm');
const { PNG } = require(path.join(NODE_MODULES, 'pngjs'));

const EMBED_TENSOR = 213;
const EMBED_NAME_PREFIX = 'FeatureExtractor/MobilenetV2/Conv_1/Relu6';
const EMBED_SHAPE = [1, 10, 10, 1280];
const IN_H = 300, IN_W = 300, IN_C = 3;

// ---- minimal flatbuffer reader for the TFLite schema ----------------------
class FB {
  constructor(buf) { this.b = buf; }
  u8(o) { return this.b.readUInt8(o); }
  u16(o) { return this.b.readUInt16LE(o); }
  u32(o) { return this.b.readUInt32LE(o); }
  i32(o) { return this.b.readInt32LE(o); }
  root() { return this.u32(0); }
  // absolute position of field `i` of table `t`, or 0 if absent
  field(t, i) {
    const vt = t - this.i32(t);
    const vtLen = this.u16(vt);
    const at = 4 + 2 * i;
    if (at >= vtLen) return 0;
    const off = this.u16(vt + at);
    return off ? t + off : 0;
  }
  ref(p) { return p + this.u32(p); }               // follow a uoffset
  vec(t, i) {                                      // {pos of first elem, len}
    const p = this.field(t, i);
    if (!p) return { at: 0, len: 0 };
    const v = this.ref(p);
    return { at: v + 4, len: this.u32(v), lenAt: v };
  }
  tables(t, i) {
    const v = this.vec(t, i);
    const out = [];
    for (let k = 0; k < v.len; k++) out.push(this.ref(v.at + 4 * k));
    return out;
  }
  ints(t, i) {
    const v = this.vec(t, i);
    const out = [];
    for (let k = 0; k < v.len; k++) out.push(this.i32(v.at + 4 * k));
    return out;
  }
  str(t, i) {
    const p = this.field(t, i);
    if (!p) return '';
    const s = this.ref(p);
    return this.b.toString('utf8', s + 4, s + 4 + this.u32(s));
  }
  scalar(t, i, kind, dflt) {
    const p = this.field(t, i);
    if (!p) return dflt;
    return kind === 'u8' ? this.u8(p) : kind === 'i8' ? this.b.readInt8(p)
      : kind === 'u32' ? this.u32(p) : this.i32(p);
  }
}

// TFLite schema field numbers used here.
// Model: 1 operator_codes, 2 subgraphs. SubGraph: 0 tensors, 1 inputs,
// 2 outputs, 3 operators. Tensor: 0 shape, 1 type, 3 name.
// Operator: 0 opcode_index, 2 outputs. OperatorCode: 0 deprecated_builtin_code (i8),
// 3 builtin_code (i32).
const BUILTIN = { 0: 'ADD', 2: 'CONCATENATION', 3: 'CONV_2D', 4: 'DEPTHWISE_CONV_2D',
  6: 'DEQUANTIZE', 14: 'LOGISTIC', 22: 'RESHAPE', 127: 'PLACEHOLDER_FOR_GREATER_OP_CODES' };
const TENSOR_TYPE = { 0: 'FLOAT32', 1: 'FLOAT16', 2: 'INT32', 3: 'UINT8', 9: 'INT8' };

function inspectModel(buf) {
  const fb = new FB(buf);
  if (buf.toString('latin1', 4, 8) !== 'TFL3') throw new Error('not a TFLite flatbuffer');
  const model = fb.root();
  const opcodes = fb.tables(model, 1).map(oc => {
    const dep = fb.scalar(oc, 0, 'i8', 0);
    const code = fb.scalar(oc, 3, 'i32', 0);
    const c = Math.max(dep, code);
    return BUILTIN[c] || ('BUILTIN_' + c);
  });
  const subgraphs = fb.tables(model, 2);
  if (subgraphs.length !== 1) throw new Error('expected 1 subgraph, got ' + subgraphs.length);
  const sg = subgraphs[0];
  const tensors = fb.tables(sg, 0).map(t => ({
    name: fb.str(t, 3),
    shape: fb.ints(t, 0),
    type: TENSOR_TYPE[fb.scalar(t, 1, 'i8', 0)] || String(fb.scalar(t, 1, 'i8', 0)),
  }));
  const ops = fb.tables(sg, 3).map(op => ({
    kind: opcodes[fb.scalar(op, 0, 'u32', 0)],
    outputs: fb.ints(op, 2),
  }));
  const opCounts = {};
  for (const op of ops) opCounts[op.kind] = (opCounts[op.kind] || 0) + 1;
  return {
    tensors, ops, opCounts,
    inputs: fb.ints(sg, 1),
    outputs: fb.ints(sg, 2),
    outputsVec: fb.vec(sg, 2),
  };
}

// ---- helpers ---------------------------------------------------------------
function stats(a) {
  let min = Infinity, max = -Infinity, sum = 0;
  for (const v of a) { if (v < min) min = v; if (v > max) max = v; sum += v; }
  return { min, max, mean: sum / a.length };
}

// 1280-d global average pool over H*W of an NHWC [1,H,W,C] tensor, then L2 normalise.
function embedding(a, h, w, c) {
  const e = new Float64Array(c);
  for (let p = 0; p < h * w; p++) for (let k = 0; k < c; k++) e[k] += a[p * c + k];
  let n2 = 0;
  for (let k = 0; k < c; k++) { e[k] /= h * w; n2 += e[k] * e[k]; }
  const n = Math.sqrt(n2);
  return Array.from(e, v => (n > 0 ? v / n : 0));
}

function readPNG(file) {
  const png = PNG.sync.read(fs.readFileSync(file), { skipRescale: true });
  if (png.width !== IN_W || png.height !== IN_H) {
    throw new Error(`${file}: ${png.width}x${png.height}, want ${IN_W}x${IN_H}`);
  }
  if (png.depth !== 8 || png.colorType !== 2 || png.palette) {
    throw new Error(`${file}: want 8-bit RGB (colour type 2), got depth ${png.depth} colour type ${png.colorType}`);
  }
  return png.data; // RGBA, 8 bit, alpha = 255
}

// build: 'tflite_web_api_cc_simd' (the reference) or 'tflite_web_api_cc' (no SIMD, cross-check)
async function createRunner(build, model) {
  const factory = require(path.join(WASM_DIR, build + '.js'));
  const wasmBinary = fs.readFileSync(path.join(WASM_DIR, build + '.wasm'));
  const Module = await factory({ wasmBinary, locateFile: f => path.join(WASM_DIR, f) });
  const ptr = Module._malloc(model.length);
  Module.HEAPU8.set(model, ptr);
  const created = Module.TFLiteWebModelRunner.CreateFromBufferAndOptions(ptr, model.length,
    { numThreads: 1, enableProfiling: false, maxProfilingBufferEntries: 1024 });
  if (!created.ok()) throw new Error(build + ': CreateFromBufferAndOptions: ' + created.errorMessage());
  const runner = created.value();
  const inputs = vecToArray(runner.GetInputs());
  const outputs = vecToArray(runner.GetOutputs());
  const desc = x => ({ id: x.id, name: x.name, shape: x.shape, dataType: x.dataType });
  console.log(build + ' inputs :', JSON.stringify(inputs.map(desc)));
  console.log(build + ' outputs:', JSON.stringify(outputs.map(desc)));
  const out0 = outputs[0];
  if (out0.id !== EMBED_TENSOR || out0.shape !== EMBED_SHAPE.join(',') || !out0.name.startsWith(EMBED_NAME_PREFIX)) {
    throw new Error(`${build}: runtime output 0 is #${out0.id} ${out0.name} [${out0.shape}], want tensor ${EMBED_TENSOR}`);
  }
  if (inputs.length !== 1 || inputs[0].shape !== [1, IN_H, IN_W, IN_C].join(',') || inputs[0].dataType !== 'float32') {
    throw new Error(build + ': unexpected runtime input ' + JSON.stringify(inputs.map(desc)));
  }
  // Fills the input from 8-bit RGBA pixels, runs, returns a copy of output 0.
  const run = rgba => {
    const inp = inputs[0].data();
    for (let p = 0; p < IN_H * IN_W; p++) {
      for (let c = 0; c < 3; c++) inp[p * 3 + c] = (rgba[p * 4 + c] - 127.5) / 127.5;
    }
    if (!runner.Infer()) throw new Error(build + ': Infer failed');
    return Float32Array.from(outputs[0].data()); // copy out of the wasm heap
  };
  const close = () => { runner.delete(); Module._free(ptr); };
  return { run, close };
}

function vecToArray(v) {
  const out = [];
  for (let i = 0; i < v.size(); i++) out.push(v.get(i));
  v.delete();
  return out;
}

// ---- main ------------------------------------------------------------------
async function main() {
  const [modelPath, outDir, ...names] = process.argv.slice(2);
  if (!modelPath || !outDir || names.length === 0) {
    console.error('usage: node make_reference.js MODEL.tflite OUT_DIR NAME [NAME...]');
    process.exit(2);
  }
  const orig = fs.readFileSync(modelPath);
  const sha256 = crypto.createHash('sha256').update(orig).digest('hex');
  const info = inspectModel(orig);
  const t = info.tensors[EMBED_TENSOR];
  console.log(`model ${path.basename(modelPath)} sha256 ${sha256}`);
  console.log(`  ${info.tensors.length} tensors, ${info.ops.length} ops:`, JSON.stringify(info.opCounts));
  console.log(`  inputs ${JSON.stringify(info.inputs)} -> ${info.inputs.map(i => `${info.tensors[i].name} [${info.tensors[i].shape}] ${info.tensors[i].type}`)}`);
  console.log(`  outputs ${JSON.stringify(info.outputs)} -> ${info.outputs.map(i => `${info.tensors[i].name} [${info.tensors[i].shape}]`).join(', ')}`);
  const producer = info.ops.findIndex(op => op.outputs.includes(EMBED_TENSOR));
  console.log(`  tensor ${EMBED_TENSOR}: ${t.name} [${t.shape}] ${t.type}, produced by op ${producer} (${info.ops[producer].kind})`);
  if (!t.name.startsWith(EMBED_NAME_PREFIX) || t.shape.join() !== EMBED_SHAPE.join() || t.type !== 'FLOAT32') {
    throw new Error(`tensor ${EMBED_TENSOR} is not the expected backbone output`);
  }

  // Copy of the model with outputs[0] := EMBED_TENSOR, in place.
  const cut = Buffer.from(orig);
  cut.writeInt32LE(EMBED_TENSOR, info.outputsVec.at);
  const check = inspectModel(cut);
  if (check.outputs[0] !== EMBED_TENSOR || cut.length !== orig.length) throw new Error('rewrite failed');
  console.log(`  rewritten outputs ${JSON.stringify(check.outputs)} (same file length ${cut.length})`);

  const ref = await createRunner('tflite_web_api_cc_simd', cut);
  const alt = await createRunner('tflite_web_api_cc', cut);

  const [, H, W, C] = EMBED_SHAPE;
  const images = [];
  for (const name of names) {
    const rgba = readPNG(path.join(outDir, name + '.png'));
    const t0 = process.hrtime.bigint();
    const res = ref.run(rgba);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (res.length !== H * W * C) throw new Error(`output has ${res.length} values`);
    const again = ref.run(rgba);
    if (!again.every((v, i) => v === res[i])) throw new Error(name + ': second run differs');
    const other = alt.run(rgba);
    let maxDiff = 0;
    for (let i = 0; i < res.length; i++) maxDiff = Math.max(maxDiff, Math.abs(res[i] - other[i]));
    let zeros = 0;
    for (const v of res) if (v === 0) zeros++;
    fs.writeFileSync(path.join(outDir, name + '.f32'), Buffer.from(res.buffer));
    const s = stats(res);
    const emb = embedding(res, H, W, C);
    console.log(`${name}: min ${s.min.toFixed(6)} max ${s.max.toFixed(6)} mean ${s.mean.toFixed(6)}` +
      ` zeros ${(100 * zeros / res.length).toFixed(1)}% (${ms.toFixed(1)} ms;` +
      ` max |simd - no-simd| ${maxDiff.toExponential(2)})`);
    const rgb = Buffer.alloc(IN_H * IN_W * 3);
    for (let p = 0; p < IN_H * IN_W; p++) for (let c = 0; c < 3; c++) rgb[p * 3 + c] = rgba[p * 4 + c];
    images.push({
      name,
      png: name + '.png',
      png_rgb_sha256: crypto.createHash('sha256').update(rgb).digest('hex'),
      tensor: name + '.f32',
      tensor_sha256: crypto.createHash('sha256').update(Buffer.from(res.buffer)).digest('hex'),
      tensor_min: s.min,
      tensor_max: s.max,
      tensor_mean: s.mean,
      tensor_zero_fraction: zeros / res.length,
      max_abs_diff_vs_nosimd_build: maxDiff,
      embedding: emb,
    });
  }

  const pkg = JSON.parse(fs.readFileSync(path.join(TFLITE_PKG, 'package.json'), 'utf8'));
  const manifest = {
    description: 'Reference outputs of the MobileNetV2 backbone (tensor ' + EMBED_TENSOR +
      ') of the bundled SSD model, from a real TFLite runtime. Regenerate with make_reference.sh.',
    model: {
      file: 'models/' + path.basename(modelPath),
      sha256,
    },
    input: {
      tensor_index: info.inputs[0],
      name: info.tensors[info.inputs[0]].name,
      shape: info.tensors[info.inputs[0]].shape,
      dtype: 'float32',
      layout: 'NHWC',
      channel_order: 'RGB',
      normalisation: '(pixel - 127.5) / 127.5',
      pixels: '300x300 8-bit RGB PNG per image; png_rgb_sha256 is the sha256 of its decoded pixels as R,G,B bytes, row-major',
      range: [-1, 1],
    },
    tensor: {
      index: EMBED_TENSOR,
      name: t.name,
      shape: t.shape,
      dtype: 'float32',
      layout: 'NHWC',
      producer_op: producer,
      file_format: 'raw little-endian float32, NHWC, ' + H * W * C + ' values, no header',
    },
    embedding: {
      dim: C,
      method: 'mean over the ' + H + 'x' + W + ' positions per channel, then divided by its L2 norm (computed in float64)',
    },
    runtime: {
      name: 'TensorFlow Lite (WASM, SIMD build, XNNPACK delegate) via ' + pkg.name,
      package: pkg.name,
      version: pkg.version,
      wasm: 'wasm/tflite_web_api_cc_simd.wasm',
      wasm_sha256: crypto.createHash('sha256')
        .update(fs.readFileSync(path.join(WASM_DIR, 'tflite_web_api_cc_simd.wasm'))).digest('hex'),
      num_threads: 1,
      node: process.version,
      how: 'subgraph 0 outputs[0] rewritten in place to tensor ' + EMBED_TENSOR + '; output 0 read after Infer()',
      cross_check: 'each image also run with wasm/tflite_web_api_cc.wasm (no SIMD); ' +
        'max_abs_diff_vs_nosimd_build per image shows how far two builds of the same runtime differ',
    },
    images,
  };
  // Indented JSON, but arrays of numbers on one line.
  const text = JSON.stringify(manifest, null, 2)
    .replace(/\[\s+([-+0-9.e,\s]+?)\s+\]/g, (m, inner) => '[' + inner.split(/,\s*/).join(', ') + ']');
  fs.writeFileSync(path.join(outDir, 'manifest.json'), text + '\n');
  console.log('wrote', path.join(outDir, 'manifest.json'));
  ref.close();
  alt.close();
}

main().catch(e => { console.error(e && e.stack || e); process.exit(1); });
