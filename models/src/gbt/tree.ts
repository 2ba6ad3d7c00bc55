/**
 * A gradient-boosted tree ensemble for binary classification, in the shape ONNX's
 * ai.onnx.ml TreeEnsembleClassifier holds it: split thresholds are float32 (Math.fround) and a
 * sample goes left when `x ≤ threshold` (mode BRANCH_LEQ), so the TypeScript model and its ONNX
 * export take the same path for the same float32 input.
 */
export type TreeNode =
  | { readonly leaf: true; readonly value: number }
  | { readonly leaf: false; readonly feature: number; readonly threshold: number; readonly left: TreeNode; readonly right: TreeNode; readonly gain: number };

export interface GbtModel {
  /** Log-odds before any tree. */
  readonly base: number;
  /** Each leaf value already includes the learning rate. */
  readonly trees: readonly TreeNode[];
  readonly featureCount: number;
}

/** The log-odds of one sample (float32 features). */
export function margin(model: GbtModel, x: ArrayLike<number>): number {
  let m = model.base;
  for (const tree of model.trees) m += leafValue(tree, x);
  return m;
}

function leafValue(node: TreeNode, x: ArrayLike<number>): number {
  let n = node;
  while (!n.leaf) n = Math.fround(x[n.feature] ?? 0) <= n.threshold ? n.left : n.right;
  return n.value;
}

export const sigmoid = (m: number) => 1 / (1 + Math.exp(-m));

/** The probability of the positive class: the TypeScript reference the ONNX export must reproduce. */
export function predictProba(model: GbtModel, x: ArrayLike<number>): number {
  return sigmoid(margin(model, x));
}

/** Total split gain per feature, normalised to sum 1: the importance a manifest records. */
export function featureImportance(model: GbtModel): number[] {
  const gain = new Array<number>(model.featureCount).fill(0);
  const walk = (n: TreeNode) => {
    if (n.leaf) return;
    gain[n.feature] = (gain[n.feature] ?? 0) + n.gain;
    walk(n.left);
    walk(n.right);
  };
  model.trees.forEach(walk);
  const total = gain.reduce((a, b) => a + b, 0);
  return gain.map((g) => (total > 0 ? g / total : 0));
}
