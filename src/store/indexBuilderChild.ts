// The child process `rebuildInChild` starts: one full index rebuild on its own
// connection, away from the bot's event loop (and its memory: the build's peak
// goes when the child exits). Progress and the outcome go back over IPC.
import { setTimeout as sleep } from 'node:timers/promises';
import { openDatabase } from './db.js';
import { rebuildIndex } from './indexFile.js';
import type { BuilderMessage, BuilderTask } from './indexBuilder.js';

const send = (message: BuilderMessage) =>
  new Promise<void>((resolve) => (process.send ? process.send(message, () => resolve()) : resolve()));

process.once('message', (task: BuilderTask) => {
  void (async () => {
    try {
      // Tests make the build slow, to answer members while it runs.
      if (task.holdMs) await sleep(task.holdMs);
      const db = openDatabase(task.dataDir);
      try {
        const { bytes } = rebuildIndex(db, task.dataDir, { onProgress: (passages) => void send({ passages }) });
        await send({ done: bytes });
      } finally {
        db.close();
      }
    } catch (error) {
      await send({ error: error instanceof Error ? error.message : String(error) });
    }
    process.disconnect?.();
  })();
});
