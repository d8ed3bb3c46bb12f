// A full index rebuild in a child process. At full size the build runs ~20 s
// and peaks at ~300 MB: on the bot's own event loop every interaction arriving
// meanwhile would miss Discord's 3 s, and the heap would keep the peak. The
// child builds and saves the file (the same atomic save as ever); the parent
// keeps answering from the index it has and loads the new file when told.
import { resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What the parent asks. */
export interface BuilderTask {
  dataDir: string;
  /** Wait this long before building (tests: a slow build). */
  holdMs?: number;
}

/** What the child says: passages indexed so far, then done (bytes saved) or the error. */
export type BuilderMessage = { passages: number } | { done: number } | { error: string };

export class IndexBuildError extends Error {
  override name = 'IndexBuildError';
}

/** Build and save a fresh index for `dataDir` in a child process; resolves with the bytes saved. */
export async function rebuildInChild(
  task: BuilderTask,
  options: { onProgress?: (passages: number) => void; signal?: AbortSignal } = {},
): Promise<number> {
  const entry = fileURLToPath(
    new URL(`./indexBuilderChild${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url),
  );
  // Run from TypeScript sources (npm run dev, tests), the child needs the same loader; built (npm start), none.
  const fromSources = entry.endsWith('.ts');
  const execArgv = fromSources ? ['--import', 'tsx'] : [];
  // node:child_process loaded with the first rebuild, not with every start.
  const { fork } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    // From sources, the child starts in the project's root, where `--import tsx` resolves; built, where this process
    // runs. Either way it gets the data directory as an absolute path, so a relative DATA_DIR means the same place.
    const cwd = fromSources ? fileURLToPath(new URL('../..', import.meta.url)) : process.cwd();
    const child = fork(entry, [], {
      cwd,
      execArgv,
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      signal: options.signal,
    });
    let stderr = '';
    let outcome: BuilderMessage | null = null;
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2_000);
    });
    child.on('message', (message: BuilderMessage) => {
      if ('passages' in message) options.onProgress?.(message.passages);
      else outcome = message;
    });
    child.on('error', (error) =>
      reject(error.name === 'AbortError' ? new IndexBuildError('index build stopped') : error),
    );
    child.on('exit', (code, signal) => {
      const ended = outcome as BuilderMessage | null;
      if (ended && 'done' in ended) return resolve(ended.done);
      if (ended && 'error' in ended) return reject(new IndexBuildError(ended.error));
      const how = signal ? `was stopped (${signal})` : `exited with ${code}`;
      reject(new IndexBuildError(`the index build ${how}${stderr ? `: ${stderr.trim().split('\n').at(-1)}` : ''}`));
    });
    child.send({ ...task, dataDir: resolvePath(task.dataDir) });
  });
}
