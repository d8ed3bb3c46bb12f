// Child process: the bot's search started as `npm start` runs it, from the built program (dist/, plain node, no
// TypeScript loader): the archive opened on a data directory whose index is built, the first query answered; then
// a few hundred queries, and the memory held once they are done. Plain JavaScript, so that nothing but the built
// code is loaded (serve-ours.ts is the same under tsx). `npm run build` first (npm install does it).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const [configJson, origin] = process.argv.slice(2);
if (!configJson || !origin) throw new Error('usage: serve-built.mjs <config JSON> <parent clock ms at spawn>');
const config = JSON.parse(configJson);
const clock = () => performance.timeOrigin + performance.now();
const built = new URL('../../dist/src/app/archive.js', import.meta.url);
if (!existsSync(built)) throw new Error('no built program in dist/: run npm run build');

const startToMainMs = clock() - Number(origin);
const { openArchive } = await import(built.href);
const importedMs = clock() - Number(origin);
const queries = JSON.parse(readFileSync(config.queriesFile, 'utf8'));
const archive = openArchive(config.dataDir, config.blogUrl, { answersKept: 0 });
archive.search(queries.plain[0] ?? 'probation', { limit: 10 });
const startToFirstAnswerMs = clock() - Number(origin);
const firstAnswerRssMb = process.resourceUsage().maxRSS / 1024;
const asked = Object.values(queries).flat().slice(0, 400);
for (const query of asked) archive.search(query, { limit: 10 });
const peakRssMb = process.resourceUsage().maxRSS / 1024;
// Steady as common.ts's steadyRssMb reads it for the other engines: a full collection, a short pause (V8 returns
// freed pages from a background thread), another collection.
globalThis.gc?.();
await new Promise((r) => setTimeout(r, 500));
globalThis.gc?.();
const round = (x) => Math.round(x * 10) / 10;
writeFileSync(
  config.resultFile,
  JSON.stringify({
    startToMainMs: round(startToMainMs),
    importedMs: round(importedMs),
    startToFirstAnswerMs: round(startToFirstAnswerMs),
    firstAnswerRssMb: round(firstAnswerRssMb),
    peakRssMb: round(peakRssMb),
    steadyRssMb: round(process.memoryUsage().rss / 1048576),
    queries: asked.length,
  }),
);
archive.close();
