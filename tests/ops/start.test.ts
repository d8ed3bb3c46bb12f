// `npm start` as an operator runs it with HEALTH_PORT: the real process, with a
// token, against the fake Discord. It is healthy once connected, shows its
// metrics, registers the slash commands on a first start and, on the next
// start with the same definitions, registers nothing.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { refusingUrl, ROOT, SEEDS, tempDir } from '../helpers.js';
import { startFakeDiscord, type FakeDiscord } from '../discord/fakeDiscord.js';
import { freePort, get, until } from './support.js';

const TOKEN = 'fake-ops-start-token-for-tests-only';
let fake: FakeDiscord | null = null;
const children: ChildProcess[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await fake?.close();
  fake = null;
});

function start(env: Record<string, string>) {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/main.ts')], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env },
  });
  children.push(proc);
  let stderr = '';
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return { proc, exited, stderr: () => stderr };
}

describe('npm start with HEALTH_PORT and a token', () => {
  it('is healthy once connected, serves metrics, and registers changed commands only', async () => {
    fake = await startFakeDiscord({ token: TOKEN });
    const port = await freePort();
    const env = {
      DISCORD_TOKEN: TOKEN,
      DISCORD_API_URL: fake.restApi,
      ARCHIVE_SOURCES: SEEDS,
      PETITION_SITE_URL: await refusingUrl(),
      DATA_DIR: tempDir(),
      HEALTH_PORT: String(port),
      LOG_LEVEL: 'info',
    };
    const puts = () => fake!.requests.filter((r) => r.method === 'PUT' && /\/commands$/.test(r.path)).length;

    const first = start(env);
    await until('/healthz 200', async () => ((await get(port, '/healthz')).status === 200 ? true : undefined));
    const metrics = await get(port, '/metrics');
    expect(metrics.body).toContain('# TYPE archive_bot_interactions_total counter');
    expect(metrics.body).toContain('# TYPE process_resident_memory_bytes gauge');
    await until('the commands registered', async () =>
      first.stderr().includes('registered again') ? true : undefined,
    );
    expect(puts()).toBe(1);
    first.proc.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = start(env);
    await until('/healthz 200 again', async () => ((await get(port, '/healthz')).status === 200 ? true : undefined));
    await until('the commands compared', async () => (second.stderr().includes('nothing to do') ? true : undefined));
    expect(puts()).toBe(1);
    second.proc.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(first.stderr() + second.stderr()).not.toContain(TOKEN);
  });
});
