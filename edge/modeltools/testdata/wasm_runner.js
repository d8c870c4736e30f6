// Drives the WASM build of TFLite in @tensorflow/tfjs-tflite (one thread)
// for the reference scripts in this folder. NODE_MODULES names the
// node_modules folder that contains @tensorflow/tfjs-tflite and pngjs.
'use strict';

const fs = require('fs');
const path = require('path');

const NODE_MODULES = process.env.NODE_MODULES || path.join(__dirname, 'node_modules');
const TFLITE_PKG = path.join(NODE_MODULES, '@tensorflow', 'tfjs-tflite');
const WASM_DIR = path.join(TFLITE_PKG, 'wasm');
const BUILD = 'tflite_web_api_cc_simd';
const { PNG } = require(path.join(NODE_MODULES, 'pngjs'));

// toArray copies an Emscripten vector into a JS array and frees it.
function toArray(v) {
  const out = [];
  for (let i = 0; i < v.size(); i++) out.push(v.get(i));
  v.delete();
  return out;
}

// createRunner loads model bytes into a fresh runtime instance.
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

// readRGBA decodes a 300x300 PNG into RGBA bytes.
function readRGBA(file) {
  const png = PNG.sync.read(fs.readFileSync(file), { skipRescale: true });
  if (png.width !== 300 || png.height !== 300) throw new Error(file + ': not 300x300');
  return png.data;
}

// run scales RGBA pixels to [-1, 1], infers, and returns a copy of the first
// output: a Float32Array for FLOAT32 outputs, its raw bytes otherwise.
function run(r, rgba) {
  const inp = r.inputs[0].data();
  for (let p = 0; p < 300 * 300; p++) {
    for (let c = 0; c < 3; c++) inp[p * 3 + c] = (rgba[p * 4 + c] - 127.5) / 127.5;
  }
  if (!r.runner.Infer()) throw new Error('Infer failed');
  const d = r.outputs[0].data();
  return d instanceof Float32Array ? Float32Array.from(d) : Uint8Array.from(
    new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
}

// runtimeInfo describes the runtime for the JSON records.
function runtimeInfo() {
  const pkg = JSON.parse(fs.readFileSync(path.join(TFLITE_PKG, 'package.json'), 'utf8'));
  return { package: pkg.name, version: pkg.version, wasm: BUILD + '.wasm', num_threads: 1,
    node: process.version };
}

module.exports = { createRunner, readRGBA, run, runtimeInfo };
