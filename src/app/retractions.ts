// Posted quotes retracted: when a takedown hides a passage, every public
// message of the bot's that shows it is edited to say so (a digest is shown
// again without it). Each edit goes through the deliveries ledger as a
// delivery of its own (kind 'retraction', one per message and takedown):
// claimed, edited, recorded, so it happens once across processes and restarts.
// A message or channel deleted meanwhile has nothing left to retract: done.
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import { dailyDigest } from '../digest/onThisDay.js';
import type { DueRetraction } from '../store/posted.js';
import { retractionKey } from '../store/posted.js';
import type { Repositories } from '../store/store.js';
import {
  type ChannelPoster,
  DeliveryError,
  type Dispatch,
  claimsBy,
  type ScopedArchive,
  seenBy,
  weeklyOfRecordKey,
} from './deliveries.js';
import { type CampaignRoundUp, type Week, weekFrom, weeklyRoundUp } from '../digest/weekly.js';

export interface RetractionOptions {
  store: Pick<Repositories, 'posted' | 'deliveries'>;
  /** A digest is shown again as its day reads now in its server (without what was hidden, there or everywhere). */
  archive: ScopedArchive;
  poster: Pick<ChannelPoster, 'serves' | 'edit'>;
  /** A weekly round-up is shown again with its petition and news as stored (without it: with neither). */
  campaignWeek?: (week: Week, zone: string) => CampaignRoundUp;
  clock: Pick<Clock, 'now'>;
  log: Logger;
  instance?: string;
  /** Messages looked at in one pass (the rest wait for the next). */
  batch?: number;
}

export interface RetractionReport {
  edited: number;
  /** The message or its channel was deleted: nothing to retract. */
  gone: number;
  /** Discord refused for good (the bot may no longer see the channel): recorded as failed. */
  failed: number;
  retryLater: number;
}

export function createRetractions(options: RetractionOptions) {
  const { store, poster, log } = options;
  const instance = options.instance ?? `${process.pid}-${randomBytes(3).toString('hex')}`;
  const iso = () => options.clock.now().toISOString();
  const claimOf = claimsBy(instance, iso);

  const replacement = (r: DueRetraction): Dispatch => {
    if (r.what !== 'digest') return { type: 'retracted', what: r.what };
    const scoped = seenBy(options.archive, r.guildId);
    const weekly = weeklyOfRecordKey(r.key);
    if (!weekly) return { type: 'digest', digest: dailyDigest(scoped.onThisDay(r.key)) };
    const week = weekFrom(weekly.from);
    // A round-up is shown again as its week reads now there; an archive that cannot say retracts it whole.
    if (!scoped.week) return { type: 'retracted', what: 'announcement' };
    const campaign = options.campaignWeek?.(week, weekly.zone) ?? { petition: null, napo: [] };
    return { type: 'weekly', roundUp: weeklyRoundUp(scoped.week(week), campaign), zone: weekly.zone };
  };

  async function retract(r: DueRetraction, report: RetractionReport): Promise<void> {
    const d = { guildId: r.guildId ?? '', kind: 'retraction' as const, key: retractionKey(r) };
    const claim = store.deliveries.claim(claimOf(d, r.channelId));
    // Another process has it (or had it, and its lease is not out yet).
    if (!claim.claimed) return;
    try {
      // An edit is the same whether it is made once or again after a crash: no nonce needed.
      await poster.edit(r.channelId, r.messageId, replacement(r));
      store.deliveries.markDelivered(d, instance, r.messageId, iso());
      log.info(
        { messageId: r.messageId, takedownId: r.takedownId, deletionId: r.deletionId },
        'posted passage retracted',
      );
      report.edited++;
    } catch (error) {
      if (error instanceof DeliveryError && error.problem === 'gone') {
        store.deliveries.markDelivered(d, instance, null, iso());
        report.gone++;
        return;
      }
      if (error instanceof DeliveryError && error.problem !== 'transient') {
        store.deliveries.fail(d, instance, error.message, iso());
        log.warn({ messageId: r.messageId, reason: error.message }, 'a posted passage could not be retracted');
        report.failed++;
        return;
      }
      // Left claimed: a later pass, past the lease, takes it over.
      log.warn({ err: error, messageId: r.messageId }, 'retraction failed; will retry');
      report.retryLater++;
    }
  }

  return {
    /** One pass: every message (up to the batch) showing something hidden and not yet retracted for it. */
    async tick(): Promise<RetractionReport> {
      const report: RetractionReport = { edited: 0, gone: 0, failed: 0, retryLater: 0 };
      const due = store.posted.dueRetractions(options.batch ?? 50);
      for (const r of due) {
        if (r.guildId !== null && !poster.serves(r.guildId)) continue;
        await retract(r, report);
      }
      return report;
    },
  };
}
