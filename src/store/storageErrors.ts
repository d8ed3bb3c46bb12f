// Failures of the disk and its permissions under DATA_DIR (full, read-only,
// missing, damaged), turned into one line an operator can act on. Unlike bad
// input they concern everything still to be stored, so a store that meets one
// stops, instead of failing row after row.
import { dirname } from 'node:path';

/** A storage failure said in one line: what happened, where, what to do. */
export class StorageError extends Error {
  override name = 'StorageError';

  /** `reason`: the code it was raised with (SQLITE_FULL, ENOSPC, …), for tests and logs. */
  constructor(
    message: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The error's code, when it is one of SQLite's or the file system's. */
export function errorCode(error: unknown): string | null {
  if (!(error instanceof Error) || !('code' in error) || typeof error.code !== 'string') return null;
  return error.code;
}

const FULL = /^(SQLITE_FULL|ENOSPC|EDQUOT|EFBIG)$/;
const STORAGE =
  /^(SQLITE_(FULL|READONLY|CANTOPEN|IOERR|CORRUPT|NOTADB|BUSY|LOCKED|PERM)\w*|ENOSPC|EDQUOT|EFBIG|EROFS|EACCES|EPERM|ENOTDIR|EISDIR|EIO|EMFILE|ENFILE)$/;

/** Whether an error is about the storage rather than the data being stored (which is worth retrying row by row). */
export function isStorageFault(error: unknown): boolean {
  if (error instanceof StorageError) return true;
  const code = errorCode(error);
  return code !== null && STORAGE.test(code);
}

/**
 * A storage failure met while reading or writing `file` (the database, or the
 * saved index) in DATA_DIR, as an operator should read it; null when the
 * error is not one (a bug or bad input is left as it is).
 */
export function describeStorageFault(error: unknown, file: string): StorageError | null {
  if (error instanceof StorageError) return error;
  const code = errorCode(error);
  if (code === null || !STORAGE.test(code)) return null;
  const dir = dirname(file);
  const fail = (message: string) => new StorageError(`${message} (${code})`, code, { cause: error });
  if (FULL.test(code)) {
    return fail(
      `the disk holding ${dir} is full: ${file} could not be written; what was stored before is kept; free some space and run it again`,
    );
  }
  if (code === 'SQLITE_READONLY_DIRECTORY') {
    return fail(
      `DATA_DIR ${dir} is read-only: the database keeps its journal files beside it, so even reading needs to write there; make the directory writable for this user, or set DATA_DIR to one that is`,
    );
  }
  if (code.startsWith('SQLITE_READONLY')) {
    return fail(
      `${file} is read-only for this user: nothing can be stored; make it writable, or set DATA_DIR to a directory you can write`,
    );
  }
  if (code === 'SQLITE_CANTOPEN') {
    return fail(`${file} cannot be opened: DATA_DIR ${dir} must be a directory this user can read and write`);
  }
  if (code === 'EROFS')
    return fail(`${dir} is on a read-only file system: nothing can be written there; set DATA_DIR to a writable place`);
  if (code === 'EACCES' || code === 'EPERM') {
    return fail(
      `permission denied on ${pathOf(error) ?? dir}: make DATA_DIR a directory this user can read and write, or set it to one that is`,
    );
  }
  if (code === 'ENOTDIR') return fail(`DATA_DIR ${dir} cannot be used: part of that path is a file, not a directory`);
  if (code === 'EISDIR') return fail(`${pathOf(error) ?? file} is a directory where a file belongs: move it aside`);
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
    return fail(
      `${file} is damaged or is not an archive database: restore it from a backup, or move it aside and ingest the sources again`,
    );
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return fail(`${file} is locked by another process: try again when it has finished`);
  }
  return fail(`${file} could not be read or written: ${firstLine(error)}; check the disk under ${dir}`);
}

/** The path a file-system error is about: a rename's destination, else its path. */
function pathOf(error: unknown): string | null {
  if (!(error instanceof Error)) return null;
  if ('dest' in error && typeof error.dest === 'string') return error.dest;
  return 'path' in error && typeof error.path === 'string' ? error.path : null;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
