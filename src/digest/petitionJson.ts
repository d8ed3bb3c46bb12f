// The petition JSON checked as it arrives from petition.parliament.uk (or a stand-in, PETITION_SITE_URL): every
// field the bot reads has the type it expects, or the first that does not is named. Only the petition source and
// the tests read JSON through here; the store reads back rows it checked (petition.ts's `snapshotOf`), so opening
// the store does not load zod.
// zod/mini (as src/config.ts): no language of its own, so English for the messages that name a bad field.
import { en } from 'zod/locales';
import * as z from 'zod/mini';
import { type PetitionDocument, PetitionFormatError, type PetitionSnapshotData, snapshotOf } from './petition.js';

z.config(en());

const date = z.string().check(z.refine((v: string) => !Number.isNaN(Date.parse(v)), 'expected a date'));
/** Absent and null mean the same: the 2016 schema lacks fields the current one has. */
const optionalDate = z.optional(z.nullable(date));
const optionalText = z.optional(z.nullable(z.string()));

const PetitionJson: z.ZodMiniType<PetitionDocument> = z.object({
  data: z.object({
    id: z.union([z.int().check(z.positive()), z.string().check(z.regex(/^\d+$/, 'expected a petition number'))]),
    attributes: z.object({
      action: z.string().check(z.minLength(1, 'is empty')),
      state: z.string().check(z.minLength(1, 'is empty')),
      signature_count: z.int().check(z.nonnegative()),
      opened_at: optionalDate,
      open_at: optionalDate, // the 2016 name of opened_at
      closed_at: optionalDate,
      response_threshold_reached_at: optionalDate,
      debate_threshold_reached_at: optionalDate,
      government_response_at: optionalDate,
      scheduled_debate_date: optionalDate,
      debate_outcome_at: optionalDate,
      government_response: z.optional(z.nullable(z.object({ summary: z.string(), responded_on: optionalDate }))),
      debate: z.optional(
        z.nullable(
          z.object({
            debated_on: optionalDate,
            transcript_url: optionalText,
            video_url: optionalText,
            overview: optionalText,
          }),
        ),
      ),
    }),
  }),
});

/** Read a petition.parliament.uk petition JSON; throws PetitionFormatError naming the first bad field. */
export function parsePetition(json: unknown): PetitionSnapshotData {
  const parsed = PetitionJson.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.length ? issue.path.join('.') : 'the document';
    const problem = issue.message.replace(/^Invalid input: /, '').replace(/received undefined$/, 'but it is missing');
    throw new PetitionFormatError(`petition JSON: ${field}: ${problem}`);
  }
  return snapshotOf(parsed.data, JSON.stringify(withoutBreakdowns(json)));
}

function withoutBreakdowns(json: unknown): unknown {
  const { data } = json as { data: { attributes: Record<string, unknown> } };
  const attributes = Object.fromEntries(
    Object.entries(data.attributes).filter(([key]) => !key.startsWith('signatures_by_')),
  );
  return { ...(json as object), data: { ...data, attributes } };
}
