import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EARLIER_FEATURE_VERSIONS, FEATURE_NAMES, featureFingerprint } from '../src/features/definition.js';
import { trainGbt } from '../src/gbt/train.js';
import { predictProba } from '../src/gbt/tree.js';
import { predictLogistic, trainLogistic } from '../src/gbt/logistic.js';
import { exportOnnx } from '../src/onnx/export.js';
import { exportLogisticOnnx } from '../src/onnx/export-logistic.js';
import { openOnnxClassifier } from '../src/onnx/session.js';
import { prng } from '../src/train/prng.js';
import { createRegistry } from '../src/registry/registry.js';
import { checkPublished } from '../src/train/publish.js';
import { fixtureRegistry } from './fixtures.js';

let fx: ReturnType<typeof fixtureRegistry>;
beforeAll(() => { fx = fixtureRegistry(); }, 60_000);
afterAll(() => fx.remove());

const editManifest = (dir: string, edit: (m: Record<string, unknown>) => void) => {
  const p = join(dir, 'manifest.json');
  const m = JSON.parse(readFileSync(p, 'utf8'));
  edit(m);
  writeFileSync(p, JSON.stringify(m));
};

describe('ONNX export', () => {
  it('onnxruntime-node gives the TypeScript model\'s outputs for a batch', async () => {
    const r = prng(9);
    const x = Array.from({ length: 400 }, () => Float32Array.from({ length: 6 }, () => r.normal()));
    const y = x.map((v) => (v[0]! - v[3]! > 0.5 ? 1 : 0));
    const m = trainGbt(x, y, { rounds: 25, maxDepth: 4 });
    const c = await openOnnxClassifier(exportOnnx(m, { name: 't', version: '1' }), 6);
    const flat = new Float32Array(x.length * 6);
    x.forEach((v, i) => flat.set(v, i * 6));
    const p = await c.run(flat, x.length);
    x.forEach((v, i) => expect(Math.abs(p[i]! - predictProba(m, v))).toBeLessThan(1e-5));
    await c.close();
  });

  it('a logistic regression exports with its clipping and standardisation folded in: onnxruntime-node gives predictLogistic\'s outputs, inside and far outside the fit rows\' range', async () => {
    const r = prng(4);
    // features of unlike scales and offsets, as the real ones are (mm, days, shares); the last is
    // all but constant, as door trouble is in the traction rows (non-zero on 1 row in 400)
    const x = Array.from({ length: 400 }, (_, i) => Float32Array.from({ length: 6 }, (_, j) => (j === 5 ? (i === 7 ? 0.001 : 0) : r.normal() * 10 ** (j - 1) + 50 * j)));
    const y = x.map((v) => (v[1]! - 50 - (v[3]! - 150) / 100 + r.normal() > 0 ? 1 : 0));
    const m = trainLogistic(x, y, { lambda: 1 });
    expect(m.weights[5]).toBe(0); // constant but for the tails: no weight
    const c = await openOnnxClassifier(exportLogisticOnnx(m, { name: 't', version: '1' }), 6);
    // the fit rows, then rows with one feature 100 spreads below or above its range
    const far = x.slice(0, 60).map((v, i) => { const o = Float32Array.from(v); const j = i % 6; o[j] = (i % 12 < 6 ? -1 : 1) * 100 * 10 ** (j - 1) + 50 * j; return o; });
    const rows = [...x, ...far];
    const flat = new Float32Array(rows.length * 6);
    rows.forEach((v, i) => flat.set(v, i * 6));
    const p = await c.run(flat, rows.length);
    const expected = rows.map((v) => predictLogistic(m, v));
    expect(Math.min(...expected)).toBeLessThan(0.05); // both classes are fitted, not a constant
    expect(Math.max(...expected)).toBeGreaterThan(0.95);
    rows.forEach((v, i) => expect(Math.abs(p[i]! - expected[i]!)).toBeLessThan(1e-5));
    // the same outputs the tree export has: a label per row and [1 − p, p]
    const out = await c.session.run({ features: new ort.Tensor('float32', flat.subarray(0, 18), [3, 6]) });
    expect(out.label!.dims).toEqual([3]);
    expect(out.probabilities!.dims).toEqual([3, 2]);
    const probs = out.probabilities!.data as Float32Array;
    for (let i = 0; i < 3; i++) {
      expect(probs[2 * i]! + probs[2 * i + 1]!).toBeCloseTo(1, 6);
      expect(Number((out.label!.data as BigInt64Array)[i])).toBe(expected[i]! > 0.5 ? 1 : 0);
    }
    await c.close();
  });

  it('a feature that spans only float32 denormals gets no weight, so the graph gives the TypeScript scores, not NaN; an overflowing term is refused at export', async () => {
    const r = prng(11);
    // column 2 is a running mean decayed to 10⁻⁴³ on some rows: a range, but nothing to standardise by
    const x = Array.from({ length: 400 }, (_, i) => Float32Array.from([r.normal(), r.normal(), i % 3 === 0 ? 1.6e-43 : 0]));
    const y = x.map((v) => (v[0]! + 0.5 * r.normal() > 0 ? 1 : 0));
    const m = trainLogistic(x, y, { lambda: 1, tail: 0 });
    expect(m.high[2]).toBeGreaterThan(0);
    expect(m.weights[2]).toBe(0);
    const c = await openOnnxClassifier(exportLogisticOnnx(m, { name: 't', version: '1' }), 3);
    const flat = new Float32Array(x.length * 3);
    x.forEach((v, i) => flat.set(v, i * 3));
    const p = await c.run(flat, x.length);
    x.forEach((v, i) => expect(Math.abs(p[i]! - predictLogistic(m, v))).toBeLessThan(1e-5));
    await c.close();
    // the same regression with a weight on that column, as it was fitted before: refused, naming the column
    const overflowing = { ...m, weights: [m.weights[0]!, m.weights[1]!, -2], std: [m.std[0]!, m.std[1]!, 1.6e-44] };
    expect(() => exportLogisticOnnx(overflowing, { name: 'traction-ropes', version: '9' })).toThrow(/traction-ropes 9: .*feature column 2 .*does not fit in float32/);
  });
});

describe('registry', () => {
  it('loads every family\'s model and its golden outputs reproduce', async () => {
    expect(fx.registry.ids()).toEqual(['brake', 'door-system', 'drive-thermal', 'guides-ride', 'traction-ropes']);
    const m = await fx.registry.load('door-system');
    expect(m.version).toBe('1');
    expect(m.manifest.featureNames).toEqual(FEATURE_NAMES);
    expect(m.manifest.training.source).toBe('test fixture');
    await m.classifier.close();
  });

  it('refuses a model whose manifest does not match the feature code, naming the difference', async () => {
    const dir = join(fx.dir, 'brake', '7');
    cpSync(join(fx.dir, 'brake', '1'), dir, { recursive: true });
    editManifest(dir, (m) => { m.featureNames = [...FEATURE_NAMES.slice(0, -1), 'doorSpeedMps']; });
    await expect(fx.registry.load('brake', '7')).rejects.toMatchObject({ code: 'LW_ERR_MODEL_FEATURE_MISMATCH', message: expect.stringMatching(new RegExp(`missing from the model: ${FEATURE_NAMES.at(-1)!}.*unknown to the code: doorSpeedMps`)) });
    editManifest(dir, (m) => { m.featureNames = [...FEATURE_NAMES]; m.featureVersion = '0.9.0'; });
    await expect(fx.registry.load('brake', '7')).rejects.toMatchObject({ code: 'LW_ERR_MODEL_FEATURE_MISMATCH' });
  });

  it('serves a model of an earlier feature version on the first columns of today\'s vector, and refuses one whose features are not those', async () => {
    const shipped = join(import.meta.dirname, '..', 'artifacts');
    const earlier = Object.entries(EARLIER_FEATURE_VERSIONS)[0]!;
    const loaded = await createRegistry(shipped).load('brake', '4');
    expect(loaded.manifest.featureVersion).toBe(earlier[0]);
    const n = earlier[1];
    expect(n).toBeLessThan(FEATURE_NAMES.length);
    const rows = 64;
    const r = prng(11);
    const x = new Float32Array(rows * FEATURE_NAMES.length).map(() => (r.next() - 0.5) * 4);
    const own = new Float32Array(rows * n);
    for (let i = 0; i < rows; i++) own.set(x.subarray(i * FEATURE_NAMES.length, i * FEATURE_NAMES.length + n), i * n);
    const direct = await openOnnxClassifier(readFileSync(join(shipped, 'brake', '4', 'model.onnx')), n);
    expect(Array.from(await loaded.classifier.run(x, rows))).toEqual(Array.from(await direct.run(own, rows)));
    await direct.close();
    await loaded.classifier.close();

    // and one of 2.3.0: door-system 4, on the first 51 columns
    const door = await createRegistry(shipped).load('door-system', '4');
    const m = EARLIER_FEATURE_VERSIONS[door.manifest.featureVersion];
    expect(door.manifest.featureVersion).toBe('2.3.0');
    expect(m).toBe(51);
    const ownDoor = new Float32Array(rows * m!);
    for (let i = 0; i < rows; i++) ownDoor.set(x.subarray(i * FEATURE_NAMES.length, i * FEATURE_NAMES.length + m!), i * m!);
    const directDoor = await openOnnxClassifier(readFileSync(join(shipped, 'door-system', '4', 'model.onnx')), m!);
    expect(Array.from(await door.classifier.run(x, rows))).toEqual(Array.from(await directDoor.run(ownDoor, rows)));
    await directDoor.close();
    await door.classifier.close();

    const dir = join(fx.dir, 'brake', '8');
    cpSync(join(shipped, 'brake', '4'), dir, { recursive: true });
    const swapped = FEATURE_NAMES.slice(0, n);
    [swapped[0], swapped[1]] = [swapped[1]!, swapped[0]!];
    editManifest(dir, (m) => { m.featureNames = swapped; m.featureFingerprint = featureFingerprint(earlier[0], swapped); });
    await expect(fx.registry.load('brake', '8')).rejects.toMatchObject({ code: 'LW_ERR_MODEL_FEATURE_MISMATCH' });
    editManifest(dir, (m) => { m.featureNames = FEATURE_NAMES.slice(0, n - 1); m.featureFingerprint = featureFingerprint(earlier[0], FEATURE_NAMES.slice(0, n - 1)); });
    await expect(fx.registry.load('brake', '8')).rejects.toMatchObject({ code: 'LW_ERR_MODEL_FEATURE_MISMATCH' });
  });

  it('refuses a changed model.onnx (sha256) and a golden set it does not reproduce', async () => {
    const dir = join(fx.dir, 'guides-ride', '5');
    cpSync(join(fx.dir, 'guides-ride', '1'), dir, { recursive: true });
    const golden = JSON.parse(readFileSync(join(dir, 'golden.json'), 'utf8'));
    golden.expected[0] = golden.expected[0] + 0.01;
    writeFileSync(join(dir, 'golden.json'), JSON.stringify(golden));
    await expect(fx.registry.load('guides-ride', '5')).rejects.toMatchObject({ code: 'LW_ERR_MODEL_INVALID', message: expect.stringMatching(/golden row 0/) });
    const bytes = readFileSync(join(dir, 'model.onnx'));
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 1;
    writeFileSync(join(dir, 'model.onnx'), bytes);
    await expect(fx.registry.load('guides-ride', '5')).rejects.toMatchObject({ code: 'LW_ERR_MODEL_INVALID', message: expect.stringMatching(/sha256/) });
  });

  it('a training run checks what it wrote: a version onnxruntime does not reproduce is renamed .rejected and never served, the good ones stay', async () => {
    const root = mkdtempSync(join(tmpdir(), 'lw-published-'));
    try {
      cpSync(join(fx.dir, 'brake', '1'), join(root, 'brake', '2'), { recursive: true });
      cpSync(join(fx.dir, 'door-system', '1'), join(root, 'door-system', '2'), { recursive: true });
      const bad = join(root, 'door-system', '2');
      const golden = JSON.parse(readFileSync(join(bad, 'golden.json'), 'utf8'));
      golden.expected[0] = golden.expected[1] + 0.5;
      writeFileSync(join(bad, 'golden.json'), JSON.stringify(golden));
      const reg = createRegistry(root);
      const published = [{ id: 'brake', version: '2', dir: join(root, 'brake', '2') }, { id: 'door-system', version: '2', dir: bad }];
      await expect(checkPublished(reg, published)).rejects.toMatchObject({ code: 'LW_ERR_MODEL_INVALID', message: expect.stringMatching(/^door-system 2 \(.*golden row 0.*\): renamed to <version>\.rejected/) });
      expect(existsSync(`${bad}.rejected`)).toBe(true);
      expect(reg.versions('door-system')).toEqual([]);
      expect(reg.versions('brake')).toEqual(['2']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('committed artifacts (models/artifacts)', () => {
  it('every committed model loads: features match, sha256 holds, golden outputs reproduce in onnxruntime-node', async () => {
    const reg = createRegistry(join(import.meta.dirname, '..', 'artifacts'));
    for (const id of reg.ids()) {
      const m = await reg.load(id);
      expect(m.manifest.id).toBe(id);
      await m.classifier.close();
    }
  });
});
