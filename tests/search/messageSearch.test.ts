// "Find in archive" searches with words taken from a chat message, not a
// typed query: the message's subject should win over a word used in passing.
import { beforeAll, describe, expect, it } from 'vitest';
import { openArchive, type OpenArchive } from '../../src/app/archive.js';
import { ingestSources } from '../../src/ingest/ingest.js';
import { BLOG_URL, SEEDS, tempDir } from '../helpers.js';

let archive: OpenArchive;
beforeAll(async () => {
  archive = openArchive(tempDir(), BLOG_URL);
  await ingestSources(archive.store, [SEEDS], { now: () => '2026-11-23T08:00:00Z' });
  return () => archive.close();
});

const message = (text: string, limit = 4) => archive.search(text, { limit, wholeWords: true });

describe('searching with the words of a message', () => {
  it('puts a caseload passage first for "caseloads are out of control", not a one-liner about control', () => {
    const [first, second] = message('caseloads are out of control');
    expect(first!.excerpt).toMatch(/caseload/i);
    expect(second!.excerpt).toMatch(/caseload/i);
  });

  it('finds the post a question is about', () => {
    expect(message('IPP prisoners still stuck years after tariff')[0]!.postTitle).toBe('The IPP Disgrace');
    expect(message('Has anyone read about the probation treadmill?')[0]!.postTitle).toBe('The Probation Treadmill');
  });

  it('completes no word: a message cut mid-word is not a member still typing', () => {
    expect(archive.search('the probation treadm', { limit: 3 })[0]?.postTitle).toBe('The Probation Treadmill');
    expect(message('treadm')).toEqual([]);
  });
});
