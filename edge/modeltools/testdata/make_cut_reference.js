#!/usr/bin/env node
// Loads a cut model in a real TFLite runtime (the WASM build in
// @tensorflow/tfjs-tflite, one thread), runs it on 300x300 PNGs and writes
// a JSON record: the model's sha256, the tensors the runtime reports, and
// per image the max absolute difference from a stored full-model output.
//
// Usage: node make_cut_reference.js MODEL REF_DIR OUT.json NAME...
//   REF_DIR contains NAME.png and NAME.f32 for each NAME.
'use strict';

const fs = require('fs');
const path = require('path');
const crypto = require('crypto');

const NODE_MODULES = process.env.NODE_MODULES || path.join(__dirname, 'node_modules');
const TFLITE_PKG = path.join(NODE_MODULES, '@tensorflow', 'tfjs-tflite');
const WASM_DIR = path.join(TFLITE_PKG, 'wasm');
const BUILD = 'tflite_web_api_cc_simd';
const { PNG } = require(path.join(NODE_MODULES, 'pngjs'));

function toArray(v) {
  const out = [];
  for (let i = 0; i < v.size(); i++) out.push(v.get(i));
  v.delete();
  return out;
}

async function createRunner(model) {
  const factory = require(path.join(WASM_DIR, BUILD + '.js'));
  const wasmBinary = fs.readFileSync(path.join(WASM_DIR, BUILD + '.wasm'));
  const Module = await factory({ wasmBinary, locateFile: f => path.join(WASM_DIR, f) });
  const ptr = Module._malloc(model.length);
  Module.HEAPU8.set(model, ptr);
  const created = Module.TFLiteWebModelRunner.CreateFromBufferAndOptions(ptr, model.length,
    { numThreads: 1, enableProfiling: false, maxProfilingBufferEntries: 1024 });
  if (!created.ok()) throw new Error('load failed: ' + created.errorMessage());
  const runner = created.value();
  return { runner, inputs: toArray(runner.GetInputs()), outputs: toArray(runner.GetOutputs()) };
}

function readRGBA(file) {
  const png = PNG.sync.read(fs.readFileSync(file), { skipRescale: true });
  if (png.width !== 300 || png.height !== 300) throw new Error(file + ': not 300x300');
  return png.data;
}

function run(r, rgba) {
  const inp = r.inputs[0].data();
  for (let p = 0; p < 300 * 300; p++) {
    for (let c = 0; c < 3; c++) inp[p * 3 + c] = (rgba[p * 4 + c] - 127.5) / 127.5;
  }
  if (!r.runner.Infer()) throw new Error('Infer failed');
  return Float32Array.from(r.outputs[0].data());
}

async function main() {
  const [modelPath, refDir, outPath, ...names] = process.argv.slice(2);
  if (!modelPath || !refDir || !outPath || names.length === 0) {
    console.error('usage: node make_cut_reference.js MODEL REF_DIR OUT.json NAME...');
    process.exit(2);
  }
  const model = fs.readFileSync(modelPath);
  const r = await createRunner(model);
  const desc = x => ({ id: x.id, name: x.name, shape: x.shape.split(',').map(Number),
    dtype: x.dataType });
  const images = names.map(name => {
    const got = run(r, readRGBA(path.join(refDir, name + '.png')));
    const raw = fs.readFileSync(path.join(refDir, name + '.f32'));
    const want = new Float32Array(raw.buffer, raw.byteOffset, raw.length / 4);
    if (got.length !== want.length) throw new Error(`${name}: ${got.length} values, want ${want.length}`);
    let maxAbs = 0;
    for (let i = 0; i < got.length; i++) maxAbs = Math.max(maxAbs, Math.abs(got[i] - want[i]));
    console.log(`${name}: max |cut - full| ${maxAbs}`);
    return { name, max_abs_diff_vs_full_model: maxAbs };
  });
  const pkg = JSON.parse(fs.readFileSync(path.join(TFLITE_PKG, 'package.json'), 'utf8'));
  const record = {
    description: 'The bundled model cut at tensor 213 by edgecluster models cut, loaded and ' +
      'run by a real TFLite runtime. Regenerate with make_cut_reference.sh.',
    model_sha256: crypto.createHash('sha256').update(model).digest('hex'),
    model_bytes: model.length,
    runtime: { package: pkg.name, version: pkg.version, wasm: BUILD + '.wasm', num_threads: 1,
      node: process.version },
    loaded: true,
    inputs: r.inputs.map(desc),
    outputs: r.outputs.map(desc),
    images,
  };
  fs.writeFileSync(outPath, JSON.stringify(record, null, 2) + '\n');
}

main().catch(e => { console.error(e && e.stack || e); process.exit(1); });
