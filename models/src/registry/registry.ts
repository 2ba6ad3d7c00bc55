import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { lwError } from '@liftwatch/contract';
import { openOnnxClassifier, readingFirstColumns, type OnnxClassifier } from '../onnx/session.js';
import { FEATURE_NAMES } from '../features/definition.js';
import { assertFeaturesMatch, Golden, parseManifest, type ModelManifest } from './manifest.js';

/** A model ready to score: its manifest and an onnxruntime session. */
export interface LoadedModel {
  readonly id: string;
  readonly version: string;
  readonly manifest: ModelManifest;
  readonly classifier: OnnxClassifier;
}

export const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Write models/artifacts/<id>/<version>/{model.onnx, manifest.json, golden.json}. */
export function writeArtifact(root: string, onnx: Uint8Array, manifest: Omit<ModelManifest, 'sha256'>, golden: Golden): string {
  const dir = join(root, manifest.id, manifest.version);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'model.onnx'), onnx);
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify({ ...manifest, sha256: sha256(onnx) }, null, 2)}\n`);
  writeFileSync(join(dir, 'golden.json'), `${JSON.stringify(golden)}\n`);
  return dir;
}

/**
 * The model registry over a directory. Loading checks, in order: the manifest's shape,
 * its features against the running feature code, the sha256 of model.onnx, and that onnxruntime
 * reproduces golden.json. Any failure throws and nothing is loaded, so a scorer keeps its old model.
 */
export function createRegistry(root: string) {
  const versions = (id: string): string[] => {
    const dir = join(root, id);
    if (!existsSync(dir)) return [];
    return readdirSync(dir).filter((v) => /^[0-9]+$/.test(v) && existsSync(join(dir, v, 'manifest.json'))).sort((a, b) => Number(a) - Number(b));
  };
  return {
    root,
    ids: (): string[] => (existsSync(root) ? readdirSync(root).filter((id) => versions(id).length > 0).sort() : []),
    versions,
    latest: (id: string): string | undefined => versions(id).at(-1),
    nextVersion: (id: string): string => String(Number(versions(id).at(-1) ?? '0') + 1),
    async load(id: string, version?: string): Promise<LoadedModel> {
      const v = version ?? versions(id).at(-1);
      const dir = join(root, id, v ?? '(none)');
      if (v === undefined || !existsSync(join(dir, 'manifest.json'))) throw lwError('LW_ERR_MODEL_INVALID', `no model ${id} version ${v ?? '(latest)'} under ${root}; train one with npm run models:train`);
      const manifest = parseManifest(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')), dir);
      assertFeaturesMatch(manifest, dir);
      const bytes = readFileSync(join(dir, 'model.onnx'));
      const digest = sha256(bytes);
      if (digest !== manifest.sha256) throw lwError('LW_ERR_MODEL_INVALID', `${dir}/model.onnx has sha256 ${digest} but the manifest says ${manifest.sha256}; the file was changed or truncated: re-export it`);
      const classifier = await openOnnxClassifier(bytes, manifest.featureNames.length);
      await checkGolden(classifier, dir);
      // a model of an earlier feature version reads the first columns of today's vector
      return { id, version: v, manifest, classifier: readingFirstColumns(classifier, FEATURE_NAMES.length) };
    },
  };
}
export type Registry = ReturnType<typeof createRegistry>;

async function checkGolden(c: OnnxClassifier, dir: string): Promise<void> {
  const raw: unknown = JSON.parse(readFileSync(join(dir, 'golden.json'), 'utf8'));
  if (!Value.Check(Golden, raw)) throw lwError('LW_ERR_MODEL_INVALID', `${dir}/golden.json does not match its schema; re-export the model`);
  const x = new Float32Array(raw.inputs.flat());
  const p = await c.run(x, raw.inputs.length);
  raw.expected.forEach((e, i) => {
    const d = Math.abs((p[i] ?? NaN) - e);
    if (!(d <= raw.tolerance)) {
      void c.close();
      throw lwError('LW_ERR_MODEL_INVALID', `${dir}: onnxruntime gives ${p[i]} for golden row ${i} but the TypeScript model gave ${e} (difference ${d} > tolerance ${raw.tolerance}); the export is wrong: do not deploy it`);
    }
  });
}
