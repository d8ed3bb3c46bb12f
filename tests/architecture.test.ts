// The layering rule of DESIGN.md, held: pure rooms import no I/O and nothing
// of the rooms above them; only src/store holds SQL; use cases know nothing of
// Discord or the terminal; src/discord never imports commands/; no import cycles.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Every module a file imports (type-only imports and re-exports included), as written. */
function importsOf(text: string): string[] {
  const found: string[] = [];
  const patterns = [/\b(?:import|export)\s[^'"]*?\sfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*\(?\s*['"]([^'"]+)['"]/g];
  for (const pattern of patterns) for (const m of text.matchAll(pattern)) found.push(m[1]!);
  return found;
}

const CODE = [...sources(join(ROOT, 'src')), ...sources(join(ROOT, 'commands'))];
const rel = (file: string) => relative(ROOT, file).split('\\').join('/');
/** Project files each file imports, by path from the root. */
const graph = new Map(
  CODE.map((file) => [
    rel(file),
    importsOf(readFileSync(file, 'utf8'))
      .filter((m) => m.startsWith('.'))
      .map((m) => rel(resolve(dirname(file), m.replace(/\.js$/, '.ts')))),
  ]),
);
const libraries = (file: string) => importsOf(readFileSync(join(ROOT, file), 'utf8')).filter((m) => !m.startsWith('.'));
const inRoom = (room: string) => [...graph.keys()].filter((f) => f.startsWith(`${room}/`));
/** Whether every import of a library matching `pattern` in `file` is `import type` (gone once compiled). */
const typeOnly = (file: string, pattern: RegExp) =>
  [...readFileSync(join(ROOT, file), 'utf8').matchAll(/\b(import|export)\s+(type\s+)?[^'"]*?from\s*['"]([^'"]+)['"]/g)]
    .filter((m) => pattern.test(m[3]!))
    .every((m) => m[2] !== undefined) &&
  ![...readFileSync(join(ROOT, file), 'utf8').matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]/g)].some((m) =>
    pattern.test(m[1]!),
  );

const IO =
  /^(discord\.js|better-sqlite3|undici|node:(fs|fs\/promises|http|https|net|child_process|dgram|dns|dns\/promises|tls)|fs|http|https|ws)$/;
const PURE = ['src/archive', 'src/search', 'src/digest'];
/** Name resolution and outgoing requests: src/sources alone, where the network policy is kept. */
const NETWORK = /^(undici|node:dns(\/promises)?|dns)$/;
/** A call of fetch itself (not discord.js's `guilds.fetch(id)`). */
const FETCH = /(?<![.\w])fetch\(|globalThis\.fetch\b/;
/** A statement prepared or a pragma run, or SQL written out. */
const SQL =
  /\.(prepare|pragma)\(|\b(SELECT\s[^'"`]*?\sFROM|INSERT\s+INTO|DELETE\s+FROM|UPDATE\s+\w+\s+SET|CREATE\s+TABLE)\b/;

/**
 * The modules loading a file loads: every import and re-export but `import type` and `import('…')`. With
 * verbatimModuleSyntax, `import { type X } from 'm'` compiles to `import {} from 'm'`, which still loads m.
 */
function loadedBy(text: string): string[] {
  return [...text.matchAll(/^\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s*)?['"]([^'"]+)['"]/gm)]
    .filter((m) => m[1] === undefined)
    .map((m) => m[2]!);
}

/** The project files and libraries loaded with `entry`, following static imports only. */
function loadedWith(entry: string): { files: Set<string>; libraries: Set<string> } {
  const files = new Set<string>();
  const libraries = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const m of loadedBy(readFileSync(join(ROOT, file), 'utf8'))) {
      if (m.startsWith('.')) visit(rel(resolve(dirname(join(ROOT, file)), m.replace(/\.js$/, '.ts'))));
      else libraries.add(m);
    }
  };
  visit(entry);
  return { files, libraries };
}

/** The first import cycle found among `files`, as the list of files around it; null when there is none. */
function findCycle(edges: ReadonlyMap<string, readonly string[]>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (file: string): string[] | null => {
    if (state.get(file) === 'done') return null;
    if (state.get(file) === 'open') return [...path.slice(path.indexOf(file)), file];
    state.set(file, 'open');
    path.push(file);
    for (const next of edges.get(file) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(file, 'done');
    return null;
  };
  for (const file of edges.keys()) {
    const cycle = visit(file);
    if (cycle) return cycle;
  }
  return null;
}

describe('architecture', () => {
  it.each(PURE)('%s imports no I/O (Discord, SQLite, files, network)', (room) => {
    const files = inRoom(room);
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((f) => libraries(f).some((m) => IO.test(m)))).toEqual([]);
  });

  it.each(PURE)('%s imports only from the pure rooms', (room) => {
    const outside = inRoom(room).flatMap((f) =>
      graph
        .get(f)!
        .filter((to) => !PURE.some((p) => to.startsWith(`${p}/`)))
        .map((to) => `${f} → ${to}`),
    );
    expect(outside).toEqual([]);
  });

  it('holds SQL only in src/store: no statements prepared or run, no better-sqlite3, anywhere else', () => {
    const offenders = [...graph.keys()].filter(
      (f) =>
        !f.startsWith('src/store/') &&
        (SQL.test(readFileSync(join(ROOT, f), 'utf8')) || libraries(f).includes('better-sqlite3')),
    );
    expect(offenders).toEqual([]);
  });

  it('keeps use cases and jobs free of Discord, the terminal and the commands', () => {
    const edges = [...inRoom('src/app'), ...inRoom('src/jobs')].flatMap((f) => [
      ...graph
        .get(f)!
        .filter((to) => /^(src\/(discord|console)|commands)\//.test(to))
        .map((to) => `${f} → ${to}`),
      ...libraries(f)
        .filter((m) => m === 'discord.js')
        .map((m) => `${f} → ${m}`),
    ]);
    expect(edges).toEqual([]);
  });

  it('never has src/discord import commands/ (the commands import Discord, not the other way)', () => {
    const edges = inRoom('src/discord').flatMap((f) => graph.get(f)!.filter((to) => to.startsWith('commands/')));
    expect(edges).toEqual([]);
  });

  it('keeps only entry points, configuration, the log, the clock and process edges at the top of src/', () => {
    const top = [...graph.keys()].filter((f) => /^src\/[^/]+\.ts$/.test(f)).sort();
    expect(top).toEqual(
      [
        'src/cli.ts',
        'src/clock.ts',
        'src/config.ts',
        'src/deploy.ts',
        'src/log.ts',
        'src/main.ts',
        'src/preview.ts',
        'src/process.ts',
      ].sort(),
    );
  });

  it('resolves names and makes outgoing requests only in src/sources, where the network policy is kept', () => {
    const offenders = [...graph.keys()].filter(
      (f) =>
        !f.startsWith('src/sources/') &&
        (libraries(f).some((m) => NETWORK.test(m)) || FETCH.test(readFileSync(join(ROOT, f), 'utf8'))),
    );
    expect(offenders).toEqual([]);
  });

  it('keeps the health endpoint and metrics (an HTTP server, prom-client) at the edge, in src/ops', () => {
    const offenders = [...graph.keys()].filter(
      (f) => !f.startsWith('src/ops/') && libraries(f).some((m) => /^(prom-client|node:http|http)$/.test(m)),
    );
    expect(offenders).toEqual([]);
    expect(inRoom('src/ops').length).toBeGreaterThan(0);
    // Nothing below the edges reaches up to it: the router reports through an interface of its own.
    const upward = [...PURE, 'src/app', 'src/store', 'src/jobs', 'src/discord', 'src/console', 'commands'].flatMap(
      (room) =>
        [...graph.keys()]
          .filter((f) => f.startsWith(`${room}/`))
          .flatMap((f) =>
            graph
              .get(f)!
              .filter((to) => to.startsWith('src/ops/'))
              .map((to) => `${f} → ${to}`),
          ),
    );
    expect(upward).toEqual([]);
  });

  it('draws charts only in src/render, loading the chart libraries on the first chart, never at start', () => {
    const CHARTS = /^(vega|vega-lite|@resvg\/resvg-js)$/;
    const outside = [...graph.keys()].filter(
      (f) => !f.startsWith('src/render/') && libraries(f).some((m) => CHARTS.test(m)) && !typeOnly(f, CHARTS),
    );
    expect(outside).toEqual([]);
    // Inside, only `import type` and `import('…')` name them: a plain import would load them with the bot.
    const eager = inRoom('src/render').filter((f) =>
      [...readFileSync(join(ROOT, f), 'utf8').matchAll(/^import\s+(?!type\b)[^'"]*?from\s*['"]([^'"]+)['"]/gm)].some(
        (m) => CHARTS.test(m[1]!),
      ),
    );
    expect(eager).toEqual([]);
  });

  // Loaded only when needed, not with every start: discord.js (~300 ms) on a token, prom-client (~30 ms) and node:http
  // on HEALTH_PORT, undici on the first fetch, the chart libraries on the first chart; the parsers (htmlparser2), the
  // network policy (ipaddr.js, node:dns) and node:child_process with the first ingest, read or rebuild. The console
  // (no token) and the CLI start without them. The commands are defined as plain JSON (no @discordjs/builders:
  // ~45 ms), with the API's constants from discord-api-types' payloads alone (its whole v10 adds the REST, gateway
  // and RPC ones).
  const LATE =
    /^(discord\.js|prom-client|undici|vega|vega-lite|@resvg\/resvg-js|@discordjs\/builders|discord-api-types\/v10)$/;
  /** Loaded late by the console, not by the CLI (which ingests, backs up and reads feeds as its work). */
  const LATE_FOR_THE_BOT = /^(htmlparser2|ipaddr\.js|node:http|node:child_process|node:dns\/promises)$/;
  it.each(['src/main.ts', 'src/cli.ts'])(
    'starts %s without loading discord.js, prom-client, undici, charts or command builders (main: nor parsers, network policy, http, child processes)',
    (entry) => {
      const loaded = loadedWith(entry);
      expect(entry === 'src/cli.ts' || loaded.files.has('src/console/console.ts')).toBe(true);
      expect(loaded.libraries.has('better-sqlite3')).toBe(true);
      expect([...loaded.libraries].filter((m) => LATE.test(m))).toEqual([]);
      if (entry === 'src/main.ts') expect([...loaded.libraries].filter((m) => LATE_FOR_THE_BOT.test(m))).toEqual([]);
    },
  );

  it('loads the Discord front end from main only when a token is given, by import()', () => {
    const main = readFileSync(join(ROOT, 'src/main.ts'), 'utf8');
    const frontEnd = [...main.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) =>
      rel(resolve(join(ROOT, 'src'), m[1]!.replace(/\.js$/, '.ts'))),
    );
    expect(frontEnd.some((f) => loadedWith(f).files.has('src/discord/bot.ts'))).toBe(true);
  });

  it('has no import cycle anywhere in src/ and commands/', () => {
    expect(findCycle(graph)).toBeNull();
  });

  it('the checks themselves catch what they look for', () => {
    expect(importsOf("import type { Db } from './db.js';\nexport { x } from '../y.js';")).toEqual([
      './db.js',
      '../y.js',
    ]);
    expect(loadedBy("import { type Client } from 'discord.js';\nimport type { Db } from './db.js';")).toEqual([
      'discord.js',
    ]);
    expect(loadedBy("import 'dotenv/config';\nexport * from './a.js';\nconst m = await import('./b.js');")).toEqual([
      'dotenv/config',
      './a.js',
    ]);
    expect(IO.test('better-sqlite3') && IO.test('node:fs') && IO.test('discord.js')).toBe(true);
    expect(NETWORK.test('undici') && NETWORK.test('node:dns/promises')).toBe(true);
    expect(FETCH.test('await fetch(url)') && FETCH.test('globalThis.fetch')).toBe(true);
    expect(FETCH.test('client.guilds.fetch(guildId)')).toBe(false);
    expect(SQL.test("db.prepare('SELECT 1')")).toBe(true);
    expect(SQL.test('`SELECT value FROM meta WHERE key = ?`')).toBe(true);
    expect(SQL.test('Select the passage from the list')).toBe(false);
    const circle = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
    ]);
    expect(findCycle(circle)).toEqual(['a.ts', 'b.ts', 'c.ts', 'a.ts']);
    expect(
      findCycle(
        new Map([
          ['a.ts', ['b.ts']],
          ['b.ts', []],
        ]),
      ),
    ).toBeNull();
  });
});
