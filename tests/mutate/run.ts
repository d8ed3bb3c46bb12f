// `npm run mutate [-- stryker options]`: StrykerJS over the modules stryker.config.json names, in its sandbox
// (a copy of the checkout under .stryker-tmp), whose tests find the shared seeds through PROBATION_SHARED_DIR.
// Incremental: a second run tests again only what changed; `-- --force` tests everything.
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const stryker = join(root, 'node_modules/@stryker-mutator/core/bin/stryker.js');
const run = spawnSync(process.execPath, [stryker, 'run', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, PROBATION_SHARED_DIR: process.env['PROBATION_SHARED_DIR'] ?? resolve(root, '../shared') },
});
process.exitCode = run.status ?? 1;
