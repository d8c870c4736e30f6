#!/usr/bin/env node
// Runs each one-operator model listed in cases.json through a real TFLite
// runtime (the WASM build in @tensorflow/tfjs-tflite, one thread) and
// writes its outputs next to it, as raw tensor bytes in file encoding.
//
// Usage: node make_ops.js DIR
//   Packages are looked up in $NODE_MODULES; make_ops.sh installs them.
'use strict';

const fs = require('fs');
const path = require('path');

const NODE_MODULES = process.env.NODE_MODULES || path.join(__dirname, 'node_modules');
const TFLITE_PKG = path.join(NODE_MODULES, '@tensorflow', 'tfjs-tflite');
const WASM_DIR = path.join(TFLITE_PKG, 'wasm');
const BUILD = process.env.TFLITE_BUILD || 'tflite_web_api_cc_simd';

function toArray(v) {
  const out = [];
  for (let i = 0; i < v.size(); i++) out.push(v.get(i));
  v.delete();
  return out;
}

// bytesOf returns a byte view of a tensor's data in the WASM heap.
function bytesOf(tensor) {
  const d = tensor.data();
  return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
}

async function loadModule() {
  const factory = require(path.join(WASM_DIR, BUILD + '.js'));
  const wasmBinary = fs.readFileSync(path.join(WASM_DIR, BUILD + '.wasm'));
  return factory({ wasmBinary, locateFile: f => path.join(WASM_DIR, f) });
}

function runCase(Module, dir, c) {
  const model = fs.readFileSync(path.join(dir, c.model));
  const ptr = Module._malloc(model.length);
  Module.HEAPU8.set(model, ptr);
  const created = Module.TFLiteWebModelRunner.CreateFromBufferAndOptions(ptr, model.length,
    { numThreads: 1, enableProfiling: false, maxProfilingBufferEntries: 1024 });
  if (!created.ok()) throw new Error(`${c.name}: load failed: ${created.errorMessage()}`);
  const runner = created.value();
  const inputs = toArray(runner.GetInputs());
  const outputs = toArray(runner.GetOutputs());
  c.inputs.forEach((file, i) => {
    const data = fs.readFileSync(path.join(dir, file));
    const view = bytesOf(inputs[i]);
    if (view.length !== data.length) {
      throw new Error(`${c.name}: input ${i} takes ${view.length} bytes, file has ${data.length}`);
    }
    view.set(data);
  });
  if (!runner.Infer()) throw new Error(`${c.name}: Infer failed`);
  c.outputs.forEach((file, i) => {
    fs.writeFileSync(path.join(dir, file), Buffer.from(bytesOf(outputs[i])));
  });
  runner.delete();
  Module._free(ptr);
}

async function main() {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: node make_ops.js DIR');
    process.exit(2);
  }
  const cases = JSON.parse(fs.readFileSync(path.join(dir, 'cases.json'), 'utf8'));
  const Module = await loadModule();
  for (const c of cases) {
    runCase(Module, dir, c);
    console.log('ran', c.name);
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(TFLITE_PKG, 'package.json'), 'utf8'));
  fs.writeFileSync(path.join(dir, 'runtime.json'), JSON.stringify({
    package: pkg.name, version: pkg.version, wasm: BUILD + '.wasm', num_threads: 1,
    node: process.version,
  }, null, 2) + '\n');
}

main().catch(e => { console.error(e && e.stack || e); process.exit(1); });
