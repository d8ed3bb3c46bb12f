// The archive's vocabulary: posts, the comments under them, and the passages
// that search matches and members quote. Plain data, no behaviour.

/** A blog post. `date`/`time` are local (Europe/London) wall-clock values. */
export interface Post {
  id: string;
  title: string;
  /** YYYY-MM-DD, or null when the source does not say (reported, never invented). */
  date: string | null;
  /** HH:MM, or null when the source does not say. */
  time: string | null;
  author: string | null;
  url: string | null;
  labels: string[];
  /** Paragraphs separated by blank lines; `*****` and `--oo00oo--` lines kept as the blog has them. */
  text: string;
}

/** A reader comment; `parentId` is the comment it replies to, null for a top-level one. */
export interface Comment {
  id: string;
  postId: string;
  parentId: string | null;
  author: string | null;
  date: string | null;
  time: string | null;
  text: string;
  permalink: string | null;
  /** Deleted comments keep the thread's shape but carry no text to index. */
  deleted: boolean;
}

export type PassageKind = 'paragraph' | 'quoted' | 'comment';

/**
 * The unit that is searched and quoted: a paragraph of a post, a reader
 * comment the editor quoted inside a post between `*****` lines, or a comment.
 */
export interface Passage {
  postId: string;
  commentId: string | null;
  kind: PassageKind;
  /** Position within the post: post passages first, then comments in thread order. */
  ord: number;
  author: string | null;
  text: string;
}

/** Something the parser noticed and could not fix (a missing date, a count that disagrees). */
export interface ParseWarning {
  /** 1-based line (or entry) where it was noticed. */
  line: number;
  message: string;
}

/** One post as a parser read it, with its comments in thread order. */
export interface ParsedPost {
  /** 1-based line (or entry number) where the post starts in its source. */
  line: number;
  post: Post;
  comments: Comment[];
  warnings: ParseWarning[];
}

/** A user-caused problem with a source: what and where, never a stack trace. */
export class ArchiveFormatError extends Error {
  constructor(
    readonly source: string,
    message: string,
    readonly line?: number,
  ) {
    super(`${source}${line ? `:${line}` : ''}: ${message}`);
    this.name = 'ArchiveFormatError';
  }
}
