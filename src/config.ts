// Configuration read once from the environment (and .env), validated with zod (its mini API);
// every problem is reported together, and the token is never printed.
// zod/mini: the same checks as zod's classic API without its ~700 KB of every locale and JSON-schema tooling, which
// took ~55 ms of every start to load. It loads no language by itself: English, for the messages it writes.
import { en } from 'zod/locales';
import * as z from 'zod/mini';

z.config(en());

const trimmed = () => z.string().check(z.trim());
const optionalText = z.optional(
  z.pipe(
    trimmed(),
    z.transform((v: string) => (v === '' ? undefined : v)),
  ),
);
/** A variable with a default: trimmed, and the default when unset or empty. */
const withDefault = (fallback: string) =>
  z.pipe(
    z._default(trimmed(), fallback),
    z.transform((v: string) => v || fallback),
  );
const URL_MESSAGE = 'must be a full URL such as https://example.org';
const urlWithDefault = (fallback: string) => z.pipe(withDefault(fallback), z.url(URL_MESSAGE));
const optionalUrl = () => z.pipe(optionalText, z.optional(z.url(URL_MESSAGE)));
/** Minutes in `30m`, `1h`, `1d` (the form is checked first). */
const minutesIn = (value: string) =>
  Number.parseInt(value, 10) * { m: 1, h: 60, d: 1440 }[value.trim().slice(-1) as 'm' | 'h' | 'd'];

/** The petition numbers of PETITION_ID, in its order (the first is the default); assumes petitionIdProblems found none. */
export function petitionIds(value: string): number[] {
  return value.split(',').map((item) => Number(item.trim()));
}

/** What is wrong with PETITION_ID, naming the item: one number, or several separated by commas. */
function petitionIdProblems(value: string): string[] {
  const items = value.split(',').map((item) => item.trim());
  if (items.length === 1) return /^\d+$/.test(items[0]!) ? [] : ['must be the petition number, digits only'];
  const problems: string[] = [];
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const which = `item ${i + 1} of ${items.length}`;
    if (item === '') problems.push(`${which} is empty: give petition numbers separated by commas`);
    else if (!/^\d+$/.test(item))
      problems.push(`${which}, "${item.slice(0, 40)}", is not a petition number: digits only, separated by commas`);
    else if (seen.has(String(Number(item)))) problems.push(`${which}, ${item}, is listed already`);
    seen.add(String(Number(item)));
  });
  return problems;
}

const ConfigSchema = z.object({
  DISCORD_TOKEN: optionalText,
  DISCORD_GUILD_ID: z.pipe(
    optionalText,
    z.optional(z.string().check(z.regex(/^\d{17,20}$/, 'must be a server (guild) id: 17–20 digits'))),
  ),
  DATA_DIR: withDefault('./data'),
  BLOG_URL: urlWithDefault('https://probationmatters.blogspot.com'),
  ARCHIVE_SOURCES: optionalText,
  SYNC_INTERVAL: z.pipe(
    withDefault('1h'),
    z.string().check(
      z.regex(/^\d+\s*(m|h|d)$/, { message: 'must be a number and a unit: 30m, 1h, 1d', abort: true }),
      // Back-to-back syncs would hammer the blog; new posts come a few a day.
      z.refine((v: string) => minutesIn(v) >= 5, 'must be at least 5m (5 minutes)'),
    ),
  ),
  /** How often the leader compares the archive with the whole blog to follow its deletions: `7d`, `24h`, or `off`. */
  RECONCILE_EVERY: z.pipe(
    z.pipe(
      withDefault('7d'),
      z.transform((v: string) => v.toLowerCase()),
    ),
    z.string().check(
      z.regex(/^(off|\d+\s*(h|d))$/, { message: 'must be a number and a unit (24h, 7d), or off', abort: true }),
      // A reconciliation reads every page of both feeds (about 1,000 requests for the whole blog): once a day at most.
      z.refine((v: string) => v === 'off' || minutesIn(v) >= 1440, 'must be at least 1d (a day), or off'),
    ),
  ),
  /** The petition, or several separated by commas: the first is the one shown when none is named. */
  PETITION_ID: z.pipe(
    withDefault('651215'),
    z.pipe(
      z.string().check(
        z.superRefine((v: string, ctx) => {
          for (const message of petitionIdProblems(v)) ctx.addIssue({ code: 'custom', message, input: v });
        }),
      ),
      z.transform((v: string) => petitionIds(v).join(',')),
    ),
  ),
  /** Where the petition's JSON is read: a mirror over https, or one on this machine by its loopback address (withLocalSite). */
  PETITION_SITE_URL: urlWithDefault('https://petition.parliament.uk'),
  CHANGE_ORG_URL: optionalUrl(),
  NAPO_FEED_URL: optionalUrl(),
  DEFAULT_TIMEZONE: z.pipe(
    withDefault('Europe/London'),
    z.string().check(z.refine(isTimeZone, 'must be an IANA time zone such as Europe/London')),
  ),
  /** Discord's REST address; only tests (a fake Discord on 127.0.0.1) or a proxy change it. */
  DISCORD_API_URL: optionalUrl(),
  LOG_LEVEL: z.pipe(withDefault('info'), z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])),
  /** 1 (the default): one process. 2 or more, or `auto` (Discord's recommendation): a ShardingManager. */
  SHARD_COUNT: z.pipe(
    z.pipe(
      withDefault('1'),
      z.string().check(z.regex(/^(auto|[1-9]\d{0,4})$/i, 'must be a number of shards (1 or more) or auto')),
    ),
    z.transform((v: string): number | 'auto' => (v.toLowerCase() === 'auto' ? 'auto' : Number(v))),
  ),
  /** /healthz and /metrics on this TCP port; off when empty. With shards, shard i listens on HEALTH_PORT + i. */
  HEALTH_PORT: z.pipe(
    optionalText,
    z.optional(
      z.pipe(
        z.string().check(
          z.regex(/^\d{1,5}$/, { message: 'must be a TCP port number (1–65535), or empty for none', abort: true }),
          z.refine((v: string) => Number(v) >= 1 && Number(v) <= 65_535, 'must be a TCP port number (1–65535)'),
        ),
        z.transform(Number),
      ),
    ),
  ),
  /** The address the health endpoint listens on: this machine only unless told (a container says 0.0.0.0). */
  HEALTH_HOST: z.pipe(
    withDefault('127.0.0.1'),
    z.union(
      [z.ipv4(), z.ipv6(), z.literal('localhost')],
      'must be an IP address to listen on, such as 127.0.0.1 or 0.0.0.0',
    ),
  ),
  /** A daily backup of the database goes here, kept 7 days; schema upgrades leave their backup here too. */
  BACKUP_DIR: optionalText,
  /** For how many days from a new post's date its new comments are mirrored into its thread (default 30). */
  POST_THREAD_DAYS: z.pipe(
    z.pipe(
      z.pipe(withDefault('30'), z.string().check(z.regex(/^[1-9]\d{0,2}$/, 'must be a number of days, 1 to 365'))),
      z.transform(Number),
    ),
    z.number().check(z.maximum(365, 'must be a number of days, 1 to 365')),
  ),
});

/** Every variable the configuration reads: .env.example documents each one. */
export const CONFIG_VARIABLES = Object.keys(ConfigSchema.shape);

export type Config = Omit<z.infer<typeof ConfigSchema>, 'ARCHIVE_SOURCES' | 'SYNC_INTERVAL' | 'RECONCILE_EVERY'> & {
  /** Paths or URLs ingested on a first start with an empty store. */
  ARCHIVE_SOURCES: string[];
  SYNC_INTERVAL_MS: number;
  /** Null: no reconciliation (`off`). */
  RECONCILE_EVERY_MS: number | null;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`configuration is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Validate an environment (process.env after dotenv); throws ConfigError listing every problem. */
export function readConfig(env: Record<string, string | undefined>): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`));
  }
  const { RECONCILE_EVERY, ...c } = parsed.data;
  const interval = /^(\d+)\s*(m|h|d)$/.exec(c.SYNC_INTERVAL)!;
  const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[interval[2] as 'm' | 'h' | 'd'];
  return {
    ...c,
    ARCHIVE_SOURCES: (c.ARCHIVE_SOURCES ?? c.BLOG_URL)
      .split(/[,\n]/)
      .map((s) => s.trim())
      .filter(Boolean),
    SYNC_INTERVAL_MS: Number(interval[1]) * unit,
    RECONCILE_EVERY_MS: RECONCILE_EVERY === 'off' ? null : minutesIn(RECONCILE_EVERY) * 60_000,
  };
}

/** The configuration, or null after telling every problem (and where the variables are documented). */
export function loadConfig(env: Record<string, string | undefined>, tell: (line: string) => void): Config | null {
  try {
    return readConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    tell(`${error.message}\nSee .env.example for every variable.`);
    return null;
  }
}
