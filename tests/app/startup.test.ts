// Sources finished, always: `npm start` reads every ARCHIVE_SOURCES entry not
// recorded as read to the end (an ingest killed halfway, a file replaced),
// whatever the archive already holds, and says so; one read to the end is
// not read again.
import { appendFileSync, cpSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openArchive, type OpenArchive } from '../../src/app/archive.js';
import { prepareArchive } from '../../src/app/startup.js';
import { ingestSources } from '../../src/ingest/ingest.js';
import { BLOG_URL, cli, memoryLog, SEEDS, tempDir } from '../helpers.js';

let archive: OpenArchive;
let sources: string;
let dataDir: string;
beforeEach(() => {
  const dir = tempDir();
  sources = join(dir, 'sources');
  dataDir = join(dir, 'data');
  cpSync(SEEDS, sources, { recursive: true });
  archive = openArchive(dataDir, BLOG_URL);
});
afterEach(() => archive.close());

const clock = { now: () => new Date('2026-11-23T08:00:00Z'), after: () => () => {} };

async function start() {
  const { log, lines } = memoryLog('info');
  const told: string[] = [];
  await prepareArchive({
    store: archive.store,
    archive,
    sources: [sources],
    blogUrl: BLOG_URL,
    clock: clock as never,
    log,
    tell: (line) => told.push(line),
  });
  const said = (msg: RegExp) => lines.some((l) => msg.test(String(l['msg'])));
  return { said, told };
}

describe('start-up ingest', () => {
  it('finishes a source an earlier ingest left half read, with a warning, and then leaves it alone', async () => {
    // An ingest killed after the first file: the archive holds some posts, and no record of the source being read.
    const first = join(sources, readdirSync(sources).sort()[0]!);
    await ingestSources(archive.store, [first], { now: () => '2026-11-23T07:00:00Z' });
    const partial = archive.stats().posts;
    expect(partial).toBeGreaterThan(0);

    const resumed = await start();
    expect(resumed.said(/not read to the end before/)).toBe(true);
    const whole = archive.stats().posts;
    expect(whole).toBeGreaterThan(partial);

    const again = await start();
    expect(again.said(/ingesting ARCHIVE_SOURCES/)).toBe(false);
    expect(archive.stats().posts).toBe(whole);
  });

  it('does not read again a source the operator ingested with the CLI', async () => {
    expect(cli(['ingest', sources], dataDir).status).toBe(0);
    const posts = archive.stats().posts;
    const started = await start();
    expect(started.said(/ingesting ARCHIVE_SOURCES/)).toBe(false);
    expect(archive.stats().posts).toBe(posts);
  });

  it('reads a source again when what it holds has changed since it was read', async () => {
    await start();
    const before = archive.stats().posts;
    appendFileSync(
      join(sources, readdirSync(sources).sort().at(-1)!),
      '\n\nThursday, 1 January 2026\nA made-up post added later\n\nMade-up words about a zebrafish rota.\n',
    );
    const changed = await start();
    expect(changed.said(/changed since/)).toBe(true);
    expect(archive.stats().posts).toBe(before + 1);
  });
});
