// What bench/city-ingest.ts prints of liftwatch's CPU profile: for each thread (the main thread, the
// SQLite writer thread), the functions with the most self time and the same time by part of the
// process (workspace folder or npm package), to see where to work.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface CpuProfile { nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }>; startTime: number; endTime: number }

/** The summary of every profile written to `dir` (one per thread); `root` is cut from file names. */
export function summariseProfiles(dir: string, root: string): string[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  if (files.length === 0) return ['(no profile written)'];
  return files.flatMap((f) => summariseThread(JSON.parse(readFileSync(join(dir, f), 'utf8')) as CpuProfile, root));
}

function summariseThread(prof: CpuProfile, root: string): string[] {
  const total = prof.nodes.reduce((s, n) => s + (n.hitCount ?? 0), 0);
  const idle = prof.nodes.filter((n) => n.callFrame.functionName === '(idle)').reduce((s, n) => s + (n.hitCount ?? 0), 0);
  const busy = 100 - (100 * idle) / total;
  // Threads that idled all along (tsx's loader thread) are left out.
  if (busy < 5) return [];
  const short = (url: string) => url.replace(/^.*node_modules\//, '').replace(`file://${root}`, '');
  const by = new Map<string, number>();
  for (const n of prof.nodes) {
    const key = `${n.callFrame.functionName || '(anonymous)'} ${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
    by.set(key, (by.get(key) ?? 0) + (n.hitCount ?? 0));
  }
  const pct = (v: number) => `${((100 * v) / total).toFixed(1).padStart(5)} %`;
  const top = [...by.entries()].sort((x, y) => y[1] - x[1]).slice(0, 15).map(([k, v]) => `${pct(v)}  ${k}`);
  const part = (url: string, fn: string): string => {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
    if (pkg) return pkg;
    const ws = /^([^/]+(?:\/[^/]+)?)\/src\//.exec(short(url))?.[1];
    if (ws) return ws;
    if (url.startsWith('node:')) return 'node internals';
    return fn.startsWith('(') ? fn : 'native / V8';
  };
  const parts = new Map<string, number>();
  for (const n of prof.nodes) {
    const p = part(n.callFrame.url, n.callFrame.functionName);
    parts.set(p, (parts.get(p) ?? 0) + (n.hitCount ?? 0));
  }
  const grouped = [...parts.entries()].sort((x, y) => y[1] - x[1]).slice(0, 12).map(([k, v]) => `${pct(v)}  ${k}`);
  const has = (script: string) => prof.nodes.some((n) => n.callFrame.url.includes(script));
  const name = has('sqlite-writer-thread') ? 'writer thread' : has('wal-copy-thread') ? 'log-copy thread' : has('feature-state-thread') ? 'feature-state thread'
    : has('serving-thread') ? 'model serving thread' : 'main thread';
  return [`--- ${name}: busy ${busy.toFixed(0)} % of ${((prof.endTime - prof.startTime) / 1e6).toFixed(0)} s`, ...top, '', 'by part of the process:', ...grouped, ''];
}
