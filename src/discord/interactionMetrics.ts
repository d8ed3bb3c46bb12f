// What the router tells the operator's metrics about each interaction: which
// command (or button, or autocomplete) it was, how it ended and how long it
// took. The metrics themselves (prom-client) live at the edge, in src/ops;
// this is the small interface the router and admission control call.
import { DiscordAPIError, type Interaction, RESTJSONErrorCodes } from 'discord.js';
import { UserProblem } from '../app/userProblem.js';
import { isBusy } from '../store/busy.js';
import { Dropped, Overloaded } from './admission.js';

/**
 * How an interaction ended: answered; a problem the member was told (bad input, a cooldown, a permission); busy (the
 * database, or the bot, too busy: try again); expired (Discord's 3 s or 15 minutes ran out); failed (a bug or Discord
 * refusing, the member told sorry); dropped (not answered at all on purpose, such as an autocomplete shed under load).
 */
export type InteractionOutcome = 'answered' | 'problem' | 'busy' | 'expired' | 'failed' | 'dropped';

export interface InteractionMetrics {
  /** One interaction, ended: `command` as `interactionLabel` names it. */
  observe(command: string, outcome: InteractionOutcome, ms: number): void;
  /**
   * A counter of anything else worth watching (admission control's "busy" answers, dropped autocompletes): `name` in
   * snake_case becomes `archive_bot_<name>_total`; give the same label names on every call of one name.
   */
  count(name: string, labels?: Record<string, string>): void;
}

/** The command an interaction belongs to, as metrics label it: `search`, `search autocomplete`, `button page`. */
export function interactionLabel(interaction: Interaction): string {
  if (interaction.isAutocomplete()) return `${interaction.commandName} autocomplete`;
  if (interaction.isMessageComponent()) return `button ${interaction.customId.split(':')[0] ?? ''}`;
  if (interaction.isCommand()) return interaction.commandName;
  return 'other';
}

/** How an interaction ended, from what the router caught (null: nothing, it was answered). */
export function outcomeOf(error: unknown): InteractionOutcome {
  if (error === null || error === undefined) return 'answered';
  // Admission control's: the member told to try again in a few seconds, a keystroke not computed.
  if (error instanceof Overloaded) return 'busy';
  if (error instanceof Dropped) return 'dropped';
  if (error instanceof UserProblem) return 'problem';
  if (isBusy(error)) return 'busy';
  if (
    error instanceof DiscordAPIError &&
    (error.code === RESTJSONErrorCodes.UnknownInteraction || error.code === RESTJSONErrorCodes.InvalidWebhookToken)
  )
    return 'expired';
  return 'failed';
}

/** The router's one call, in its `finally`: nothing when no metrics are wired (tests, the console). */
export function observeInteraction(
  metrics: InteractionMetrics | undefined,
  interaction: Interaction,
  caught: unknown,
  ms: number,
): void {
  metrics?.observe(interactionLabel(interaction), outcomeOf(caught), ms);
}
