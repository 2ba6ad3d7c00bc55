// Set-up shared by `npm start` and `npm test`: the Node packages, and the Debian packages the tests use.
// Plain JavaScript, so it runs before any dependency is installed.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Runs a command in the repository root, inheriting the terminal; exits with its code if it fails. */
export function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

/** Installs the Node packages with `npm ci` when node_modules is missing or older than package-lock.json. */
export function ensureNodeModules() {
  const marker = join(ROOT, 'node_modules', '.package-lock.json');
  const lock = join(ROOT, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  console.log('liftwatch: installing Node packages (npm ci)…');
  const code = run('npm', ['ci', '--no-audit', '--no-fund']);
  if (code !== 0) {
    console.error('liftwatch: npm ci failed; see the lines above');
    process.exit(code);
  }
}

function has(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Makes sure the system packages are there: installs the missing ones with apt-get when running as
 * root, and otherwise says exactly which to install.
 * @param {Array<{ command: string, path?: string, pkg: string, why: string }>} needs (`path`: a file that
 *   shows the package is there, for packages without a command, e.g. a Python module)
 */
export function ensureSystemPackages(needs) {
  const present = (n) => (n.path ? existsSync(n.path) : has(n.command));
  const missing = needs.filter((n) => !present(n));
  if (missing.length === 0) return;
  const pkgs = [...new Set(missing.map((m) => m.pkg))];
  if (process.getuid?.() === 0 && has('apt-get')) {
    console.log(`liftwatch: installing Debian packages: ${pkgs.join(' ')}`);
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...pkgs], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    const still = missing.filter((n) => !present(n));
    if (still.length === 0) return;
    missing.splice(0, missing.length, ...still);
  }
  console.error('liftwatch: the tests need programs that are not installed:');
  for (const m of missing) console.error(`  ${m.command} (Debian package ${m.pkg}): ${m.why}`);
  console.error(`Install them with: sudo apt-get install ${pkgs.join(' ')}`);
  process.exit(1);
}
