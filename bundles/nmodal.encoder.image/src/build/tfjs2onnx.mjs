// nmodal's converter from a TensorFlow.js graph model (as shipped inside the npm package nsfwjs: JavaScript files
// that wrap the model JSON and base64 weight shards) to an ONNX model. Written in Node.js because the model files
// are JavaScript modules: evaluating them in an empty sandbox is the robust way to read them (no regular
// expressions over minified code), and the reference check runs TensorFlow.js in Node anyway.
//
// Layout: the ONNX graph is NCHW throughout. Its input "input" is [N, 3, H, W] with values in [0, 1] (what nsfwjs
// feeds its model, channel-major); kernels are re-laid out (HWIO -> OIHW, depthwise HWC1 -> C1HW), TF's "SAME"
// padding becomes explicit, possibly asymmetric, ONNX pads computed from each layer's input size. Outputs:
// "features" (the input of the last MatMul: the pooled feature below the head) and "probabilities" (the softmax).
//
// Only the op types these models use are translated; anything else stops the conversion with its name.

import fs from 'node:fs';
import vm from 'node:vm';

/** Evaluates a UMD/browserify module file in an empty context (no require, no process) and returns its export. */
export function loadModuleFile(file) {
  const module = { exports: {} };
  const context = vm.createContext({ module, exports: module.exports });
  vm.runInContext(fs.readFileSync(file, 'utf8'), context, { filename: file, timeout: 30000 });
  const value = module.exports && module.exports.default !== undefined ? module.exports.default : module.exports;
  return value;
}

/** Reads model.min.js and its shards from a model folder: the model JSON and one Buffer with all weight bytes. */
export function readTfjsModel(dir) {
  const json = loadModuleFile(`${dir}/model.min.js`);
  if (!json || json.format !== 'graph-model' || !json.modelTopology || !json.weightsManifest) {
    throw new Error(`${dir}/model.min.js: not a TensorFlow.js graph model (format ${json && json.format})`);
  }
  const parts = [];
  const specs = [];
  for (const group of json.weightsManifest) {
    for (const path of group.paths) {
      const b64 = loadModuleFile(`${dir}/${path}.min.js`);
      if (typeof b64 !== 'string') {
        throw new Error(`${dir}/${path}.min.js: expected a base64 string, got ${typeof b64}`);
      }
      parts.push(Buffer.from(b64, 'base64'));
    }
    specs.push(...group.weights);
  }
  return { json, specs, data: Buffer.concat(parts) };
}

const BYTES = { uint8: 1, uint16: 2, float16: 2, float32: 4, int32: 4 };

function half(h) {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

/**
 * Dequantises every weight as TensorFlow.js does when it loads the model: uint8/uint16 as v * scale + min (computed
 * in double, stored as float32), float16 as half floats; unquantised float32 and int32 are taken as they are.
 * Returns a Map name -> {shape, dtype, values (Float32Array or Int32Array)}.
 */
export function dequantise(specs, data) {
  const out = new Map();
  let offset = 0;
  for (const w of specs) {
    const count = w.shape.reduce((a, b) => a * b, 1);
    const q = w.quantization;
    const stored = q ? q.dtype : w.dtype;
    const size = count * BYTES[stored];
    if (!BYTES[stored]) throw new Error(`${w.name}: unsupported stored dtype ${stored}`);
    if (offset + size > data.length) throw new Error(`${w.name}: weight data ends early`);
    const bytes = data.subarray(offset, offset + size);
    offset += size;
    let values;
    if (q && (stored === 'uint8' || stored === 'uint16')) {
      values = new Float32Array(count);
      for (let i = 0; i < count; i++) {
        const v = stored === 'uint8' ? bytes[i] : bytes.readUInt16LE(2 * i);
        values[i] = v * q.scale + q.min;
      }
    } else if (stored === 'float16') {
      values = new Float32Array(count);
      for (let i = 0; i < count; i++) values[i] = half(bytes.readUInt16LE(2 * i));
    } else if (stored === 'float32') {
      values = new Float32Array(count);
      for (let i = 0; i < count; i++) values[i] = bytes.readFloatLE(4 * i);
    } else {
      values = new Int32Array(count);
      for (let i = 0; i < count; i++) values[i] = bytes.readInt32LE(4 * i);
    }
    if (q && w.dtype !== 'float32') throw new Error(`${w.name}: quantised ${w.dtype} weights are not supported`);
    out.set(w.name, { shape: w.shape, dtype: w.dtype === 'int32' ? 'int32' : 'float32', values });
  }
  if (offset !== data.length) throw new Error(`weight data has ${data.length - offset} bytes left over`);
  return out;
}

// ---- a small protobuf writer for the ONNX messages we need ----

function varint(n) {
  let v = BigInt.asUintN(64, BigInt(n));
  const bytes = [];
  while (v > 0x7fn) {
    bytes.push(Number((v & 0x7fn) | 0x80n));
    v >>= 7n;
  }
  bytes.push(Number(v));
  return Buffer.from(bytes);
}
const key = (field, wire) => varint((field << 3) | wire);
const num = (field, n) => Buffer.concat([key(field, 0), varint(n)]);
const bytesField = (field, buf) => Buffer.concat([key(field, 2), varint(buf.length), buf]);
const str = (field, s) => bytesField(field, Buffer.from(s, 'utf8'));
const msg = (...fields) => Buffer.concat(fields.flat());

const FLOAT = 1;
const INT64 = 7;

function tensorProto(name, dims, dataType, raw) {
  return msg(dims.map((d) => num(1, d)), num(2, dataType), str(8, name), bytesField(9, raw));
}
function floatTensor(name, dims, values) {
  const raw = Buffer.alloc(values.length * 4);
  for (let i = 0; i < values.length; i++) raw.writeFloatLE(values[i], 4 * i);
  return tensorProto(name, dims, FLOAT, raw);
}
function int64Tensor(name, dims, values) {
  const raw = Buffer.alloc(values.length * 8);
  values.forEach((v, i) => raw.writeBigInt64LE(BigInt(v), 8 * i));
  return tensorProto(name, dims, INT64, raw);
}
function attrInt(name, v) { return msg(str(1, name), num(3, v), num(20, 2)); }
function attrInts(name, vs) { return msg(str(1, name), vs.map((v) => num(8, v)), num(20, 7)); }
function nodeProto(op, inputs, outputs, name, attrs = []) {
  return msg(inputs.map((i) => str(1, i)), outputs.map((o) => str(2, o)), str(3, name), str(4, op),
    attrs.map((a) => bytesField(5, a)));
}
function valueInfo(name, dims) {
  const shape = msg(dims.map((d) => bytesField(1, typeof d === 'string' ? str(2, d) : num(1, d))));
  const tensorType = msg(num(1, FLOAT), bytesField(2, shape));
  return msg(str(1, name), bytesField(2, bytesField(1, tensorType)));
}

// ---- graph translation ----

const b64 = (s) => Buffer.from(s, 'base64').toString('utf8');
const ints = (attr, name) => ((attr[name] && attr[name].list && attr[name].list.i) || []).map(Number);

/** TF "SAME" padding for one axis: [begin, end], the extra pixel at the end as TensorFlow does. */
export function samePads(size, kernel, stride, dilation = 1) {
  const out = Math.ceil(size / stride);
  const eff = (kernel - 1) * dilation + 1;
  const total = Math.max((out - 1) * stride + eff - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/**
 * Converts the TensorFlow.js graph model in {@code dir} to ONNX bytes. Returns {bytes, features, classes, notes}.
 */
export function convert(dir) {
  const { json, specs, data } = readTfjsModel(dir);
  const weights = dequantise(specs, data);
  const nodes = new Map(json.modelTopology.node.map((n) => [n.name, n]));
  const inputs = [...nodes.values()].filter((n) => n.op === 'Placeholder');
  if (inputs.length !== 1) throw new Error(`expected one input, found ${inputs.length}`);
  const inDims = inputs[0].attr.shape.shape.dim.map((d) => Number(d.size));
  if (inDims.length !== 4 || inDims[3] !== 3) throw new Error(`input is not [N, H, W, 3]: ${inDims}`);
  const outputName = (json.userDefinedMetadata && json.userDefinedMetadata.signature
    && Object.keys(json.userDefinedMetadata.signature.outputs)[0]) || 'Identity:0';
  const outNode = nodes.get(outputName.replace(/:0$/, ''));
  if (!outNode) throw new Error(`output node ${outputName} not found`);

  // topological order from the output (node lists in model.json are not promised to be sorted)
  const order = [];
  const state = new Map();
  const stack = [[outNode.name, false]];
  while (stack.length) {
    const [name, done] = stack.pop();
    const base = name.replace(/^\^/, '').replace(/:\d+$/, '');
    if (done) { if (state.get(base) !== 2) { state.set(base, 2); order.push(nodes.get(base)); } continue; }
    if (state.has(base)) continue;
    const n = nodes.get(base);
    if (!n) throw new Error(`node ${base} is referenced but missing`);
    state.set(base, 1);
    stack.push([base, true]);
    for (const i of n.input || []) if (!i.startsWith('^')) stack.push([i, false]);
  }

  const onnxNodes = [];
  const inits = [];
  const shapes = new Map(); // TF tensor name -> NCHW spatial [H, W] for rank-4 tensors, or {rank, dims}
  const names = new Map(); // TF node -> ONNX tensor name
  let featureTensor = null;
  let classes = null;
  let counter = 0;
  const fresh = (base) => `${base}_${counter++}`;
  const constOf = (name) => {
    const w = weights.get(name.replace(/:0$/, ''));
    if (!w) throw new Error(`constant ${name} has no weight data`);
    return w;
  };
  const input = (n, i) => {
    const src = n.input[i].replace(/:0$/, '');
    if (!names.has(src)) throw new Error(`${n.name}: input ${src} was not translated`);
    return names.get(src);
  };
  const hw = (n, i) => shapes.get(n.input[i].replace(/:0$/, ''));
  const fusedTail = (n) => {
    const fused = ((n.attr.fused_ops && n.attr.fused_ops.list.s) || []).map(b64);
    if (fused[0] !== 'BiasAdd') throw new Error(`${n.name}: fused ops ${fused} (expected BiasAdd first)`);
    if (fused.length === 1) return {};
    if (fused.length > 2 || !['Relu', 'Relu6'].includes(fused[1])) {
      throw new Error(`${n.name}: unsupported fused ops ${fused}`);
    }
    return { activation: fused[1] };
  };
  const activate = (n, pre, activation) => {
    if (!activation) return pre;
    const out = fresh('act');
    if (activation === 'Relu') onnxNodes.push(nodeProto('Relu', [pre], [out], n.name + '/Relu'));
    else onnxNodes.push(nodeProto('Clip', [pre, 'clip_min', 'clip_max'], [out], n.name + '/Relu6'));
    return out;
  };
  inits.push(floatTensor('clip_min', [], [0]), floatTensor('clip_max', [], [6]));

  for (const n of order) {
    const attr = n.attr || {};
    const fmt = attr.data_format ? b64(attr.data_format.s) : 'NHWC';
    if (fmt !== 'NHWC') throw new Error(`${n.name}: data format ${fmt}`);
    switch (n.op) {
      case 'Placeholder':
        names.set(n.name, 'input');
        shapes.set(n.name, [inDims[1], inDims[2]]);
        break;
      case 'Const': {
        const w = constOf(n.name);
        if (w.shape.length === 0) { // scalars are used by element-wise ops: keep them as they are
          const t = fresh('const');
          inits.push(floatTensor(t, [], w.values));
          names.set(n.name, t);
        }
        break; // kernels and biases are re-laid out by the op that uses them
      }
      case 'Mul': case 'Sub': case 'AddV2': case 'Add': {
        const op = n.op === 'AddV2' ? 'Add' : n.op;
        const a = input(n, 0);
        const b = input(n, 1);
        const out = fresh(op.toLowerCase());
        onnxNodes.push(nodeProto(op, [a, b], [out], n.name));
        names.set(n.name, out);
        shapes.set(n.name, hw(n, 0) || hw(n, 1));
        break;
      }
      case '_FusedConv2D': case 'FusedDepthwiseConv2dNative': case 'Conv2D': case 'DepthwiseConv2dNative': {
        const depthwise = n.op.includes('Depthwise');
        const w = constOf(n.input[1]);
        const [kh, kw, cin, cout] = w.shape; // HWIO, or H W C multiplier for depthwise
        const strides = ints(attr, 'strides');
        const dil = ints(attr, 'dilations');
        const dilations = dil.length ? [dil[1], dil[2]] : [1, 1];
        const [h, wd] = hw(n, 0);
        const padding = b64(attr.padding.s);
        let pads = [0, 0, 0, 0];
        if (padding === 'SAME') {
          const ph = samePads(h, kh, strides[1], dilations[0]);
          const pw = samePads(wd, kw, strides[2], dilations[1]);
          pads = [ph[0], pw[0], ph[1], pw[1]];
        } else if (padding !== 'VALID') throw new Error(`${n.name}: padding ${padding}`);
        const outC = depthwise ? cin * cout : cout;
        const kernel = new Float32Array(w.values.length);
        // OIHW; for depthwise, output channel c*m + j takes input channel c (group = C)
        for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) for (let i = 0; i < cin; i++) {
          for (let o = 0; o < cout; o++) {
            const src = ((y * kw + x) * cin + i) * cout + o;
            const dst = depthwise ? (((i * cout + o) * kh + y) * kw + x) : (((o * cin + i) * kh + y) * kw + x);
            kernel[dst] = w.values[src];
          }
        }
        const kname = fresh('kernel');
        inits.push(floatTensor(kname, depthwise ? [outC, 1, kh, kw] : [cout, cin, kh, kw], kernel));
        const convInputs = [input(n, 0), kname];
        let activation = null;
        if (n.op.startsWith('_Fused') || n.op.startsWith('Fused')) {
          const tail = fusedTail(n);
          activation = tail.activation || null;
          const bias = constOf(n.input[2]);
          if (bias.values.length !== outC) throw new Error(`${n.name}: bias of ${bias.values.length} for ${outC}`);
          const bname = fresh('bias');
          inits.push(floatTensor(bname, [outC], bias.values));
          convInputs.push(bname);
        }
        const pre = fresh('conv');
        onnxNodes.push(nodeProto('Conv', convInputs, [pre], n.name, [
          attrInts('kernel_shape', [kh, kw]), attrInts('strides', [strides[1], strides[2]]),
          attrInts('dilations', dilations), attrInts('pads', pads), attrInt('group', depthwise ? cin : 1)]));
        names.set(n.name, activate(n, pre, activation));
        const outH = Math.floor((h + pads[0] + pads[2] - ((kh - 1) * dilations[0] + 1)) / strides[1]) + 1;
        const outW = Math.floor((wd + pads[1] + pads[3] - ((kw - 1) * dilations[1] + 1)) / strides[2]) + 1;
        shapes.set(n.name, [outH, outW]);
        break;
      }
      case 'AvgPool': {
        const k = ints(attr, 'ksize');
        const s = ints(attr, 'strides');
        const [h, wd] = hw(n, 0);
        if (b64(attr.padding.s) !== 'VALID') throw new Error(`${n.name}: only VALID average pooling is translated`);
        const out = fresh('pool');
        onnxNodes.push(nodeProto('AveragePool', [input(n, 0)], [out], n.name, [
          attrInts('kernel_shape', [k[1], k[2]]), attrInts('strides', [s[1], s[2]])]));
        names.set(n.name, out);
        shapes.set(n.name, [Math.floor((h - k[1]) / s[1]) + 1, Math.floor((wd - k[2]) / s[2]) + 1]);
        break;
      }
      case 'Squeeze': {
        const dims = ints(attr, 'squeeze_dims');
        // NHWC axes 1, 2 are NCHW axes 2, 3
        const map = { 1: 2, 2: 3, 3: 1, 0: 0 };
        if (!dims.length || !hw(n, 0)) throw new Error(`${n.name}: only squeezing given axes of an image is translated`);
        const axes = fresh('axes');
        inits.push(int64Tensor(axes, [dims.length], dims.map((d) => map[d])));
        const out = fresh('squeeze');
        onnxNodes.push(nodeProto('Squeeze', [input(n, 0), axes], [out], n.name));
        names.set(n.name, out);
        break;
      }
      case '_FusedMatMul': case 'MatMul': {
        if (attr.transpose_a && attr.transpose_a.b) throw new Error(`${n.name}: transpose_a`);
        const w = constOf(n.input[1]);
        const transB = attr.transpose_b && attr.transpose_b.b ? 1 : 0;
        featureTensor = input(n, 0);
        const kname = fresh('weights');
        inits.push(floatTensor(kname, w.shape, w.values));
        const gemmInputs = [featureTensor, kname];
        let activation = null;
        if (n.op === '_FusedMatMul') {
          activation = fusedTail(n).activation || null;
          const bias = constOf(n.input[2]);
          const bname = fresh('bias');
          inits.push(floatTensor(bname, [bias.values.length], bias.values));
          gemmInputs.push(bname);
        }
        classes = transB ? w.shape[0] : w.shape[1];
        const pre = fresh('gemm');
        onnxNodes.push(nodeProto('Gemm', gemmInputs, [pre], n.name, [attrInt('transB', transB)]));
        names.set(n.name, activate(n, pre, activation));
        break;
      }
      case 'Softmax': {
        const out = fresh('softmax');
        onnxNodes.push(nodeProto('Softmax', [input(n, 0)], [out], n.name, [attrInt('axis', -1)]));
        names.set(n.name, out);
        break;
      }
      case 'Identity':
        names.set(n.name, input(n, 0));
        break;
      default:
        throw new Error(`${n.name}: op ${n.op} is not translated`);
    }
  }
  if (!featureTensor) throw new Error('no MatMul head found: cannot tell the feature layer');
  const features = specs.find((s) => s.name === order.find((n) => n.op === '_FusedMatMul' || n.op === 'MatMul').input[1]
    .replace(/:0$/, '')).shape[0];
  // the two graph outputs, under stable names
  onnxNodes.push(nodeProto('Identity', [featureTensor], ['features'], 'features'));
  onnxNodes.push(nodeProto('Identity', [names.get(outNode.name)], ['probabilities'], 'probabilities'));
  const graph = msg(onnxNodes.map((nd) => bytesField(1, nd)), str(2, 'tfjs2onnx'),
    inits.map((t) => bytesField(5, t)),
    bytesField(11, valueInfo('input', ['N', 3, inDims[1], inDims[2]])),
    bytesField(12, valueInfo('features', ['N', features])),
    bytesField(12, valueInfo('probabilities', ['N', classes])));
  const model = msg(num(1, 8), str(2, 'nmodal-tfjs2onnx'), str(3, '1'), bytesField(7, graph),
    bytesField(8, msg(str(1, ''), num(2, 13))));
  return { bytes: model, features, classes, size: [inDims[1], inDims[2]], nodes: onnxNodes.length };
}

/** The ONNX writing helpers, shared with the Keras layers-model converter (keras2onnx.mjs). */
export const onnx = { num, str, bytesField, msg, floatTensor, int64Tensor, attrInt, attrInts, nodeProto, valueInfo };
