// The reference for the conversion check: the nsfwjs package's own model, loaded by nsfwjs's own loader and run by
// pure-JavaScript TensorFlow.js (CPU backend) in Node. Reads input tensors [N, H, W, 3] (float32 little-endian,
// values in [0, 1], exactly what nsfwjs feeds its model after its own scaling and resizing) and writes the model's
// probabilities [N, classes] (float32 little-endian).
//
// usage: node tfjs-reference.mjs <npm prefix with node_modules> <model name, e.g. MobileNetV2Mid> <size> <in> <out>
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const [prefix, modelName, sizeArg, inFile, outFile] = process.argv.slice(2);
const require = createRequire(path.resolve(prefix, 'package.json'));
const tf = require('@tensorflow/tfjs');
const nsfwjs = require('nsfwjs');
await tf.setBackend('cpu');
const size = Number(sizeArg);
const raw = fs.readFileSync(inFile);
const per = size * size * 3;
const n = raw.length / 4 / per;
if (!Number.isInteger(n) || n < 1) throw new Error(`${inFile}: ${raw.length} bytes is not a whole number of inputs`);
const values = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length));
const silence = console.info;
console.info = () => {}; // nsfwjs greets on the console; the build log does not need it
const model = await nsfwjs.load(modelName, { size });
console.info = silence;
const out = [];
for (let i = 0; i < n; i++) { // one at a time: bounded memory on small machines
  const x = tf.tensor4d(values.subarray(i * per, (i + 1) * per), [1, size, size, 3]);
  const y = model.model.predict(x);
  out.push(...(await y.data()));
  x.dispose();
  y.dispose();
}
fs.writeFileSync(outFile, Buffer.from(new Float32Array(out).buffer));
console.log(`tfjs ${tf.version.tfjs} (${tf.getBackend()}): ${n} inputs -> ${out.length / n} probabilities each`);
