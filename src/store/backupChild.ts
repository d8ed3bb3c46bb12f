// The child process `dailyBackupInChild` starts: today's backup on its own
// connection (WAL: the bot goes on reading and writing), away from the bot's
// event loop. The outcome goes back over IPC.
import { type DailyBackupMessage, type DailyBackupTask, dailyBackup } from './backup.js';
import { openDatabase } from './db.js';

const send = (message: DailyBackupMessage) =>
  new Promise<void>((resolve) => (process.send ? process.send(message, () => resolve()) : resolve()));

process.once('message', (task: DailyBackupTask) => {
  void (async () => {
    try {
      const db = openDatabase(task.dataDir);
      try {
        await send({ done: await dailyBackup(db, task.dir, task.date, task.keepDays) });
      } finally {
        db.close();
      }
    } catch (error) {
      await send({ error: error instanceof Error ? error.message : String(error) });
    }
    process.disconnect?.();
  })();
});
