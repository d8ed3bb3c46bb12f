// `npm start` with a token, as an operator runs it: the real process, pointed
// at the fake Discord through DISCORD_API_URL, answers a command and stops
// cleanly on SIGTERM; a token Discord refuses ends it with one clear line.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { refusingUrl, ROOT, SEEDS, tempDir } from '../helpers.js';
import { startFakeDiscord, type FakeDiscord } from './fakeDiscord.js';

const TOKEN = 'fake-start-token-for-tests-only';
let fake: FakeDiscord | null = null;
let child: ChildProcess | null = null;

afterEach(async () => {
  child?.kill('SIGKILL');
  child = null;
  await fake?.close();
  fake = null;
});

/** The bot as `npm start` runs it: node with tsx's loader, one process, so a signal reaches the bot itself. */
function start(env: Record<string, string>) {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/main.ts')], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env },
  });
  child = proc;
  let stderr = '';
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const waitFor = async (pattern: RegExp, ms = 30_000) => {
    const until = Date.now() + ms;
    while (!pattern.test(stderr)) {
      if (Date.now() > until) throw new Error(`no ${pattern} in stderr:\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  return { proc, exited, waitFor, stderr: () => stderr };
}

describe('npm start with DISCORD_TOKEN', () => {
  it('ingests on a first start, connects, answers /search and stops cleanly on SIGTERM', async () => {
    fake = await startFakeDiscord({ token: TOKEN });
    const run = start({
      DISCORD_TOKEN: TOKEN,
      DISCORD_API_URL: fake.restApi,
      ARCHIVE_SOURCES: SEEDS,
      PETITION_SITE_URL: await refusingUrl(),
      DATA_DIR: tempDir(),
      LOG_LEVEL: 'info',
    });
    await run.waitFor(/"msg":"connected to Discord"/);
    const answer = await fake
      .slashCommand('search', [{ name: 'query', type: 3, value: 'probation treadmill' }])
      .final(10_000);
    expect(answer.embeds[0]!.description).toMatch(/^\*\*1\.\*\* \[The Probation Treadmill\]/);

    run.proc.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.stderr()).toMatch(/"msg":"stopped"/);
    expect(run.stderr()).not.toContain(TOKEN);
    // Every log line is one JSON object: the operator's tools can read them.
    for (const line of run
      .stderr()
      .split('\n')
      .filter((l) => l.startsWith('{')))
      expect(() => JSON.parse(line)).not.toThrow();
  });

  it('exits with one clear line when Discord refuses the token', async () => {
    fake = await startFakeDiscord({ token: TOKEN });
    const run = start({
      DISCORD_TOKEN: 'not-the-right-token',
      DISCORD_API_URL: fake.restApi,
      ARCHIVE_SOURCES: SEEDS,
      PETITION_SITE_URL: await refusingUrl(),
      DATA_DIR: tempDir(),
      LOG_LEVEL: 'warn',
    });
    expect(await run.exited).toBe(1);
    expect(run.stderr()).toMatch(/Discord refused the login \(.+\): check DISCORD_TOKEN in \.env/);
    expect(run.stderr()).not.toContain('not-the-right-token');
  });
});
