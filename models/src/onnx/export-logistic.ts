import { lwError } from '@liftwatch/contract';
import onnxProto from 'onnx-proto';
import type { LogisticModel } from '../gbt/logistic.js';

const { onnx } = onnxProto;

/**
 * The logistic regression as a plain ONNX graph with the same input and outputs as the tree
 * export (onnx/export.ts), so that the registry, the golden check and the scorer read it the same
 * way: input `features` float[N, F], outputs `label` int64[N] and `probabilities` float[N, 2]
 * ([1 − p, p]).
 *
 * Each feature is first clipped to its range in the fit rows (Max against `low`, then Min against
 * `high`, [1, F] constants broadcast over the rows), as predictLogistic does, so that a lift far
 * outside the training rows is scored as at their edge. The standardisation is folded into the
 * weights: σ(b + Σ wⱼ(cⱼ − μⱼ)/σⱼ) = σ(b′ + Σ w′ⱼcⱼ) with w′ⱼ = wⱼ/σⱼ and b′ = b − Σ wⱼμⱼ/σⱼ
 * (computed in double, stored as float), so the rest of the graph is MatMul, Add and Sigmoid. Column 0 is σ(−z) rather than 1 − σ(z), which keeps its precision
 * where p is near 1. Core operators only (opset 17): any onnxruntime runs it.
 */
export function exportLogisticOnnx(model: LogisticModel, meta: { name: string; version: string }): Uint8Array {
  const F = model.weights.length;
  const w = model.weights.map((wj, j) => wj / model.std[j]!);
  const b = model.weights.reduce((s, wj, j) => s - (wj * model.mean[j]!) / model.std[j]!, model.bias);
  // float32 is what the graph stores: a term that overflows it would make every score NaN
  const wrong = w.flatMap((wj, j) => (Number.isFinite(Math.fround(wj)) && Number.isFinite(model.low[j]) && Number.isFinite(model.high[j]) ? [] : [j]));
  if (wrong.length > 0 || !Number.isFinite(Math.fround(b))) {
    throw lwError('LW_ERR_MODEL_INVALID', `${meta.name} ${meta.version}: the logistic regression's ${wrong.length > 0 ? `weight of feature column${wrong.length > 1 ? 's' : ''} ${wrong.join(', ')} (weight / spread)` : 'bias'} does not fit in float32; the feature's spread in the fit rows is too small to standardise by: refit with that feature left out`);
  }
  const FLOAT = onnx.TensorProto.DataType.FLOAT;
  const INT64 = onnx.TensorProto.DataType.INT64;
  const floats = (name: string, dims: number[], values: number[]) => onnx.TensorProto.create({ name, dataType: FLOAT, dims, floatData: values });
  const node = (opType: string, input: string[], output: [string], attribute: onnxProto.onnx.IAttributeProto[] = []) =>
    onnx.NodeProto.create({ opType, name: output[0], input, output, attribute });
  const T = onnx.AttributeProto.AttributeType;
  const tensor = (name: string, elemType: number, dims: (number | string)[]) => onnx.ValueInfoProto.create({
    name,
    type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
  });
  const m = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'liftwatch-models',
    modelVersion: 1,
    docString: `${meta.name} ${meta.version} (logistic regression)`,
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: meta.name,
      initializer: [
        floats('low', [1, F], [...model.low]),
        floats('high', [1, F], [...model.high]),
        floats('weights', [F, 1], w),
        floats('bias', [1], [b]),
        floats('zero', [1], [0]),
        onnx.TensorProto.create({ name: 'rows', dataType: INT64, dims: [1], int64Data: [-1] }),
      ],
      node: [
        node('Max', ['features', 'low'], ['aboveLow']),
        node('Min', ['aboveLow', 'high'], ['clipped']),
        node('MatMul', ['clipped', 'weights'], ['weighted']),
        node('Add', ['weighted', 'bias'], ['logit']),
        node('Sigmoid', ['logit'], ['p1']),
        node('Neg', ['logit'], ['negLogit']),
        node('Sigmoid', ['negLogit'], ['p0']),
        node('Concat', ['p0', 'p1'], ['probabilities'], [onnx.AttributeProto.create({ name: 'axis', type: T.INT, i: 1 })]),
        node('Greater', ['logit', 'zero'], ['positive']),
        node('Cast', ['positive'], ['positiveInt'], [onnx.AttributeProto.create({ name: 'to', type: T.INT, i: INT64 })]),
        node('Reshape', ['positiveInt', 'rows'], ['label']),
      ],
      input: [tensor('features', FLOAT, ['N', F])],
      output: [tensor('label', INT64, ['N']), tensor('probabilities', FLOAT, ['N', 2])],
    },
  });
  return onnx.ModelProto.encode(m).finish();
}
