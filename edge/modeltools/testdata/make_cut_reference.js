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
const { createRunner, readRGBA, run, runtimeInfo } = require('./wasm_runner');

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
  const record = {
    description: 'The bundled model cut at tensor 213 by edgecluster models cut, loaded and ' +
      'run by a real TFLite runtime. Regenerate with make_cut_reference.sh.',
    model_sha256: crypto.createHash('sha256').update(model).digest('hex'),
    model_bytes: model.length,
    runtime: runtimeInfo(),
    loaded: true,
    inputs: r.inputs.map(desc),
    outputs: r.outputs.map(desc),
    images,
  };
  fs.writeFileSync(outPath, JSON.stringify(record, null, 2) + '\n');
}

main().catch(e => { console.error(e && e.stack || e); process.exit(1); });
