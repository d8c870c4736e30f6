#!/usr/bin/env node
// Loads the int8 backbone that `edgecluster models quantize` made in a real
// TFLite runtime (the WASM build in @tensorflow/tfjs-tflite, one thread),
// runs it on 300x300 PNGs and writes a JSON record: the model's sha256, the
// tensors the runtime reports, and per image the sha256 of the output bytes,
// the sha256 of the raw INT8 tensor that the model's final DEQUANTIZE reads,
// the pooled unit-length embedding and its cosine with the embedding of the
// stored float model output.
//
// Usage: node make_quantize_reference.js MODEL INT8_CUT REF_DIR OUT.json NAME...
//   INT8_CUT is MODEL cut at the input of its final DEQUANTIZE, so that its
//   graph output is that INT8 tensor. REF_DIR contains NAME.png and NAME.f32
//   for each NAME.
'use strict';

const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { createRunner, readRGBA, run, runtimeInfo } = require('./wasm_runner');

function sha256(bytes) {
  return crypto.createHash('sha256')
    .update(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).digest('hex');
}

// pool averages a [positions, 1280] map over positions and scales it to
// unit length.
function pool(v, channels) {
  const out = new Float64Array(channels);
  for (let i = 0; i < v.length; i++) out[i % channels] += v[i];
  const norm = Math.sqrt(out.reduce((s, x) => s + x * x, 0));
  return Array.from(out, x => (norm > 0 ? x / norm : 0));
}

function cosine(a, b) {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i] * b[i];
  return dot;
}

async function main() {
  const [modelPath, int8Path, refDir, outPath, ...names] = process.argv.slice(2);
  if (!modelPath || !int8Path || !refDir || !outPath || names.length === 0) {
    console.error('usage: node make_quantize_reference.js MODEL INT8_CUT REF_DIR OUT.json ' +
      'NAME...');
    process.exit(2);
  }
  const model = fs.readFileSync(modelPath);
  const r = await createRunner(model);
  const r8 = await createRunner(fs.readFileSync(int8Path));
  const channels = 1280;
  const desc = x => ({ id: x.id, name: x.name, shape: x.shape.split(',').map(Number),
    dtype: x.dataType });
  const images = names.map(name => {
    const rgba = readRGBA(path.join(refDir, name + '.png'));
    const got = run(r, rgba);
    const raw8 = run(r8, rgba);
    const raw = fs.readFileSync(path.join(refDir, name + '.f32'));
    const want = new Float32Array(raw.buffer, raw.byteOffset, raw.length / 4);
    const embedding = pool(got, channels);
    const cos = cosine(embedding, pool(want, channels));
    console.log(`${name}: cosine with the float model ${cos.toFixed(5)}`);
    return {
      name,
      output_sha256: sha256(got),
      int8_output_sha256: sha256(raw8),
      cosine_vs_float_model: cos,
      embedding: embedding.map(x => Number(x.toPrecision(7))),
    };
  });
  const record = {
    description: 'The int8 backbone made by edgecluster models quantize, loaded and run by ' +
      'a real TFLite runtime. Regenerate with make_quantize_reference.sh.',
    model_sha256: crypto.createHash('sha256').update(model).digest('hex'),
    model_bytes: model.length,
    runtime: runtimeInfo(),
    loaded: true,
    inputs: r.inputs.map(desc),
    outputs: r.outputs.map(desc),
    images,
  };
  fs.writeFileSync(outPath, JSON.stringify(record, null, 1) + '\n');
}

main().catch(e => { console.error(e && e.stack || e); process.exit(1); });
