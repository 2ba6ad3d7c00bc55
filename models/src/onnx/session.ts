import * as ort from 'onnxruntime-node';

/** A loaded ONNX classifier: one `session.run` per call, for a whole batch of rows. */
export interface OnnxClassifier {
  readonly featureCount: number;
  /** Positive-class probabilities of `rows` rows packed row-major in `x` (rows × featureCount). */
  run(x: Float32Array, rows: number): Promise<Float32Array>;
  /** The raw session, for the benchmark's wrapper-cost comparison. */
  readonly session: ort.InferenceSession;
  close(): Promise<void>;
}

/** Open an exported classifier (trees, onnx/export.ts, or a logistic regression, onnx/export-logistic.ts: the same input and outputs) in onnxruntime-node (CPU, one intra-op thread: serving runs beside ingest). */
export async function openOnnxClassifier(bytes: Uint8Array, featureCount: number): Promise<OnnxClassifier> {
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1, executionProviders: ['cpu'] });
  return {
    featureCount,
    session,
    async run(x, rows) {
      const out = await session.run({ features: new ort.Tensor('float32', x, [rows, featureCount]) }, ['probabilities']);
      const probs = out.probabilities!.data as Float32Array;
      const p = new Float32Array(rows);
      for (let i = 0; i < rows; i++) p[i] = probs[2 * i + 1]!; // column 1 = class 1 (see exportOnnx)
      return p;
    },
    close: () => session.release(),
  };
}

/**
 * `c` fed rows of `width` features (the running feature code's vector) of which it reads the first
 * `c.featureCount`: a model of an earlier feature version whose features are the first ones of the
 * vector in the same order (features/definition.ts, EARLIER_FEATURE_VERSIONS). `c` itself when the
 * widths are the same.
 */
export function readingFirstColumns(c: OnnxClassifier, width: number): OnnxClassifier {
  const n = c.featureCount;
  if (width === n) return c;
  if (width < n) throw new Error(`readingFirstColumns: rows of ${width} features cannot feed a model of ${n}`);
  return {
    featureCount: width,
    session: c.session,
    run(x, rows) {
      const own = new Float32Array(rows * n);
      for (let i = 0; i < rows; i++) own.set(x.subarray(i * width, i * width + n), i * n);
      return c.run(own, rows);
    },
    close: () => c.close(),
  };
}
