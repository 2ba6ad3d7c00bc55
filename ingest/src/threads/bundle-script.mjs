// Bundles a TypeScript entry (a worker thread's module, or the all-in-one's server/src/main.ts) and
// the workspaces' modules it imports into one plain JavaScript file, so that node runs it without a
// TypeScript loader. Run by script-cache.mjs in a process of its own, so that esbuild's service
// does not stay in the server:
//   node bundle-script.mjs <source.ts> <out.mjs>
// Writes <out.mjs>.inputs.json (the sources it was built from, to tell when it is stale) and then the
// script, each through a temporary file renamed over it: two processes building at once are safe.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

/**
 * Each module keeps its own `import.meta.url` (the file it was bundled from): what it finds beside
 * itself (a thread's entry, the models' artifacts, a package through createRequire) stays where it was.
 */
const ownImportMetaUrl = {
  name: 'own-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.[cm]?[jt]s$/ }, (a) => {
      const text = readFileSync(a.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      return { contents: text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(a.path).href)), loader: /\.[cm]?ts$/.test(a.path) ? 'ts' : 'js' };
    });
  },
};

/** The files of packages the bundle imports: an upgrade that moves or changes one makes the bundle stale. */
const packageFiles = new Set();

/**
 * Packages from node_modules are not bundled (native addons, files they read beside themselves): each
 * stays an import, of the file it resolves to from the module that imports it (a workspace may have
 * its own version). The workspaces' packages (@liftwatch/…) are TypeScript: bundled.
 */
const packagesWhereTheyAre = {
  name: 'packages-where-they-are',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, async (a) => {
      if (a.pluginData?.inner || a.path.startsWith('@liftwatch/')) return undefined;
      if (isBuiltin(a.path)) return { path: a.path, external: true };
      const r = await b.resolve(a.path, { kind: a.kind, resolveDir: a.resolveDir, importer: a.importer, pluginData: { inner: true } });
      if (r.errors.length > 0) return { errors: r.errors };
      packageFiles.add(r.path);
      return { path: r.path, external: true };
    });
  },
};

const [source, out] = process.argv.slice(2);
if (!source || !out) throw new Error('usage: node bundle-script.mjs <source.ts> <out.mjs>');
const r = await build({
  entryPoints: [source], bundle: true, write: false, metafile: true, format: 'esm', platform: 'node', target: 'node20',
  outfile: out, logLevel: 'error', plugins: [ownImportMetaUrl, packagesWhereTheyAre],
});
// This file too: a bundle made another way is stale.
const inputs = [...Object.keys(r.metafile.inputs).map((p) => resolve(p)), ...packageFiles, fileURLToPath(import.meta.url)];
const tmp = `${out}.${process.pid}.tmp`;
writeFileSync(tmp, JSON.stringify(inputs));
renameSync(tmp, `${out}.inputs.json`);
writeFileSync(tmp, r.outputFiles[0].contents);
renameSync(tmp, out);
