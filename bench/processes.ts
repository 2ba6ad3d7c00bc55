// What the benchmarks do with the processes they start: wait for the line a process prints when it is
// ready, and read the platform's addresses from its start-up line.
import type { ChildProcess } from 'node:child_process';

/** The first match of `re` in the child's stdout so far; rejects when the child exits before printing one. */
export function waitLine(child: ChildProcess, re: RegExp, what = 'server'): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (b: Buffer) => { out += b.toString(); const m = re.exec(out); if (m) resolve(m); });
    child.once('exit', (code) => reject(new Error(`${what} exited (${code}) before it reported: ${out.slice(-500)}`)));
  });
}

/** The web and MQTT addresses liftwatch prints once it runs (`npm start`, with ports 0). */
export async function platformUrls(liftwatch: ChildProcess): Promise<{ http: string; mqtt: string }> {
  const m = await waitLine(liftwatch, /web (http:\S+)\s+MQTT (mqtt:\S+)/, 'liftwatch');
  return { http: m[1]!, mqtt: m[2]! };
}
