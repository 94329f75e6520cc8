// nmodal's converter from a TensorFlow.js *layers* model (a Keras functional model as nsfwjs ships its
// inception_v3 and mobilenet_v2: model JSON and base64 weight shards in JavaScript files) to ONNX, beside
// tfjs2onnx.mjs for graph models. Same layout and outputs: NCHW input "input" [N, 3, H, W] with values in [0, 1],
// "features" (the input of the first Dense layer: the pooled feature below the small head) and "probabilities".
//
// Only the layer types these models use are translated; anything else stops the conversion with its name.

import { dequantise, loadModuleFile, onnx, samePads } from './tfjs2onnx.mjs';

const { num, str, bytesField, msg, floatTensor, int64Tensor, attrInt, attrInts, nodeProto, valueInfo } = onnx;

/** Reads a layers model folder: the Keras model config, and the weights by name. */
export function readLayersModel(dir) {
  const json = loadModuleFile(`${dir}/model.min.js`);
  const topology = json && json.modelTopology;
  const config = topology && (topology.model_config || topology);
  if (!config || !config.config || !Array.isArray(config.config.layers) || !json.weightsManifest) {
    throw new Error(`${dir}/model.min.js: not a TensorFlow.js layers model`);
  }
  const parts = [];
  const specs = [];
  for (const group of json.weightsManifest) {
    for (const path of group.paths) {
      const b64 = loadModuleFile(`${dir}/${path}.min.js`);
      if (typeof b64 !== 'string') throw new Error(`${dir}/${path}.min.js: expected a base64 string`);
      parts.push(Buffer.from(b64, 'base64'));
    }
    specs.push(...group.weights);
  }
  return { config: config.config, weights: dequantise(specs, Buffer.concat(parts)) };
}

const pair = (v) => (Array.isArray(v) ? v : [v, v]);

/** Converts the layers model in {@code dir} to ONNX bytes. Returns {bytes, features, classes, size, nodes}. */
export function convertLayers(dir) {
  const { config, weights } = readLayersModel(dir);
  const layers = config.layers;
  const byName = new Map(layers.map((l) => [l.name, l]));
  const inputName = config.input_layers[0][0];
  const outputName = config.output_layers[0][0];
  const inShape = byName.get(inputName).config.batch_input_shape;
  if (inShape.length !== 4 || inShape[3] !== 3) throw new Error(`input is not [N, H, W, 3]: ${inShape}`);
  const used = new Set();
  const weight = (layer, param, required = true) => {
    const w = weights.get(`${layer}/${param}`);
    if (!w && required) throw new Error(`${layer}: no weight ${param}`);
    if (w) used.add(`${layer}/${param}`);
    return w;
  };

  const nodes = [];
  const inits = [];
  let clipped = false; // the ReLU6 bounds are added only when some layer uses them (ONNX Runtime warns otherwise)
  const tensors = new Map(); // layer -> {name, h, w, c} (spatial) or {name, flat: n}
  let counter = 0;
  const fresh = (base) => `${base}_${counter++}`;
  let features = null;
  let classes = null;

  const activation = (layer, pre, kind) => {
    if (!kind || kind === 'linear') return pre;
    const out = fresh(kind);
    if (kind === 'relu') nodes.push(nodeProto('Relu', [pre], [out], `${layer}/relu`));
    else if (kind === 'softmax') nodes.push(nodeProto('Softmax', [pre], [out], `${layer}/softmax`, [attrInt('axis', -1)]));
    else throw new Error(`${layer}: activation ${kind} is not translated`);
    return out;
  };
  const spatialPads = (padding, h, w, kh, kw, sh, sw, dh = 1, dw = 1) => {
    if (padding === 'valid') return [0, 0, 0, 0];
    if (padding !== 'same') throw new Error(`padding ${padding}`);
    const ph = samePads(h, kh, sh, dh);
    const pw = samePads(w, kw, sw, dw);
    return [ph[0], pw[0], ph[1], pw[1]];
  };
  const outSize = (size, k, s, p0, p1, d = 1) => Math.floor((size + p0 + p1 - ((k - 1) * d + 1)) / s) + 1;

  // Keras lists a functional model's layers in an order where every input comes first
  for (const layer of layers) {
    const c = layer.config;
    const ins = (layer.inbound_nodes[0] || []).map((n) => {
      const t = tensors.get(n[0]);
      if (!t) throw new Error(`${layer.name}: input ${n[0]} was not translated`);
      return t;
    });
    const x = ins[0];
    if (c.data_format && c.data_format !== 'channels_last') throw new Error(`${layer.name}: ${c.data_format}`);
    switch (layer.class_name) {
      case 'InputLayer':
        tensors.set(layer.name, { name: 'input', h: inShape[1], w: inShape[2], c: 3 });
        break;
      case 'ZeroPadding2D': {
        const [[t, b], [l, r]] = c.padding.map(pair);
        const pads = fresh('pads');
        inits.push(int64Tensor(pads, [8], [0, 0, t, l, 0, 0, b, r]));
        const out = fresh('pad');
        nodes.push(nodeProto('Pad', [x.name, pads], [out], layer.name));
        tensors.set(layer.name, { name: out, h: x.h + t + b, w: x.w + l + r, c: x.c });
        break;
      }
      case 'Conv2D': case 'DepthwiseConv2D': {
        const depthwise = layer.class_name === 'DepthwiseConv2D';
        const k = weight(layer.name, depthwise ? 'depthwise_kernel' : 'kernel');
        const [kh, kw, cin, cm] = k.shape; // HWIO, or H W C multiplier
        const [sh, sw] = pair(c.strides);
        const [dh, dw] = pair(c.dilation_rate || 1);
        const pads = spatialPads(c.padding, x.h, x.w, kh, kw, sh, sw, dh, dw);
        const outC = depthwise ? cin * cm : cm;
        const kernel = new Float32Array(k.values.length);
        for (let y = 0; y < kh; y++) for (let xx = 0; xx < kw; xx++) for (let i = 0; i < cin; i++) {
          for (let o = 0; o < cm; o++) {
            const src = ((y * kw + xx) * cin + i) * cm + o;
            const dst = depthwise ? (((i * cm + o) * kh + y) * kw + xx) : (((o * cin + i) * kh + y) * kw + xx);
            kernel[dst] = k.values[src];
          }
        }
        const kname = fresh('kernel');
        inits.push(floatTensor(kname, depthwise ? [outC, 1, kh, kw] : [cm, cin, kh, kw], kernel));
        const convIn = [x.name, kname];
        if (c.use_bias) {
          const bias = weight(layer.name, 'bias');
          const bname = fresh('bias');
          inits.push(floatTensor(bname, [outC], bias.values));
          convIn.push(bname);
        }
        const pre = fresh('conv');
        nodes.push(nodeProto('Conv', convIn, [pre], layer.name, [
          attrInts('kernel_shape', [kh, kw]), attrInts('strides', [sh, sw]), attrInts('dilations', [dh, dw]),
          attrInts('pads', pads), attrInt('group', depthwise ? cin : 1)]));
        tensors.set(layer.name, { name: activation(layer.name, pre, c.activation), c: outC,
          h: outSize(x.h, kh, sh, pads[0], pads[2], dh), w: outSize(x.w, kw, sw, pads[1], pads[3], dw) });
        break;
      }
      case 'BatchNormalization': {
        if (c.axis !== -1 && c.axis !== 3) throw new Error(`${layer.name}: normalises axis ${c.axis}`);
        const n = x.c;
        const ones = new Float32Array(n).fill(1);
        const zeros = new Float32Array(n);
        const gamma = c.scale === false ? ones : weight(layer.name, 'gamma').values;
        const beta = c.center === false ? zeros : weight(layer.name, 'beta').values;
        const names = ['scale', 'b', 'mean', 'var'].map((s) => fresh(s));
        [gamma, beta, weight(layer.name, 'moving_mean').values, weight(layer.name, 'moving_variance').values]
          .forEach((v, i) => inits.push(floatTensor(names[i], [n], v)));
        const out = fresh('bn');
        nodes.push(nodeProto('BatchNormalization', [x.name, ...names], [out], layer.name,
          [msg(str(1, 'epsilon'), Buffer.concat([Buffer.from([0x15]), floatLE(c.epsilon)]), num(20, 1))]));
        tensors.set(layer.name, { ...x, name: out });
        break;
      }
      case 'Activation':
        tensors.set(layer.name, { ...x, name: activation(layer.name, x.name, c.activation) });
        break;
      case 'ReLU': {
        if ((c.negative_slope || 0) !== 0 || (c.threshold || 0) !== 0) throw new Error(`${layer.name}: leaky ReLU`);
        const out = fresh('relu');
        if (c.max_value === 6) {
          clipped = true;
          nodes.push(nodeProto('Clip', [x.name, 'clip_min', 'clip_max'], [out], layer.name));
        }
        else if (c.max_value == null) nodes.push(nodeProto('Relu', [x.name], [out], layer.name));
        else throw new Error(`${layer.name}: ReLU capped at ${c.max_value}`);
        tensors.set(layer.name, { ...x, name: out });
        break;
      }
      case 'MaxPooling2D': case 'AveragePooling2D': {
        const [kh, kw] = pair(c.pool_size);
        const [sh, sw] = pair(c.strides || c.pool_size);
        const pads = spatialPads(c.padding, x.h, x.w, kh, kw, sh, sw);
        const out = fresh('pool');
        // TensorFlow's "same" average pooling divides by the pixels inside the image: count_include_pad 0
        nodes.push(nodeProto(layer.class_name === 'MaxPooling2D' ? 'MaxPool' : 'AveragePool', [x.name], [out],
          layer.name, [attrInts('kernel_shape', [kh, kw]), attrInts('strides', [sh, sw]), attrInts('pads', pads)]));
        tensors.set(layer.name, { name: out, c: x.c, h: outSize(x.h, kh, sh, pads[0], pads[2]),
          w: outSize(x.w, kw, sw, pads[1], pads[3]) });
        break;
      }
      case 'Add': {
        const out = fresh('add');
        nodes.push(nodeProto('Add', ins.map((t) => t.name), [out], layer.name));
        tensors.set(layer.name, { ...x, name: out });
        break;
      }
      case 'Concatenate': {
        if (c.axis !== -1 && c.axis !== 3) throw new Error(`${layer.name}: concatenates axis ${c.axis}`);
        const out = fresh('concat');
        nodes.push(nodeProto('Concat', ins.map((t) => t.name), [out], layer.name, [attrInt('axis', 1)]));
        tensors.set(layer.name, { ...x, name: out, c: ins.reduce((a, t) => a + t.c, 0) });
        break;
      }
      case 'Flatten': {
        // Keras flattens in H, W, C order: transpose back to NHWC first unless the map is 1 x 1
        let src = x.name;
        if (x.h !== 1 || x.w !== 1) {
          src = fresh('nhwc');
          nodes.push(nodeProto('Transpose', [x.name], [src], `${layer.name}/nhwc`, [attrInts('perm', [0, 2, 3, 1])]));
        }
        const out = fresh('flat');
        nodes.push(nodeProto('Flatten', [src], [out], layer.name, [attrInt('axis', 1)]));
        tensors.set(layer.name, { name: out, flat: x.h * x.w * x.c });
        break;
      }
      case 'Dense': {
        if (x.flat == null) throw new Error(`${layer.name}: Dense on an unflattened map`);
        const k = weight(layer.name, 'kernel');
        if (features == null) features = { name: x.name, size: x.flat };
        const kname = fresh('weights');
        inits.push(floatTensor(kname, k.shape, k.values));
        const gemmIn = [x.name, kname];
        if (c.use_bias) {
          const bname = fresh('bias');
          inits.push(floatTensor(bname, [k.shape[1]], weight(layer.name, 'bias').values));
          gemmIn.push(bname);
        }
        const pre = fresh('gemm');
        nodes.push(nodeProto('Gemm', gemmIn, [pre], layer.name));
        classes = k.shape[1];
        tensors.set(layer.name, { name: activation(layer.name, pre, c.activation), flat: k.shape[1] });
        break;
      }
      case 'Dropout':
        tensors.set(layer.name, x);
        break;
      default:
        throw new Error(`${layer.name}: layer ${layer.class_name} is not translated`);
    }
  }
  if (clipped) inits.push(floatTensor('clip_min', [], [0]), floatTensor('clip_max', [], [6]));
  const unused = [...weights.keys()].filter((k) => !used.has(k));
  if (unused.length) throw new Error(`weights not used by any layer: ${unused.slice(0, 5).join(', ')}`);
  if (!features) throw new Error('no Dense head found: cannot tell the feature layer');
  nodes.push(nodeProto('Identity', [features.name], ['features'], 'features'));
  nodes.push(nodeProto('Identity', [tensors.get(outputName).name], ['probabilities'], 'probabilities'));
  const graph = msg(nodes.map((nd) => bytesField(1, nd)), str(2, 'keras2onnx'), inits.map((t) => bytesField(5, t)),
    bytesField(11, valueInfo('input', ['N', 3, inShape[1], inShape[2]])),
    bytesField(12, valueInfo('features', ['N', features.size])),
    bytesField(12, valueInfo('probabilities', ['N', classes])));
  const model = msg(num(1, 8), str(2, 'nmodal-keras2onnx'), str(3, '1'), bytesField(7, graph),
    bytesField(8, msg(str(1, ''), num(2, 13))));
  return { bytes: model, features: features.size, classes, size: [inShape[1], inShape[2]], nodes: nodes.length };
}

function floatLE(v) {
  const b = Buffer.alloc(4);
  b.writeFloatLE(v, 0);
  return b;
}
