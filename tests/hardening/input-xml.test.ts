// Hostile and broken Blogger exports, ingested the way an operator would
// (`npm run cli -- ingest <file>`): entity bombs, external entities, absurd
// nesting, bytes that are not UTF-8, a file cut short. Each one ends in a
// clear line naming the file and line, with what could be read stored and
// nothing read from elsewhere. Every export here is made up.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestSources } from '../../src/ingest/ingest.js';
import { archiveStats, readPost } from '../../src/store/archive.js';
import { openDatabase } from '../../src/store/db.js';
import { cli, cliAsync, tempDir } from '../helpers.js';
import { escapeXml, fakeComment, fakeExport, fakePost, recordingServer, type RecordingServer } from './input-fakes.js';
import { storeOver } from '../../src/store/store.js';

const now = () => '2026-11-23T08:00:00.000Z';

/** Every byte the bot keeps under a data directory, as one string to search. */
function everythingStored(dataDir: string): string {
  return readdirSync(dataDir)
    .map((f) => readFileSync(join(dataDir, f)).toString('latin1'))
    .join('\n');
}

/** Ingest `text` (or bytes) written to a temp file through the CLI; returns the run and the data directory. */
function ingestFile(content: string | Buffer, name = 'export.xml') {
  const dir = tempDir();
  const file = join(dir, name);
  writeFileSync(file, content);
  const dataDir = join(dir, 'data');
  return { file, dataDir, run: cli(['ingest', file, '--json'], dataDir) };
}

const errorLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('error: '));
const warningLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('warning: '));

describe('entity expansion ("billion laughs")', () => {
  it('never expands entities a DTD declares: the posts are stored small, with a warning naming the DTD line', () => {
    const lols = ['<!ENTITY lol "lol">'];
    for (let i = 1; i <= 9; i++) lols.push(`<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`);
    const dtd = `<!DOCTYPE feed [\n${lols.join('\n')}\n]>`;
    const { file, dataDir, run } = ingestFile(
      fakeExport(
        [
          fakePost('1001', 'Fake bomb &lol9;', escapeXml('<p>Fake body &lol9; ends here.</p>')),
          fakePost('1002', 'Fake neighbour', escapeXml('<p>Fake words after the bomb.</p>')),
        ],
        dtd,
      ),
    );

    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ posts: 2, added: 2 });
    expect(warningLines(run.stderr)).toContainEqual(
      expect.stringMatching(new RegExp(`^warning: ${file}:2: .*DTD.*not expanded`)),
    );
    const db = openDatabase(dataDir);
    const bomb = readPost(db, '1001')!;
    expect(bomb.title.length).toBeLessThan(40);
    expect(bomb.text).toContain('Fake body');
    expect(`${bomb.title} ${bomb.text}`).not.toMatch(/(lol){3}/);
    expect(readPost(db, '1002')!.text).toBe('Fake words after the bomb.');
    db.close();
    const bytes = readdirSync(dataDir).reduce((sum, f) => sum + readFileSync(join(dataDir, f)).length, 0);
    expect(bytes).toBeLessThan(5 * 1024 * 1024);
  });
});

describe('external entities (XXE)', () => {
  let server: RecordingServer;
  beforeAll(async () => {
    // Answers anything, so a request that slipped through would bring back text a test can look for.
    server = await recordingServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/plain' }).end('FAKE-SECRET-FROM-SERVER'),
    );
  });
  afterAll(() => server.close());

  it('never reads a file an entity names: /etc/passwd appears nowhere in the store', () => {
    const passwd = readFileSync('/etc/passwd', 'utf8').split('\n')[0]!;
    expect(passwd).toMatch(/^root:/);
    const dtd =
      '<!DOCTYPE feed [\n<!ENTITY xxe SYSTEM "file:///etc/passwd">\n<!ENTITY % pe SYSTEM "file:///etc/passwd">\n%pe;\n]>';
    const { file, dataDir, run } = ingestFile(
      fakeExport(
        [
          fakePost('2001', 'Fake &xxe; title', escapeXml('<p>Fake before &xxe; after.</p>')),
          fakeComment('2002', '2001', escapeXml('Fake comment &xxe;')),
        ],
        dtd,
      ),
    );

    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ posts: 1, comments: 1 });
    expect(run.stderr).toContain(`warning: ${file}:2: `);
    expect(run.stdout + run.stderr).not.toContain('root:');
    expect(everythingStored(dataDir)).not.toContain(passwd);
    expect(everythingStored(dataDir)).not.toContain('/bin/');
  });

  it('never requests an address an entity, a parameter entity, an external DTD or an image names', async () => {
    const before = server.requests.length;
    const dtd = [
      `<!DOCTYPE feed SYSTEM "${server.url}/external.dtd" [`,
      `<!ENTITY xxe SYSTEM "${server.url}/entity">`,
      `<!ENTITY % pe SYSTEM "${server.url}/parameter-entity">`,
      '%pe;',
      ']>',
    ].join('\n');
    const dir = tempDir();
    const file = join(dir, 'export.xml');
    writeFileSync(
      file,
      fakeExport(
        [
          `<?xml-stylesheet href="${server.url}/style.xsl"?>`,
          fakePost(
            '3001',
            'Fake &xxe;',
            escapeXml(`<p>Fake &xxe; text <img src="${server.url}/pixel.gif" width="1" height="1"></p>`),
          ),
        ],
        dtd,
      ),
    );
    const dataDir = join(dir, 'data');
    const run = await cliAsync(['ingest', file, '--json'], dataDir);

    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ posts: 1 });
    expect(server.requests.slice(before)).toEqual([]);
    expect(everythingStored(dataDir)).not.toContain('FAKE-SECRET-FROM-SERVER');
  });
});

describe('deeply nested elements', () => {
  it('stops at 100,000 levels with one error naming the line, keeping the entries before it', () => {
    const depth = 100_000;
    const { file, dataDir, run } = ingestFile(
      fakeExport([
        fakePost('4001', 'Fake before the nesting', escapeXml('<p>Fake words kept.</p>')),
        `<entry>${'<x>'.repeat(depth)}${'</x>'.repeat(depth)}</entry>`,
        fakePost('4002', 'Fake after the nesting', escapeXml('<p>Fake words never reached.</p>')),
      ]),
    );

    expect(run.status).toBe(1);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(errorLines(run.stderr)).toEqual([
      expect.stringMatching(new RegExp(`^error: ${file}:4: elements nested more than [\\d,]+ deep`)),
    ]);
    const db = openDatabase(dataDir);
    expect(readPost(db, '4001')?.text).toBe('Fake words kept.');
    db.close();
  });

  it('reads 100,000 levels of namespaced elements through ingestSources without hanging', async () => {
    const depth = 100_000;
    const dir = tempDir();
    const file = join(dir, 'export.xml');
    // Each element declares its own prefix: a scope check that walked every open element would be quadratic.
    writeFileSync(
      file,
      fakeExport([
        fakePost('4101', 'Fake first', escapeXml('<p>Fake first words.</p>')),
        `${'<a:x xmlns:a="urn:fake">'.repeat(depth)}${'</a:x>'.repeat(depth)}`,
      ]),
    );
    const db = openDatabase(join(dir, 'data'));
    const report = await ingestSources(storeOver(db), [file], { now });
    expect(report.sources[0]!.errors).toEqual([expect.stringMatching(/nested more than/)]);
    expect(readPost(db, '4101')?.title).toBe('Fake first');
    db.close();
  }, 20_000);
});

describe('bytes that are not UTF-8', () => {
  it('stores every post, marks the bad bytes with U+FFFD, and warns with the line of the first', () => {
    const head = fakeExport([
      fakePost('5001', 'Fake clean post', escapeXml('<p>Fake clean words.</p>')),
      fakePost('5002', 'Fake broken post', 'Fake before BADBYTES fake after.'),
      fakePost('5003', 'Fake later post', escapeXml('<p>Fake later words.</p>')),
    ]);
    const [before, after] = head.split('BADBYTES') as [string, string];
    // A stray 0xFF, a cut two-byte sequence, an overlong slash, an encoded surrogate, a NUL.
    const bad = Buffer.from([0xff, 0x20, 0xc3, 0x28, 0x20, 0xc0, 0xaf, 0x20, 0xed, 0xa0, 0x80, 0x20, 0x00]);
    const { file, dataDir, run } = ingestFile(Buffer.concat([Buffer.from(before), bad, Buffer.from(after)]));

    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ posts: 3, added: 3 });
    expect(warningLines(run.stderr)).toContainEqual(
      expect.stringMatching(new RegExp(`^warning: ${file}:4: .*not valid UTF-8`)),
    );
    const db = openDatabase(dataDir);
    const broken = readPost(db, '5002')!;
    expect(broken.text).toMatch(/^Fake before \uFFFD.*fake after\.$/);
    expect(broken.text).not.toContain('\u0000');
    expect(readPost(db, '5003')!.text).toBe('Fake later words.');
    db.close();
  });

  it('drops control characters that arrive as character references (&#0; reads as U+FFFD, as in HTML)', () => {
    const { dataDir, run } = ingestFile(
      fakeExport([
        fakePost('5101', 'Fake&#0; control&#1; title', escapeXml('<p>Fake&#0; text&#x7; here&#x1b;[31m.</p>')),
      ]),
    );
    expect(run.status).toBe(0);
    const db = openDatabase(dataDir);
    const post = readPost(db, '5101')!;
    expect(post.title).toBe('Fake\uFFFD control title');
    expect(post.text).toBe('Fake\uFFFD text here[31m.');
    db.close();
  });
});

describe('an export cut short', () => {
  it('stores what came before the cut and reports the cut entry with its line, exiting non-zero', () => {
    const whole = fakeExport([
      fakePost('6001', 'Fake first', escapeXml('<p>Fake first words.</p>')),
      fakeComment('6002', '6001', escapeXml('Fake first comment.')),
      fakePost('6003', 'Fake second', escapeXml('<p>Fake second words.</p>')),
      fakePost('6004', 'Fake third, cut', escapeXml('<p>Fake third words that the cut loses.</p>')),
    ]);
    const cut = whole.slice(0, whole.indexOf('third words'));
    const { file, dataDir, run } = ingestFile(cut);

    expect(run.status).toBe(1);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(errorLines(run.stderr)).toEqual([expect.stringMatching(new RegExp(`^error: ${file}:6: entry is cut off`))]);
    const db = openDatabase(dataDir);
    expect(archiveStats(db)).toMatchObject({ posts: 2, comments: 1 });
    expect(readPost(db, '6003')?.text).toBe('Fake second words.');
    expect(readPost(db, '6004')).toBeNull();
    db.close();
  });

  it('a second, whole copy of the file then adds only what the cut lost', () => {
    const whole = fakeExport([
      fakePost('6101', 'Fake kept', escapeXml('<p>Fake kept words.</p>')),
      fakePost('6102', 'Fake lost', escapeXml('<p>Fake lost words.</p>')),
    ]);
    const dir = tempDir();
    const dataDir = join(dir, 'data');
    const file = join(dir, 'export.xml');
    writeFileSync(file, whole.slice(0, whole.indexOf('lost words')));
    expect(cli(['ingest', file], dataDir).status).toBe(1);
    writeFileSync(file, whole);
    const again = cli(['ingest', file, '--json'], dataDir);
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ posts: 2, added: 1, skipped: 1 });
  });
});
