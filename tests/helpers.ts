// Shared test helpers: where the shared seeds are, temporary data directories,
// and running the CLI as an operator would.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { afterAll } from 'vitest';
import { createLogger } from '../src/log.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The shared folder beside the checkout; `npm run mutate` names it, since its tests run in a copy elsewhere. */
const SHARED = process.env['PROBATION_SHARED_DIR'] ?? resolve(ROOT, '../shared');
export const SEEDS = resolve(SHARED, 'seeds');
export const FIXTURES = resolve(SHARED, 'fixtures/external');
export const BLOG_URL = 'https://probationmatters.blogspot.com';

/** The seed file whose name starts with `prefix` (000 … 004). */
export function seedPath(prefix: string): string {
  const name = readdirSync(SEEDS).find((f) => f.startsWith(prefix));
  if (!name) throw new Error(`no seed ${prefix}* in ${SEEDS}`);
  return join(SEEDS, name);
}

export function seedText(prefix: string): string {
  return readFileSync(seedPath(prefix), 'utf8');
}

const made: string[] = [];
// Generous: a directory may hold a copy of the checkout with its node_modules (the Dockerfile replay), slow to remove
// on a busy disk (seen: over 10 s in CI with another run beside it).
afterAll(() => {
  while (made.length) rmSync(made.pop()!, { recursive: true, force: true });
}, 120_000);

/** A fresh temporary directory, removed when the test file is done. */
/** A paragraph of exactly `n` characters of made-up lower-case words, with no sentence end (only a hard cut can split it). */
export function exactParagraph(n: number, letter = 'w'): string {
  const text = `${letter}ord `.repeat(n).slice(0, n);
  return text.endsWith(' ') ? `${text.slice(0, -1)}s` : text;
}

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'probation-archive-'));
  made.push(dir);
  return dir;
}

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Run `npm run --silent cli -- …` the way the DESIGN contract says, with DATA_DIR set. */
export function cli(args: string[], dataDir: string, env: Record<string, string> = {}): CliRun {
  const result = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'src/cli.ts'), ...args],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', DATA_DIR: dataDir, ...env },
      timeout: 60_000,
    },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * `cli`, without blocking this process: for runs that talk to a server the
 * test itself serves, or that run as another user (`runAs`, for permission faults).
 */
export function cliAsync(
  args: string[],
  dataDir: string,
  env: Record<string, string> = {},
  runAs?: { uid: number; gid: number },
): Promise<CliRun> {
  const child = spawn(
    process.execPath,
    [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'src/cli.ts'), ...args],
    {
      cwd: ROOT,
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', DATA_DIR: dataDir, ...env },
      ...runAs,
      timeout: 60_000,
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

/** A logger that keeps its lines, parsed, for tests to read. */
export function memoryLog(level = 'debug'): { log: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { log: createLogger(level, sink), lines };
}

/** What a member reads on a preview page: the body's text, tags dropped and character references decoded. */
export function visibleText(html: string): string {
  return html
    .replace(/^[\s\S]*<body>/, '')
    .replace(/<\/?(a|strong|span)\b[^>]*>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/** A TCP port nothing listens on right now (asked of the kernel, then let go). */
export function freePort(): Promise<number> {
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

/** An address on loopback where nothing listens, so a request to it is refused at once (not port 9: something may serve it). */
export async function refusingUrl(): Promise<string> {
  return `http://127.0.0.1:${await freePort()}`;
}
