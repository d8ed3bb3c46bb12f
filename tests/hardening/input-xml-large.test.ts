// Exports too big to hold: a 100 MB text node, and a CDATA section that never
// ends. The CLI runs as a child process (so its peak memory is its own,
// reported by the process itself on exit) over files written to a temp dir a
// megabyte at a time. Every export here is made up.
import { spawn } from 'node:child_process';
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPost } from '../../src/store/archive.js';
import { openDatabase } from '../../src/store/db.js';
import { ROOT, tempDir } from '../helpers.js';
import { escapeXml, fakePost } from './input-fakes.js';

const MB = 1024 * 1024;
/** Generous: the ingest itself needs ~250 MB whatever the file's size. */
const MEMORY_CAP_MB = 600;
const REPORT_PEAK = `data:text/javascript,process.on('exit',()=>process.stderr.write('peak-rss-kb '+process.resourceUsage().maxRSS+'\\n'))`;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  peakMb: number;
}

/** `npm run cli -- ingest <file> --json` in a child process that reports its own peak memory. */
function ingestMeasured(file: string, dataDir: string): Promise<Run> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--import', REPORT_PEAK, join(ROOT, 'src/cli.ts'), 'ingest', file, '--json'],
    {
      cwd: ROOT,
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', DATA_DIR: dataDir },
      timeout: 60_000,
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve) =>
    child.on('close', (status) => {
      const kb = Number(/peak-rss-kb (\d+)/.exec(stderr)?.[1] ?? NaN);
      resolve({ status, stdout, stderr, peakMb: kb / 1024 });
    }),
  );
}

/** An export whose second post's content is `open` + `megabytes` of filler + `close`, written a megabyte at a time. */
function writeHugeExport(path: string, megabytes: number, open: string, close: string): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, "<?xml version='1.0' encoding='UTF-8'?>\n<feed xmlns='http://www.w3.org/2005/Atom'>\n");
    writeSync(fd, `${fakePost('7001', 'Fake post before', escapeXml('<p>Fake words before the giant.</p>'))}\n`);
    const [start, end] = fakePost('7002', 'Fake giant post', 'GIANT').split('GIANT') as [string, string];
    writeSync(fd, `${start}${open}`);
    const filler = 'fake filler words for a hostile export '.repeat(MB / 39 + 1).slice(0, MB);
    for (let i = 0; i < megabytes; i++) writeSync(fd, filler);
    writeSync(fd, `${close}${end}\n`);
    writeSync(fd, `${fakePost('7003', 'Fake post after', escapeXml('<p>Fake words after the giant.</p>'))}\n</feed>\n`);
  } finally {
    closeSync(fd);
  }
}

describe('an export too big to hold', () => {
  it('reads a 100 MB text node in bounded memory: the post keeps its first 2 MB, with a warning, and the posts around it are stored', async () => {
    const dir = tempDir();
    const file = join(dir, 'huge.xml');
    writeHugeExport(file, 100, '', '');
    const dataDir = join(dir, 'data');
    const run = await ingestMeasured(file, dataDir);
    rmSync(file);

    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ posts: 3, added: 3 });
    expect(run.stderr).toContain(
      `warning: ${file}:4: post 7002: its content is longer than 2 MB: only the first 2 MB are kept`,
    );
    expect(run.peakMb).toBeLessThan(MEMORY_CAP_MB);
    const db = openDatabase(dataDir);
    const giant = readPost(db, '7002')!;
    expect(giant.text.length).toBeGreaterThan(MB);
    expect(giant.text.length).toBeLessThanOrEqual(2 * MB);
    expect(readPost(db, '7003')?.text).toBe('Fake words after the giant.');
    db.close();
  }, 60_000);

  it('stops at a CDATA section that runs on past 8 MB, with one error naming its line, keeping what came before', async () => {
    const dir = tempDir();
    const file = join(dir, 'cdata.xml');
    writeHugeExport(file, 40, '<![CDATA[', ']]>');
    const dataDir = join(dir, 'data');
    const run = await ingestMeasured(file, dataDir);
    rmSync(file);

    expect(run.status).toBe(1);
    expect(run.stderr.split('\n').filter((l) => l.startsWith('error: '))).toEqual([
      `error: ${file}:4: a comment, CDATA section or tag runs on for more than 8 MB: not a Blogger export; the rest of the file is not read`,
    ]);
    expect(run.peakMb).toBeLessThan(MEMORY_CAP_MB);
    const db = openDatabase(dataDir);
    expect(readPost(db, '7001')?.text).toBe('Fake words before the giant.');
    db.close();
  }, 60_000);
});
