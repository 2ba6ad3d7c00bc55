import onnxProto from 'onnx-proto';
import type { GbtModel, TreeNode } from '../gbt/tree.js';

const { onnx } = onnxProto;

/** Flat node arrays of ai.onnx.ml TreeEnsembleClassifier (ONNX operator spec, opset ai.onnx.ml 1). */
interface Flat {
  treeIds: number[]; nodeIds: number[]; featureIds: number[]; values: number[]; modes: string[];
  trueIds: number[]; falseIds: number[];
  wTree: number[]; wNode: number[]; wClass: number[]; wWeight: number[];
}

/**
 * The model as an ONNX ai.onnx.ml TreeEnsembleClassifier: input `features` float[N, F], outputs
 * `label` int64[N] and `probabilities` float[N, 2]. One weight column (class id 0) with
 * post_transform LOGISTIC: onnxruntime returns [1 − p, p] for binary classifiers with a single
 * weight column, so the positive-class probability is column 1.
 */
export function exportOnnx(model: GbtModel, meta: { name: string; version: string }): Uint8Array {
  const f = flatten(model);
  const attr = (name: string, value: NonNullable<Parameters<typeof onnx.AttributeProto.create>[0]>) => onnx.AttributeProto.create({ name, ...value });
  const T = onnx.AttributeProto.AttributeType;
  const node = onnx.NodeProto.create({
    opType: 'TreeEnsembleClassifier', domain: 'ai.onnx.ml', name: 'gbt', input: ['features'], output: ['label', 'probabilities'],
    attribute: [
      attr('nodes_treeids', { type: T.INTS, ints: f.treeIds }),
      attr('nodes_nodeids', { type: T.INTS, ints: f.nodeIds }),
      attr('nodes_featureids', { type: T.INTS, ints: f.featureIds }),
      attr('nodes_values', { type: T.FLOATS, floats: f.values }),
      attr('nodes_modes', { type: T.STRINGS, strings: f.modes.map((m) => new TextEncoder().encode(m)) }),
      attr('nodes_truenodeids', { type: T.INTS, ints: f.trueIds }),
      attr('nodes_falsenodeids', { type: T.INTS, ints: f.falseIds }),
      attr('class_treeids', { type: T.INTS, ints: f.wTree }),
      attr('class_nodeids', { type: T.INTS, ints: f.wNode }),
      attr('class_ids', { type: T.INTS, ints: f.wClass }),
      attr('class_weights', { type: T.FLOATS, floats: f.wWeight }),
      attr('classlabels_int64s', { type: T.INTS, ints: [0, 1] }),
      attr('base_values', { type: T.FLOATS, floats: [model.base] }),
      attr('post_transform', { type: T.STRING, s: new TextEncoder().encode('LOGISTIC') }),
    ],
  });
  const tensor = (name: string, elemType: number, dims: (number | string)[]) => onnx.ValueInfoProto.create({
    name,
    type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
  });
  const FLOAT = onnx.TensorProto.DataType.FLOAT;
  const INT64 = onnx.TensorProto.DataType.INT64;
  const m = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'liftwatch-models',
    modelVersion: 1,
    docString: `${meta.name} ${meta.version}`,
    opsetImport: [{ domain: '', version: 17 }, { domain: 'ai.onnx.ml', version: 3 }],
    graph: {
      name: meta.name,
      node: [node],
      input: [tensor('features', FLOAT, ['N', model.featureCount])],
      output: [tensor('label', INT64, ['N']), tensor('probabilities', FLOAT, ['N', 2])],
    },
  });
  return onnx.ModelProto.encode(m).finish();
}

function flatten(model: GbtModel): Flat {
  const f: Flat = { treeIds: [], nodeIds: [], featureIds: [], values: [], modes: [], trueIds: [], falseIds: [], wTree: [], wNode: [], wClass: [], wWeight: [] };
  model.trees.forEach((tree, t) => {
    let next = 0;
    const visit = (n: TreeNode): number => {
      const id = next++;
      const at = f.nodeIds.length;
      f.treeIds.push(t); f.nodeIds.push(id);
      f.featureIds.push(n.leaf ? 0 : n.feature);
      f.values.push(n.leaf ? 0 : n.threshold);
      f.modes.push(n.leaf ? 'LEAF' : 'BRANCH_LEQ');
      f.trueIds.push(0); f.falseIds.push(0);
      if (n.leaf) {
        f.wTree.push(t); f.wNode.push(id); f.wClass.push(0); f.wWeight.push(n.value);
      } else {
        f.trueIds[at] = visit(n.left);
        f.falseIds[at] = visit(n.right);
      }
      return id;
    };
    visit(tree);
  });
  return f;
}
