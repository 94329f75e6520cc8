// Converts one of the nsfwjs package's models to ONNX by hand, for trying a network before shipping it (the build
// converts only the shipped one, in nsfwjs-model.mjs): graph models through tfjs2onnx.mjs, Keras layers models
// through keras2onnx.mjs.
//
// usage: node convert.mjs <model folder, e.g. target/npm/node_modules/nsfwjs/dist/models/inception_v3> <out.onnx>
import fs from 'node:fs';
import { convertLayers } from './keras2onnx.mjs';
import { convert, loadModuleFile } from './tfjs2onnx.mjs';

const [dir, out] = process.argv.slice(2);
if (!dir || !out) {
  console.error('usage: node convert.mjs <model folder> <out.onnx>');
  process.exit(2);
}
const json = loadModuleFile(`${dir}/model.min.js`);
const result = json && json.format === 'graph-model' ? convert(dir) : convertLayers(dir);
fs.writeFileSync(`${out}.part`, result.bytes);
fs.renameSync(`${out}.part`, out);
console.log(`${out}: ${result.nodes} ONNX nodes, input ${result.size.join('x')}, features ${result.features}, `
  + `classes ${result.classes}`);
