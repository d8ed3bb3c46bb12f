// The store as the rest of the program sees it: one SQLite connection under
// DATA_DIR and the repositories over it. Nothing outside `src/store` holds
// the connection; use cases receive the repositories they need.
import { dirname } from 'node:path';
import type { ArchiveRepository } from './archive.js';
import { archiveRepository } from './archive.js';
import { type BlogDeletionRepository, blogDeletionRepository } from './blogDeletions.js';
import { type BackupReport, backupDatabase, type DailyBackupReport, dailyBackupInChild } from './backup.js';
import { type Db, type OpenOptions, openDatabase } from './db.js';
import { type DeliveryRepository, deliveryRepository } from './deliveries.js';
import { type IndexRepository, indexRepository } from './indexFile.js';
import { type LeaseRepository, leaseRepository } from './leases.js';
import { type MemberRepository, memberRepository } from './members.js';
import { type MetaRepository, metaRepository } from './meta.js';
import { type NewsRepository, newsRepository } from './news.js';
import { type OperationsRepository, operationsRepository } from './operations.js';
import { type PetitionRepository, petitionRepository } from './petition.js';
import { type PetitionLinkRepository, petitionLinkRepository } from './petitionLinks.js';
import { type PostedRepository, postedRepository } from './posted.js';
import { type PostThreadRepository, postThreadRepository } from './postThreads.js';
import { type RetentionRepository, retentionRepository } from './retention.js';
import { type SessionRepository, sessionRepository } from './sessions.js';
import { type SettingsRepository, settingsRepository } from './settings.js';
import { asStorageError } from './statements.js';
import { type SyncStateRepository, syncStateRepository } from './syncState.js';
import { type TakedownRepository, takedownRepository } from './takedowns.js';
import { type WatchRepository, watchRepository } from './watches.js';

export interface Repositories {
  archive: ArchiveRepository;
  index: IndexRepository;
  syncs: SyncStateRepository;
  settings: SettingsRepository;
  deliveries: DeliveryRepository;
  petition: PetitionRepository;
  /** Petition links found in new posts: offered to admins, followed once added. */
  petitionLinks: PetitionLinkRepository;
  news: NewsRepository;
  meta: MetaRepository;
  retention: RetentionRepository;
  leases: LeaseRepository;
  sessions: SessionRepository;
  operations: OperationsRepository;
  backups: BackupRepository;
  takedowns: TakedownRepository;
  posted: PostedRepository;
  /** What members chose to have kept about them (/petition mine). */
  members: MemberRepository;
  /** Posts and comments the blog deleted since they were archived (the reconciliation's findings). */
  deletions: BlogDeletionRepository;
  /** Members' topic watches (/watch), what matched them waiting for a direct message, and paused members. */
  watches: WatchRepository;
  /** New posts' threads in each server, and the blog's new comments queued to be mirrored there. */
  postThreads: PostThreadRepository;
  /** Run `work` in one transaction: what the repositories write inside it commits together or not at all. */
  transaction<T>(work: () => T): T;
}

export interface BackupRepository {
  /** An online backup to `file`, checked before it takes its name. */
  write(file: string): Promise<BackupReport>;
  /** Today's backup (`date`, YYYY-MM-DD) in `dir` unless there already, older ones past `keepDays` removed; in a child. */
  daily(dir: string, date: string, keepDays: number): Promise<DailyBackupReport>;
}

export interface Store extends Repositories {
  /** The database file, for messages to the operator. */
  readonly file: string;
  readonly dataDir: string;
  close(): void;
}

const connections = new WeakMap<Store, Db>();

/** Open (creating if needed) the store in `dataDir`; a disk or permission problem is one StorageError line. */
export function openStore(dataDir: string, options: OpenOptions = {}): Store {
  return storeOver(openDatabase(dataDir, options), dataDir);
}

const stores = new WeakMap<Db, Store>();

/** The repositories over an open connection, made once per connection (tests and the store's own tools). */
export function storeOver(db: Db, dataDir = dirname(db.name)): Store {
  const made = stores.get(db);
  if (made) return made;
  const store: Store = {
    file: db.name,
    dataDir,
    archive: archiveRepository(db),
    index: indexRepository(db, dataDir),
    syncs: syncStateRepository(db),
    settings: settingsRepository(db),
    deliveries: deliveryRepository(db),
    petition: petitionRepository(db),
    petitionLinks: petitionLinkRepository(db),
    news: newsRepository(db),
    meta: metaRepository(db),
    retention: retentionRepository(db),
    leases: leaseRepository(db),
    sessions: sessionRepository(db),
    operations: operationsRepository(db),
    backups: {
      write: (file) => backupDatabase(db, file),
      daily: (dir, date, keepDays) => dailyBackupInChild({ dataDir, dir, date, keepDays }),
    },
    takedowns: takedownRepository(db),
    posted: postedRepository(db),
    members: memberRepository(db),
    deletions: blogDeletionRepository(db),
    watches: watchRepository(db),
    postThreads: postThreadRepository(db),
    transaction: (work) => asStorageError(db, () => db.transaction(work)()),
    close: () => db.close(),
  };
  connections.set(store, db);
  stores.set(db, store);
  return store;
}

/** The raw connection behind a store: for tests that look at rows, and the benchmark. Never for use cases. */
export function connectionOf(store: Store): Db {
  const db = connections.get(store);
  if (!db) throw new Error('not a store opened by openStore');
  return db;
}
