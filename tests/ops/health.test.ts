// The operator's health and metrics endpoint, over real HTTP on 127.0.0.1:
// /healthz says 200 only when the store is open, the index loaded and (with a
// token) Discord's gateway ready, else 503 with the reason; /metrics is
// Prometheus text with the interactions the real bot answered against the
// fake Discord, the ledger, the syncs, the index and the process.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openArchive } from '../../src/app/archive.js';
import { readConfig } from '../../src/config.js';
import { gatewayProblem } from '../../src/discord/gateway.js';
import { type OpsEndpoint, serveOps, startOps } from '../../src/ops/health.js';
import { BLOG_URL, memoryLog, tempDir } from '../helpers.js';
import { type Harness, seedsArchive, startHarness } from '../discord/harness.js';
import { freePort, get, sample, until } from './support.js';

const seeds = seedsArchive();
const NOW = new Date('2026-11-23T09:00:00Z');
let ops: OpsEndpoint | undefined;
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.stop();
  harness = undefined;
  await ops?.close();
  ops = undefined;
});

const serve = async (options: { discord: boolean; archive?: typeof seeds.archive }) => {
  const archive = options.archive ?? seeds.archive;
  ops = await serveOps({
    port: await freePort(),
    host: '127.0.0.1',
    log: memoryLog().log,
    store: archive.store,
    archive,
    discord: options.discord,
    blogs: [BLOG_URL],
    now: () => NOW,
  });
  return ops;
};

describe('/healthz', () => {
  it('in console mode: 503 while starting, 200 once the store is open and the index loaded', async () => {
    const endpoint = await serve({ discord: false });
    const starting = await get(endpoint.port, '/healthz');
    expect(starting.status).toBe(503);
    expect(starting.body).toMatch(/^starting: the archive is being prepared/);
    endpoint.started();
    expect(await get(endpoint.port, '/healthz')).toMatchObject({ status: 200, body: 'ok\n' });
  });

  it('with a token: 503 until the gateway is ready, 200 while it is, 503 with the reason when it is lost', async () => {
    const endpoint = await serve({ discord: true });
    endpoint.started();
    expect(await get(endpoint.port, '/healthz')).toMatchObject({ status: 503, body: 'not connected to Discord yet\n' });
    harness = await startHarness(seeds.archive, { metrics: endpoint.interactions });
    const { bot, fake } = harness;
    endpoint.watchGateway(() => gatewayProblem(bot.client));
    expect(await get(endpoint.port, '/healthz')).toMatchObject({ status: 200, body: 'ok\n' });
    // Discord ends the session and does not let the bot back in (READY withheld): not healthy, and says why.
    fake.withholdReady(true);
    fake.invalidateSession(false);
    const lost = await until('a 503 once the session is gone', async () => {
      const answer = await get(endpoint.port, '/healthz');
      return answer.status === 503 ? answer : undefined;
    });
    expect(lost.body).toMatch(/^Discord gateway not ready: shard 0 \w/);
    fake.withholdReady(false);
  });

  it('answers 503 when the store has been closed', async () => {
    const archive = openArchive(join(tempDir(), 'data'), BLOG_URL);
    const endpoint = await serve({ discord: false, archive });
    endpoint.started();
    expect((await get(endpoint.port, '/healthz')).status).toBe(200);
    archive.close();
    expect(await get(endpoint.port, '/healthz')).toMatchObject({ status: 503, body: 'the store is closed\n' });
  });

  it('is off without HEALTH_PORT, on 127.0.0.1 by default, and a port in use is one clear line', async () => {
    const wiring = { store: seeds.archive.store, archive: seeds.archive, log: memoryLog().log, now: () => NOW };
    expect(await startOps(readConfig({}), { ...wiring, shard: null })).toBeUndefined();
    expect(readConfig({}).HEALTH_HOST).toBe('127.0.0.1');
    const endpoint = await serve({ discord: false });
    const taken = readConfig({ HEALTH_PORT: String(endpoint.port) });
    await expect(startOps(taken, { ...wiring, shard: null })).rejects.toThrow(
      `HEALTH_HOST 127.0.0.1 HEALTH_PORT ${endpoint.port} is in use by another program`,
    );
    expect(() => readConfig({ HEALTH_PORT: 'eighty', HEALTH_HOST: 'anywhere' })).toThrow(
      /HEALTH_PORT: must be a TCP port number[\s\S]*HEALTH_HOST: must be an IP address/,
    );
  });
});

describe('/metrics', () => {
  it('counts interactions by command and outcome, with answer-time histograms', async () => {
    const endpoint = await serve({ discord: true });
    harness = await startHarness(seeds.archive, { metrics: endpoint.interactions });
    const { fake } = harness;
    await fake.slashCommand('search', [{ name: 'query', type: 3, value: 'probation treadmill' }]).final(10_000);
    // /config needs Manage Server: a plain member is told so privately, a problem rather than a failure.
    await fake.slashCommand('config', [{ name: 'show', type: 1 }]).response();
    endpoint.interactions.count('dropped_autocompletes', { command: 'quote' });
    const page = await until('both interactions counted', async () => {
      const text = (await get(endpoint.port, '/metrics')).body;
      return text.includes('outcome="problem"') ? text : undefined;
    });
    expect(page).toContain('# TYPE archive_bot_interactions_total counter');
    expect(sample(page, 'archive_bot_interactions_total{command="search",outcome="answered"}')).toBe(1);
    expect(sample(page, 'archive_bot_interactions_total{command="config",outcome="problem"}')).toBe(1);
    expect(page).toContain('# TYPE archive_bot_interaction_duration_seconds histogram');
    expect(sample(page, 'archive_bot_interaction_duration_seconds_count{command="search",outcome="answered"}')).toBe(1);
    expect(
      sample(page, 'archive_bot_interaction_duration_seconds_bucket{le="+Inf",command="search",outcome="answered"}'),
    ).toBe(1);
    expect(sample(page, 'archive_bot_dropped_autocompletes_total{command="quote"}')).toBe(1);
  });

  it('shows the ledger by state, the last sync, the index, health and the process', async () => {
    const { store } = seeds.archive;
    store.syncs.save(BLOG_URL, {
      ...store.syncs.get(BLOG_URL),
      lastAttempt: '2026-11-23T08:00:00Z',
      lastSuccess: '2026-11-23T08:00:00Z',
      lastError: null,
    });
    store.deletions.saveRecord(BLOG_URL, {
      lastAttempt: '2026-11-23T08:00:00Z',
      lastSuccess: null,
      lastError: 'made up: the comments feed ended early',
    });
    const endpoint = await serve({ discord: false });
    endpoint.started();
    const { status, body: page, type } = await get(endpoint.port, '/metrics');
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const state of ['claimed', 'held', 'sent', 'skipped', 'failed'])
      expect(sample(page, `archive_bot_deliveries{state="${state}"}`)).toBe(0);
    expect(sample(page, `archive_bot_last_sync_age_seconds{blog="${BLOG_URL}"}`)).toBe(3600);
    expect(sample(page, `archive_bot_last_sync_ok{blog="${BLOG_URL}"}`)).toBe(1);
    expect(sample(page, `archive_bot_last_reconcile_ok{blog="${BLOG_URL}"}`)).toBe(0);
    expect(sample(page, 'archive_bot_blog_deleted{kind="comment"}')).toBe(0);
    expect(sample(page, 'archive_bot_index_file_bytes')).toBe(seeds.archive.store.index.fileBytes());
    expect(sample(page, 'archive_bot_index_journal_entries')).toBeGreaterThanOrEqual(0);
    expect(sample(page, 'archive_bot_healthy')).toBe(1);
    expect(page).toContain('# TYPE nodejs_eventloop_lag_p99_seconds gauge');
    expect(page).toContain('# TYPE process_resident_memory_bytes gauge');
    expect((await get(endpoint.port, '/elsewhere')).status).toBe(404);
  });
});
