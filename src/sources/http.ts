// What every fetch of a live source needs: the body read with a size cap (a
// server's length header may be absent or wrong, and a 2 GB answer must not
// be held), and the reason an unreachable host gave.

/** The body was larger than allowed; `declared` is the server's own length when it said so up front. */
export class BodyTooLarge extends Error {
  constructor(readonly maxBytes: number, readonly declared: number | null) {
    super(`larger than ${maxBytes} bytes`);
    this.name = 'BodyTooLarge';
  }
}

/** The body as text, refused (and cancelled) as soon as it is known to pass `maxBytes`. */
export async function readCapped(response: Response, maxBytes: number, charset = 'utf-8'): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new BodyTooLarge(maxBytes, declared);
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new BodyTooLarge(maxBytes, null);
    }
    chunks.push(value);
  }
  return new TextDecoder(charset).decode(Buffer.concat(chunks));
}

/** Why fetch could not reach a host: the system's code (ECONNREFUSED, ENOTFOUND) that fetch hides in `cause`, else its message. */
export function unreachableReason(error: unknown): string | null {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = (cause as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  return cause instanceof Error ? cause.message.split('\n')[0]! : null;
}
