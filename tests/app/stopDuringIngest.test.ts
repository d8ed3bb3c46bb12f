// SIGTERM during a first start's long ingest (a slow blog, many pages) stops
// `npm start` at the next page, promptly and cleanly, instead of reading on;
// what was stored stays. `npm start` keeps to the production network policy,
// which refuses a blog on this machine, so the blog's case runs the start-up
// ingest in this process, on the test network, with the stop signal npm start
// passes it; the process's own SIGTERM is tested on a large export.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openArchive } from '../../src/app/archive.js';
import { prepareArchive } from '../../src/app/startup.js';
import { systemClock } from '../../src/clock.js';
import { openStore } from '../../src/store/store.js';
import { generateArchive } from '../bench/generate.js';
import { memoryLog, ROOT, tempDir } from '../helpers.js';
import { type FakeBlog, type FakePost, startFakeBlog } from '../sources/fakeBlog.js';
import { TEST_NETWORK } from '../sources/testNetwork.js';

const fakePost = (n: number): FakePost => ({
  id: String(7_100_000_000_000_000_000n + BigInt(n)),
  title: `Made-up post ${n} about a zebrafish rota`,
  html: `<p>Made-up opening of post ${n}.</p>`,
  published: new Date(Date.UTC(2024, 0, 1 + n)).toISOString(),
  updated: new Date(Date.UTC(2024, 0, 1 + n, 10)).toISOString(),
});

let blog: FakeBlog;
beforeAll(async () => {
  blog = await startFakeBlog({ posts: Array.from({ length: 60 }, (_, i) => fakePost(i + 1)), cap: 2 });
  blog.delayMs = 300; // 30 pages of posts: about 9 s to read them all
});
afterAll(() => blog.close());

/** `npm start` (node with tsx's loader: one process, so a signal reaches the bot itself) in console mode on `sources`. */
function startBot(dataDir: string, sources: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/main.ts')], {
    cwd: ROOT,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '',
      LOG_LEVEL: 'info',
      DATA_DIR: dataDir,
      ARCHIVE_SOURCES: sources,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const run = { child, output: '', exited: new Promise<number | null>((resolve) => child.on('exit', resolve)) };
  child.stdout.on('data', (c: Buffer) => (run.output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (run.output += c.toString()));
  return run;
}

describe('a stop asked for during the first ingest', () => {
  it('stops a blog’s sync at the next page, keeping what was stored', async () => {
    const archive = openArchive(tempDir(), blog.url);
    const { log, lines } = memoryLog('info');
    const stopping = new AbortController();
    const started = prepareArchive({
      store: archive.store,
      archive,
      sources: [blog.url],
      blogUrl: blog.url,
      clock: systemClock,
      log,
      tell: () => {},
      signal: stopping.signal,
      network: TEST_NETWORK,
    });
    // Two pages in: the ingest is under way.
    for (let waited = 0; blog.requests.filter((r) => r.feed === 'posts').length < 2; waited += 50) {
      if (waited > 30_000) throw new Error(`the ingest never started:\n${JSON.stringify(lines)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    stopping.abort();
    await started;
    expect(lines.some((l) => /ingest stopped/.test(String(l['msg'])))).toBe(true);
    // It did not read on to the end after being asked to stop.
    expect(blog.requests.filter((r) => r.feed === 'posts').length).toBeLessThan(10);
    expect(archive.stats().posts).toBeGreaterThan(0);
    archive.close();
  }, 60_000);

  it('stops a large export between chunks and exits 0; the next start reads it again to the end', async () => {
    const dir = tempDir();
    const source = join(dir, 'made-up-export.xml');
    await generateArchive({ scale: 0.04, seed: 7, out: source });
    const dataDir = join(dir, 'data');
    const first = startBot(dataDir, source);
    for (let waited = 0; !/"step":"bytes"/.test(first.output); waited += 20) {
      if (waited > 30_000) throw new Error(`the ingest never started:\n${first.output}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    first.child.kill('SIGTERM');
    expect(await first.exited, first.output).toBe(0);
    expect(first.output).toMatch(/ingest stopped/);

    const second = startBot(dataDir, source);
    second.child.stdin.end('/stats\n');
    expect(await second.exited, second.output).toBe(0);
    expect(second.output).toMatch(/not read to the end before/);
    const store = openStore(dataDir);
    const whole = store.archive.stats().posts;
    store.close();
    expect(whole).toBe(Math.round(5_000 * 0.04));
  }, 120_000);
});
