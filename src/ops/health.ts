// The operator's endpoint on HEALTH_PORT (127.0.0.1 unless HEALTH_HOST says
// otherwise): `/healthz` answers 200 `ok` only when the store is open, the
// search index is loaded and, with a token, Discord's gateway is ready; else
// 503 with each reason on a line. `/metrics` is Prometheus's text format.
// Started before the first ingest, so a container's health check says
// "starting" rather than nothing at all.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { ArchiveService } from '../app/archive.js';
import type { Config } from '../config.js';
import type { InteractionMetrics } from '../discord/interactionMetrics.js';
import type { MetricsSources } from './metrics.js';

export interface OpsOptions extends Omit<MetricsSources, 'problems'> {
  port: number;
  host: string;
  log: Logger;
  archive: Pick<ArchiveService, 'index'>;
  /** A token is set: healthy needs Discord connected too. */
  discord: boolean;
}

export interface OpsEndpoint {
  /** The port listened on (the one asked for, or the one given for 0). */
  port: number;
  /** For the router (CommandContext.metrics) and admission control. */
  interactions: InteractionMetrics;
  /** The archive is prepared (first ingest done, index loaded or being built): health looks at the index from now on. */
  started(): void;
  /** Discord is connecting: `problem` says why its gateway is not ready, null when it is. */
  watchGateway(problem: () => string | null): void;
  /** Why the bot is not healthy now; empty when it is. */
  problems(): string[];
  close(): Promise<void>;
}

/**
 * The endpoint as configured: none without HEALTH_PORT; with shards, shard i on HEALTH_PORT + i (they share a host).
 * The blogs watched are ARCHIVE_SOURCES' addresses; healthy needs Discord when there is a token.
 */
export async function startOps(
  config: Pick<Config, 'HEALTH_PORT' | 'HEALTH_HOST' | 'DISCORD_TOKEN' | 'ARCHIVE_SOURCES'>,
  wiring: Pick<OpsOptions, 'store' | 'archive' | 'log' | 'now'> & { shard: { ids: number[] } | null },
): Promise<OpsEndpoint | undefined> {
  if (config.HEALTH_PORT === undefined) return undefined;
  return serveOps({
    ...wiring,
    port: config.HEALTH_PORT + (wiring.shard?.ids[0] ?? 0),
    host: config.HEALTH_HOST,
    discord: Boolean(config.DISCORD_TOKEN),
    blogs: config.ARCHIVE_SOURCES.filter((s) => /^https?:\/\//i.test(s)),
  });
}

export async function serveOps(options: OpsOptions): Promise<OpsEndpoint> {
  const { store, archive, log } = options;
  let started = false;
  let gateway: (() => string | null) | null = null;
  const problems = (): string[] => {
    if (!store.operations.isOpen()) return ['the store is closed'];
    const found: string[] = [];
    if (!started) found.push('starting: the archive is being prepared (first ingest, search index)');
    else {
      try {
        archive.index();
      } catch (error) {
        // A UserProblem says it as members read it ("being built, 40% done"); anything else is the index failing.
        found.push(`search index not loaded: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (options.discord) {
      const problem = gateway ? gateway() : 'not connected to Discord yet';
      if (problem) found.push(problem);
    }
    return found;
  };
  // prom-client (~30 ms to load) only with HEALTH_PORT: a bot without the endpoint starts without it.
  // node:http too: loaded here, not with every start.
  const [{ createMetrics }, { createServer }] = await Promise.all([import('./metrics.js'), import('node:http')]);
  const metrics = createMetrics({ ...options, problems });

  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('GET only\n');
      return;
    }
    if (path === '/healthz') {
      const found = problems();
      response
        .writeHead(found.length === 0 ? 200 : 503, {
          'content-type': 'text/plain; charset=utf-8',
          'cache-control': 'no-store',
        })
        .end(found.length === 0 ? 'ok\n' : `${found.join('\n')}\n`);
      return;
    }
    if (path === '/metrics') {
      metrics.registry.metrics().then(
        (text) => response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
        (error: unknown) => {
          log.warn({ err: error }, 'metrics could not be collected');
          response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('metrics failed\n');
        },
      );
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('/healthz or /metrics\n');
  });
  await new Promise<void>((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException) => {
      const why =
        error.code === 'EADDRINUSE'
          ? 'is in use by another program'
          : error.code === 'EADDRNOTAVAIL'
            ? 'is not an address of this machine'
            : `cannot be listened on (${error.code ?? error.message})`;
      reject(
        new Error(
          `HEALTH_HOST ${options.host} HEALTH_PORT ${options.port} ${why}: choose another, or leave HEALTH_PORT empty`,
        ),
      );
    };
    server.once('error', fail);
    server.listen(options.port, options.host, () => {
      server.off('error', fail);
      resolve();
    });
  });
  server.on('error', (error) => log.warn({ err: error }, 'health endpoint error'));
  // The endpoint never keeps the process alive on its own: a start that fails on the way must still end.
  server.unref();
  const port = (server.address() as AddressInfo).port;
  log.info({ host: options.host, port }, 'health and metrics endpoint listening');
  return {
    port,
    interactions: metrics.interactions,
    started: () => {
      started = true;
    },
    watchGateway: (problem) => {
      gateway = problem;
    },
    problems,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
