// The Dockerfile, replayed without a Docker engine (none runs here): its
// stages' COPY and RUN lines in a fresh copy of the repository, as a non-root
// user, then its CMD with its ENV, and its own HEALTHCHECK command, which must
// say healthy. What is replayed as written and what is shortcut:
// - as written: every COPY (from the build context, the files git knows
//   minus .dockerignore, or from the build stage), WORKDIR, ENV, USER, CMD and
//   HEALTHCHECK; RUN lines other than those below, in `sh -c` in the stage's
//   WORKDIR, as the replay user (`nobody` when the test runs as root: the
//   Dockerfile's `node` user; else the test's own user);
// - `apt-get …` is not run: the compiler it installs is only for
//   better-sqlite3, which is not recompiled here (next point);
// - `npm ci` is satisfied from this checkout's own node_modules, after
//   checking it is exactly the tree the lock file gives on this platform (its
//   versions and integrity; only other platforms' optional packages absent),
//   then npm ci's own lifecycle step `npm run prepare` runs (the TypeScript
//   build, as written). So better-sqlite3's binary is the one compiled by
//   `npm install` here (~90 s saved), and no package is downloaded;
// - npm runs with `offline=true` (tests reach no network); the image's node is
//   this machine's (Node 20 as well); paths such as /app and /data are
//   directories under a temporary root; `chown node:node <dirs>` gives them
//   to the replay user.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { refusingUrl, ROOT, tempDir } from '../helpers.js';
import { freePort, get, until } from './support.js';

interface Instruction {
  keyword: string;
  args: string;
}

interface Stage {
  name: string;
  instructions: Instruction[];
}

/** The Dockerfile's stages and their instructions (continuation lines joined, comments dropped). */
function parseDockerfile(text: string): Stage[] {
  const logical = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of logical) {
    const [, keyword = '', args = ''] = /^(\w+)\s+(.*)$/.exec(line) ?? [];
    if (keyword.toUpperCase() === 'FROM') {
      stages.push({ name: /\sAS\s+(\S+)$/i.exec(args)?.[1] ?? String(stages.length), instructions: [] });
    } else {
      stages.at(-1)!.instructions.push({ keyword: keyword.toUpperCase(), args });
    }
  }
  return stages;
}

/** `KEY=value KEY2=value` (the ENV form the Dockerfile uses). */
function envPairs(args: string): Record<string, string> {
  return Object.fromEntries(
    [...args.matchAll(/(\w+)=("[^"]*"|\S+)/g)].map((m) => [m[1]!, m[2]!.replace(/^"|"$/g, '')]),
  );
}

/** The files of a fresh clone (tracked, plus new files not ignored), without what .dockerignore leaves out. */
function buildContext(into: string): void {
  const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((p) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}(/|$)`));
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: ROOT })
    .toString()
    .split('\n')
    .filter((f) => f && existsSync(join(ROOT, f)) && !ignored.some((re) => re.test(f)));
  for (const file of files) {
    mkdirSync(dirname(join(into, file)), { recursive: true });
    cpSync(join(ROOT, file), join(into, file));
  }
}

/** The checkout's node_modules is what `npm ci` would install from the lock file here (else the shortcut is void). */
function installedTreeProblems(): string[] {
  type Entry = { version?: string; integrity?: string; optional?: boolean };
  const read = (file: string) =>
    (JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as { packages: Record<string, Entry> }).packages;
  const locked = read('package-lock.json');
  const installed = read('node_modules/.package-lock.json');
  const problems: string[] = [];
  for (const [path, entry] of Object.entries(locked)) {
    if (path === '') continue;
    const there = installed[path];
    if (!there) {
      if (!entry.optional) problems.push(`${path} is not installed`);
    } else if (there.version !== entry.version || there.integrity !== entry.integrity) {
      problems.push(`${path} is ${there.version}, the lock file says ${entry.version}`);
    }
  }
  for (const path of Object.keys(installed)) if (!locked[path]) problems.push(`${path} is not in the lock file`);
  return problems;
}

/**
 * Who runs the replay: `nobody` for the Dockerfile's `node` user when the test runs as root, else this user; a string
 * says why no non-root user can be switched to (root in a sandbox that forbids it).
 */
function replayUser(): { uid: number; gid: number } | null | string {
  if (process.getuid?.() !== 0) return null;
  try {
    const uid = Number(execFileSync('id', ['-u', 'nobody']).toString());
    const gid = Number(execFileSync('id', ['-g', 'nobody']).toString());
    execFileSync(process.execPath, ['-e', ''], { uid, gid });
    return { uid, gid };
  } catch (error) {
    return `running as root, and switching to the user nobody failed (${error instanceof Error ? error.message : String(error)})`;
  }
}

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

describe('the Dockerfile, replayed', () => {
  it('builds in a fresh copy as a non-root user, and its CMD starts healthy by its own HEALTHCHECK', async (test) => {
    const problems = installedTreeProblems();
    expect(problems, 'node_modules must be what npm ci installs: run npm install').toEqual([]);
    const who = replayUser();
    if (typeof who === 'string') {
      // Not a failure of the Dockerfile: said, and the replay left to a machine where a non-root user can run it.
      console.warn(`Dockerfile replay skipped: ${who}`);
      test.skip();
      return;
    }
    const user: { uid: number; gid: number } | null = who;
    const base = tempDir();
    // A readable place for the replay user (temporary directories are made private to their owner).
    chmodSync(base, 0o755);
    const context = join(base, 'context');
    buildContext(context);
    const home = join(base, 'home');
    mkdirSync(home);
    const stages = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
    expect(stages.map((s) => s.name)).toEqual(['build', '1']);
    /** A container path inside a stage's own root. */
    const roots = new Map(stages.map((s) => [s.name, join(base, `stage-${s.name}`)]));
    const own = (path: string) => {
      if (user) execFileSync('chown', ['-R', `${user.uid}:${user.gid}`, path]);
    };
    const env: Record<string, string> = {};
    let cmd: string[] = [];
    let healthcheck: string[] = [];
    const notReplayed: string[] = [];
    const shortcut: string[] = [];
    own(home);

    for (const stage of stages) {
      const root = roots.get(stage.name)!;
      mkdirSync(root, { recursive: true });
      chmodSync(root, 0o755);
      const inside = (path: string) => join(root, path);
      let workdir = '/';
      let asUser = false;
      for (const instruction of stage.instructions) {
        const { keyword, args } = instruction;
        if (keyword === 'WORKDIR') {
          workdir = args;
          mkdirSync(inside(workdir), { recursive: true });
        } else if (keyword === 'USER') {
          expect(args, 'the image runs as a non-root user').not.toMatch(/^(root|0)$/);
          asUser = true;
        } else if (keyword === 'ENV') {
          Object.assign(env, envPairs(args));
        } else if (keyword === 'COPY') {
          const parts = args.split(/\s+/);
          const from = parts.find((p) => p.startsWith('--from='))?.slice('--from='.length);
          const paths = parts.filter((p) => !p.startsWith('--'));
          const target = paths.pop()!;
          const source = from ? roots.get(from)! : context;
          for (const path of paths) {
            const destination = target.endsWith('/')
              ? join(inside(workdir), target, path.split('/').at(-1)!)
              : join(inside(target.startsWith('/') ? target : join(workdir, target)));
            // Links copied as written (npm's are relative): resolved, they would point back into this checkout,
            // which the replay user may not be able to read (a clone under a mode-700 /root).
            cpSync(join(source, path), destination, { recursive: true, verbatimSymlinks: true });
            if (parts.some((p) => p.startsWith('--chown='))) own(destination);
          }
        } else if (keyword === 'RUN') {
          const chown = /^(?:mkdir -p ([/\w\s]+?) && )?chown node:node ([/\w\s]+)$/.exec(args);
          if (/^apt-get /.test(args)) {
            notReplayed.push(args);
          } else if (chown) {
            for (const dir of chown[2]!.trim().split(/\s+/)) {
              mkdirSync(inside(dir), { recursive: true });
              own(inside(dir));
            }
          } else if (/^npm ci\b/.test(args)) {
            shortcut.push(args);
            cpSync(join(ROOT, 'node_modules'), join(inside(workdir), 'node_modules'), {
              recursive: true,
              verbatimSymlinks: true,
            });
            own(join(inside(workdir), 'node_modules'));
            run(['npm', 'run', 'prepare'], inside(workdir));
          } else {
            run(['sh', '-c', args], inside(workdir));
          }
          expect(asUser || /^(apt-get|chown|mkdir)/.test(args), `RUN ${args} runs as root`).toBe(true);
        } else if (keyword === 'CMD') {
          cmd = JSON.parse(args) as string[];
        } else if (keyword === 'HEALTHCHECK') {
          healthcheck = JSON.parse(args.replace(/^.*?\bCMD\s+/, '')) as string[];
        }
      }
      function run(command: string[], cwd: string) {
        execFileSync(command[0]!, command.slice(1), {
          cwd,
          env: {
            PATH: process.env['PATH'] ?? '',
            HOME: home,
            npm_config_offline: 'true',
            npm_config_update_notifier: 'false',
          },
          stdio: ['ignore', 'pipe', 'pipe'],
          ...(user ?? {}),
        });
      }
    }
    expect(notReplayed).toEqual([expect.stringMatching(/^apt-get update && apt-get install .*python3 make g\+\+/)]);
    expect(shortcut).toEqual(['npm ci --no-audit --no-fund']);

    const app = join(roots.get('1')!, '/app');
    // The runtime stage holds the built program and its runtime dependencies only: no TypeScript loader, no compiler.
    expect(existsSync(join(app, 'dist/main.js'))).toBe(true);
    // Each program is one CommonJS file, which runs in strict mode (as the ES modules it is built from) only when
    // its first statement says so.
    for (const program of ['main', 'cli', 'deploy', 'indexBuilderChild', 'backupChild'])
      expect(readFileSync(join(app, 'dist', `${program}.js`), 'utf8')).toMatch(/^'use strict';/);
    // The bundle forks the index builder and the daily backup by path, beside the chunk that holds the forking code.
    for (const child of ['indexBuilderChild', 'backupChild']) {
      const forking = readdirSync(join(app, 'dist'), { recursive: true, encoding: 'utf8' }).filter(
        (f) => f.endsWith('.js') && readFileSync(join(app, 'dist', f), 'utf8').includes(`new URL(\`./${child}\${`),
      );
      expect(forking.length).toBeGreaterThan(0);
      for (const f of forking) expect(existsSync(join(app, 'dist', dirname(f), `${child}.js`))).toBe(true);
    }
    expect(existsSync(join(app, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'))).toBe(true);
    expect(existsSync(join(app, 'node_modules/tsx'))).toBe(false);
    expect(existsSync(join(app, 'node_modules/typescript'))).toBe(false);
    expect(existsSync(join(app, 'src'))).toBe(false);
    expect(cmd).toEqual(['node', '--max-semi-space-size=8', '--max-old-space-size=160', 'dist/main.js']);
    expect(env).toMatchObject({ DATA_DIR: '/data', HEALTH_HOST: '0.0.0.0', NODE_ENV: 'production' });

    // A tiny made-up archive (console mode, no token: nothing reaches the network).
    const fixture = join(base, 'fixture.txt');
    writeFileSync(
      fixture,
      'Monday, 4 March 2019\n\nA Made-up Post About the Zebra Rota\n\nA made-up paragraph about the zebra rota.\n\n1 comment:\n\n  1. A made-up reader comment about zebras.\n\n    ReplyDelete\n',
    );
    chmodSync(fixture, 0o644);
    const port = await freePort();
    const containerEnv = {
      ...env,
      PATH: process.env['PATH'] ?? '',
      HOME: home,
      DATA_DIR: join(roots.get('1')!, env['DATA_DIR']!),
      // Loopback only in the test; the image listens on all of the container's addresses.
      HEALTH_HOST: '127.0.0.1',
      HEALTH_PORT: String(port),
      ARCHIVE_SOURCES: fixture,
      PETITION_SITE_URL: await refusingUrl(),
    };
    const bot = spawn(cmd[0]!, cmd.slice(1), { cwd: app, env: containerEnv, ...(user ?? {}) });
    children.push(bot);
    let stderr = '';
    bot.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    // stdin stays open, as `docker run -i` keeps it: console mode ends when its input does.
    const exited = new Promise<number | null>((resolve) => bot.on('exit', (code) => resolve(code)));

    const healthy = () =>
      new Promise<boolean>((resolve) => {
        const check = spawn(healthcheck[0]!, healthcheck.slice(1), { cwd: app, env: containerEnv, ...(user ?? {}) });
        check.on('exit', (code) => resolve(code === 0));
        check.on('error', () => resolve(false));
      });
    await until(`the HEALTHCHECK to pass (stderr so far: ${stderr.slice(-500)})`, async () =>
      (await healthy()) ? true : undefined,
    );
    expect(await get(port, '/healthz')).toMatchObject({ status: 200, body: 'ok\n' });
    expect(stderr).toMatch(/"msg":"archive ready"/);
    bot.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toMatch(/"msg":"stopped"/);
  }, 240_000);
});
