// SIGTERM during a first start's long ingest (a slow blog, many pages) stops
// `npm start` at the next page, promptly and cleanly, instead of reading on;
// what was stored stays.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/store.js';
import { ROOT, tempDir } from '../helpers.js';
import { type FakeBlog, type FakePost, startFakeBlog } from '../sources/fakeBlog.js';

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

describe('a stop asked for during the first ingest', () => {
  it('stops at the next page and exits 0, keeping what was stored', async () => {
    const dataDir = tempDir();
    const child = spawn(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'src/main.ts')], {
      cwd: ROOT,
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: process.env['HOME'] ?? '',
        LOG_LEVEL: 'info',
        DATA_DIR: dataDir,
        ARCHIVE_SOURCES: blog.url,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Two pages in: the ingest is under way.
    for (let waited = 0; blog.requests.filter((r) => r.feed === 'posts').length < 2; waited += 50) {
      if (waited > 30_000) throw new Error(`the ingest never started:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill('SIGTERM');
    const code = await exited;
    expect(code, output).toBe(0);
    expect(output).toMatch(/ingest stopped/);
    // It did not read on to the end after being asked to stop.
    expect(blog.requests.filter((r) => r.feed === 'posts').length).toBeLessThan(10);
    const store = openStore(dataDir);
    expect(store.archive.stats().posts).toBeGreaterThan(0);
    store.close();
  }, 60_000);
});
