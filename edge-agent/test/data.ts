import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const FILE = 'huawei-elevator/predictive-maintenance-dataset.csv';
const repo = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The data directory: the repository's own `data/` (the file is committed there), else
 * LIFTWATCH_SHARED_DATA, else a `shared/data` beside the repository or beside the one it was cloned from.
 */
function sharedData(): string {
  const candidates = [join(repo, 'data'), process.env.LIFTWATCH_SHARED_DATA, join(repo, '../shared/data')];
  try {
    const origin = execFileSync('git', ['-C', repo, 'config', '--get', 'remote.origin.url'], { encoding: 'utf8' }).trim();
    if (origin.startsWith('/')) candidates.push(join(dirname(resolve(origin)), 'shared/data'));
  } catch { /* not a clone */ }
  return candidates.find((d) => d !== undefined && existsSync(join(d, FILE))) ?? join(repo, '../shared/data');
}

/** The Huawei GRC file (data/huawei-elevator/README.md). */
export const HUAWEI_CSV = join(sharedData(), FILE);
