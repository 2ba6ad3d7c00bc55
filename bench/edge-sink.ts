import { spawn, type ChildProcess } from 'node:child_process';
import { cpus, totalmem } from 'node:os';

/** Starts bench/aedes-sink.ts as its own process and resolves with its URL. */
export async function startSink(root: string): Promise<{ url: string; child: ChildProcess; stop: () => Promise<string> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/aedes-sink.ts'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /port (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`aedes sink exited with ${code}`)));
  });
  return {
    url: `mqtt://127.0.0.1:${port}`,
    child,
    stop: () => new Promise<string>((resolve) => {
      child.once('exit', () => resolve(out));
      child.kill('SIGTERM');
    }),
  };
}

export const machine = (): string => `${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
