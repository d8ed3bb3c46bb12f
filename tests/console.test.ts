// `npm start` without a token: the console mode, fed from a pipe as a script would.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePetition } from '../src/digest/petitionJson.js';
import { openStore } from '../src/store/store.js';
import { FIXTURES, freePort, ROOT, SEEDS, tempDir } from './helpers.js';

function start(stdin: string, env: Record<string, string>) {
  return spawnSync(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'src/main.ts')], {
    cwd: ROOT,
    input: stdin,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', LOG_LEVEL: 'warn', ...env },
    timeout: 60_000,
  });
}

/** The console started as `start` does, its streams left to the test. */
function spawnConsole(env: Record<string, string>) {
  return spawn(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'src/main.ts')], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', LOG_LEVEL: 'warn', ...env },
    timeout: 60_000,
  });
}

/** `start`, without blocking: for a test that serves the bot from this process meanwhile. */
function startAsync(stdin: string, env: Record<string, string>): Promise<{ status: number | null; stdout: string }> {
  const child = spawnConsole(env);
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stdin.end(stdin);
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout })));
}

describe('console mode', () => {
  it('answers /petition where:Holborn and /petition nations from a petition site on this machine (PETITION_SITE_URL)', async () => {
    const fixture = readFileSync(join(FIXTURES, 'petition-parliament-uk-131215-2016.json'));
    const site = createServer((req, res) => {
      if (req.url === '/petitions/131215.json') res.writeHead(200, { 'content-type': 'application/json' }).end(fixture);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    try {
      const run = await startAsync('/petition where:Holborn\n/petition nations\n', {
        DATA_DIR: tempDir(),
        ARCHIVE_SOURCES: SEEDS,
        PETITION_ID: '131215',
        PETITION_SITE_URL: `http://127.0.0.1:${(site.address() as AddressInfo).port}`,
      });
      expect(run.status).toBe(0);
      expect(run.stdout).toContain(
        'Holborn and St Pancras (MP: Keir Starmer MP)\n18,704 signatures · 4th of 650 constituencies',
      );
      expect(run.stdout).toContain(
        'England: 2,987,046 (89.1%)\nWales: 135,093 (4.0%)\nScotland: 167,274 (5.0%)\nNorthern Ireland: 61,875 (1.8%)',
      );
    } finally {
      site.closeAllConnections();
      await new Promise((resolve) => site.close(resolve));
    }
  });

  it('answers /petition petition:N for each petition of a PETITION_ID list, the first without it', async () => {
    const fixture = readFileSync(join(FIXTURES, 'petition-parliament-uk-131215-2016.json'));
    // Made up: not a real petition.
    const fake = JSON.stringify({
      data: {
        id: 900444,
        attributes: { action: 'Fake petition: console test data', state: 'open', signature_count: 321 },
      },
    });
    const site = createServer((req, res) => {
      const json = (body: string | Buffer) => res.writeHead(200, { 'content-type': 'application/json' }).end(body);
      if (req.url === '/petitions/131215.json') json(fixture);
      else if (req.url === '/petitions/900444.json') json(fake);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    try {
      const run = await startAsync('/petition\n/petition where:Holborn petition:131215\n/petition petition:651215\n', {
        DATA_DIR: tempDir(),
        PETITION_ID: '900444,131215',
        PETITION_SITE_URL: `http://127.0.0.1:${(site.address() as AddressInfo).port}`,
      });
      expect(run.status).toBe(0);
      expect(run.stdout).toContain('Petition: Fake petition: console test data\n321 signatures · open');
      expect(run.stdout).toContain(
        'Petition: EU Referendum Rules triggering a 2nd EU Referendum\nHolborn and St Pancras (MP: Keir Starmer MP)\n18,704 signatures',
      );
      expect(run.stdout).toContain(
        'Petition 651215 is not one the bot follows: the bot follows petitions 900444, 131215.',
      );
    } finally {
      site.closeAllConnections();
      await new Promise((resolve) => site.close(resolve));
    }
  });

  it('writes the petition chart under DATA_DIR/charts and prints its path, with the words describing it', async () => {
    const fixture = readFileSync(join(FIXTURES, 'petition-parliament-uk-131215-2016.json'));
    const dataDir = tempDir();
    // A reading a day earlier, 200,000 fewer: with today's, two readings make a line.
    const json = JSON.parse(fixture.toString('utf8'));
    const count = json.data.attributes.signature_count as number;
    json.data.attributes.signature_count = count - 200_000;
    const store = openStore(dataDir);
    store.petition.store(131215, parsePetition(json), new Date(Date.now() - 86_400_000).toISOString());
    store.close();
    const site = createServer((req, res) => {
      if (req.url === '/petitions/131215.json') res.writeHead(200, { 'content-type': 'application/json' }).end(fixture);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    try {
      const run = await startAsync('/petition\n', {
        DATA_DIR: dataDir,
        PETITION_ID: '131215',
        PETITION_SITE_URL: `http://127.0.0.1:${(site.address() as AddressInfo).port}`,
      });
      expect(run.status).toBe(0);
      const path = join(dataDir, 'charts', 'petition-131215.png');
      expect(run.stdout).toContain(`Chart: ${path}\n`);
      expect(run.stdout).toMatch(
        new RegExp(
          `Signatures over time: ${count.toLocaleString('en-GB')} on \\d+ \\w{3} \\d{4}, up from ${(count - 200_000).toLocaleString('en-GB')} on `,
        ),
      );
      expect(existsSync(path)).toBe(true);
      const png = readFileSync(path);
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([800, 400]);
    } finally {
      site.closeAllConnections();
      await new Promise((resolve) => site.close(resolve));
    }
  });

  it('ingests ARCHIVE_SOURCES on a first start, then answers piped commands as text', () => {
    const run = start('/search probation treadmill\n/onthisday 2024-11-23\n/stats\n/frobnicate\n/digest 2023-11-23\n', {
      DATA_DIR: tempDir(),
      ARCHIVE_SOURCES: SEEDS,
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^1\. The Probation Treadmill \(2022-07-03\)/m);
    expect(run.stdout).toMatch(/2023: On Being a PQiP/);
    expect(run.stdout).toMatch(/26 posts and 102 comments, from \d{4} to \d{4}\. Last sync with the blog: never/);
    expect(run.stdout).toMatch(/Unknown command "\/frobnicate"\. Type \/help/);
    // The digest servers will get for that date, as the scheduler would post it.
    expect(run.stdout).toMatch(
      /23 Nov 2023, and this day in earlier years\n\n2023 · On Being a PQiP <https:\/\/probationmatters\.blogspot\.com\/2023\/11\/>/,
    );
  });

  it('ends quietly, store closed, when whatever reads its answers goes away (npm start | head -1)', async () => {
    const dataDir = tempDir();
    const child = spawnConsole({ DATA_DIR: dataDir, ARCHIVE_SOURCES: SEEDS });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    // The reader takes the first answer and leaves; more questions are still on their way.
    child.stdout.once('data', () => {
      child.stdout.destroy();
      child.stdin.end('/stats\n'.repeat(50));
    });
    child.stdin.write('/stats\n');
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/EPIPE|Unhandled|fatal/);
    expect(status).toBe(0);
    // Stopped in order: the store was closed (its write-ahead log checkpointed away), not left mid-write.
    expect(existsSync(join(dataDir, 'archive.sqlite'))).toBe(true);
    expect(existsSync(join(dataDir, 'archive.sqlite-wal'))).toBe(false);
  });

  it('previews the weekly round-up of 20–26 November 2023 from the seeds with /digest week:2023-11-20', () => {
    const run = start('/digest week:2023-11-20\n/digest week:20-11-2023\n', {
      DATA_DIR: tempDir(),
      ARCHIVE_SOURCES: SEEDS,
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('The week on the blog: 20 Nov 2023 to 26 Nov 2023\n\nNew on the blog\n\n');
    // The week's four posts, oldest first, each credited, dated and linked; no comment of the seeds falls in it.
    const posts = [
      ...run.stdout.matchAll(
        /^(.+) — Anonymous · (\d+) Nov 2023 <https:\/\/probationmatters\.blogspot\.com\/2023\/11\/>$/gm,
      ),
    ];
    expect(posts.map((m) => Number(m[2]))).toEqual([20, 21, 22, 23]);
    expect(posts[3]![1]).toBe('On Being a PQiP');
    expect(run.stdout).not.toContain('Most discussed');
    expect(run.stdout).toContain('(Weekly round-up of the On Probation archive)');
    expect(run.stdout).toMatch(/"20-11-2023" is not a date: use YYYY-MM-DD/);
  });

  it('says in plain words what to do when a source cannot be read, and still starts', async () => {
    // A blog address on this machine: the bot refuses it before connecting, as it does any private address.
    const port = await freePort();
    const run = start('/stats\n/search treadmill\n', {
      DATA_DIR: tempDir(),
      ARCHIVE_SOURCES: `https://127.0.0.1:${port}`,
    });
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(
      /Could not ingest: the posts feed https:\/\/127\.0\.0\.1:\d+\/feeds\/posts\/default\S* is not contacted: 127\.0\.0\.1 is a loopback address \(this machine\)\n.*ARCHIVE_SOURCES/,
    );
    expect(run.stdout).toMatch(/^0 posts and 0 comments\. Last sync with the blog: never$/m);
    expect(run.stdout).toMatch(/The archive is empty: ingest a source first/);
  });

  it('refuses to start with one clear line when DATA_DIR cannot be used', () => {
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, 'not a directory');
    const run = start('', { DATA_DIR: join(file, 'data') });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /^error: DATA_DIR .*a-file\/data cannot be used: part of that path is a file, not a directory \(ENOTDIR\)$/m,
    );
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  it('refuses to start on bad configuration, listing every problem', () => {
    const run = start('', { DATA_DIR: tempDir(), SYNC_INTERVAL: 'sometimes', PETITION_ID: 'abc' });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/SYNC_INTERVAL: must be a number and a unit/);
    expect(run.stderr).toMatch(/PETITION_ID: must be the petition number/);
  });
});
