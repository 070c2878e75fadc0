// Starts moto_server (moto 5.2, an AWS emulator independent of this project's own double) on a
// free port for e2e tests. A missing moto_server is a failure, not a skip: CI must run this test.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export interface Moto {
  /** `http://localhost:PORT`: moto reads template URLs path-style only when the host is localhost. */
  url: string;
  stop(): Promise<void>;
}

// sitecustomize.py there patches moto's own gaps (see that file); only moto's process sees it.
const patches = fileURLToPath(new URL('./moto-patches', import.meta.url));

/** Binds port 0 and releases it: the OS picks a port nobody is using. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Polls until moto answers HTTP at all (any status), or its process exits. */
async function waitUntilAnswering(url: string, child: ChildProcess, output: () => string): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with code ${child.exitCode} before answering:\n${output()}`);
    try {
      await fetch(`${url}/moto-api/`);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`moto_server did not answer at ${url}:\n${output()}`);
}

/** `env`: more variables for moto's process (the opt-in patches of moto-patches/sitecustomize.py). */
export async function startMoto(env: Record<string, string> = {}): Promise<Moto> {
  const probe = spawnSync('moto_server', ['--help'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(`moto_server is not runnable (${probe.error?.message ?? probe.stderr.trim()}): install it with \`pip install "moto[server]==5.2.*"\` and put it on PATH`);
  }
  const port = await freePort();
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    env: { ...process.env, ...env, PYTHONPATH: [patches, process.env.PYTHONPATH].filter(Boolean).join(':') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const keep = (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const url = `http://localhost:${port}`;
  await waitUntilAnswering(url, child, () => log);
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
