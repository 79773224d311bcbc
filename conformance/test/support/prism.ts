// Starts the Prism mock (static mode) of the bundled Starmile spec on a free 127.0.0.1 port and stops it again.
import { spawn } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

export interface RunningPrism {
  url: string;
  stop(): Promise<void>;
}

export async function startPrism(timeoutMs = 45_000): Promise<RunningPrism> {
  const port = await freePort();
  const child = spawn(
    `${root}node_modules/.bin/prism`,
    ['mock', `${root}generated/starmile-partner/openapi.json`, '-p', String(port), '--host', '127.0.0.1'],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let log = '';
  child.stdout.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-4000)));
  child.stderr.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`prism exited (${child.exitCode}):\n${log}`);
    // Prism logs its listening line after the port opens; either means ready.
    if (/listening on/i.test(log) || (await accepts(port))) return { url: `http://127.0.0.1:${port}`, stop };
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`prism did not listen on ${port} within ${timeoutMs} ms:\n${log}`);
}
