// `bin/sls-ts.js server` spawned as a user runs it, for the benches that time its start.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/sls-ts.js', import.meta.url));

/** Spawns the CLI on `app` (a free port) and resolves once its banner gives the URL; its stderr goes to ours. */
export async function spawnServer(app: string): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [bin, 'server', '-C', app, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NO_COLOR: '1' } });
  const stop = async () => {
    child.kill('SIGINT');
    if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /on (http:\/\/\S+)\n/.exec(out);
        if (match) resolve(match[1]!);
      });
      child.once('exit', (code) => reject(new Error(`sls-ts server exited with ${code}`)));
    });
    return { url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
