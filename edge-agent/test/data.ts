import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const FILE = 'huawei-elevator/predictive-maintenance-dataset.csv';
const repo = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The shared data directory: LIFTWATCH_SHARED_DATA when set, else `../shared/data` beside the
 * repository (where CI puts a copy of /work/shared), else beside the repository this one was cloned
 * from on the same machine (a clone in a temporary directory).
 */
function sharedData(): string {
  const candidates = [process.env.LIFTWATCH_SHARED_DATA, join(repo, '../shared/data')];
  try {
    const origin = execFileSync('git', ['-C', repo, 'config', '--get', 'remote.origin.url'], { encoding: 'utf8' }).trim();
    if (origin.startsWith('/')) candidates.push(join(dirname(resolve(origin)), 'shared/data'));
  } catch { /* not a clone */ }
  return candidates.find((d) => d !== undefined && existsSync(join(d, FILE))) ?? join(repo, '../shared/data');
}

/** The Huawei GRC file (../shared/data/README.md). */
export const HUAWEI_CSV = join(sharedData(), FILE);
