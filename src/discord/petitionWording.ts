// The lines of /petition where, top, nations and mine, as both renderers say
// them: plain text with the site's own words (constituency, MP and region
// names) passed through `shown`, which the Discord view makes inert.
import type { ChangeBase, PetitionAnswer } from '../app/petitionGeography.js';
import type { ConstituencyStanding } from '../digest/petitionGeography.js';
import type { Momentum, PetitionClosing } from '../digest/petitionMomentum.js';
import { formatDay } from './wording.js';

type Shown = (siteText: string) => string;
type Where = Extract<PetitionAnswer, { kind: 'where' }>;
type Top = Extract<PetitionAnswer, { kind: 'top' }>;
type Nations = Extract<PetitionAnswer, { kind: 'nations' }>;

const number = new Intl.NumberFormat('en-GB');

export function count(n: number): string {
  return number.format(n);
}

/** 0.5623 → "56.2%"; under 1 %, two decimals ("0.56%"), so a constituency's share is not "0.6%" for all. */
export function percent(share: number): string {
  const p = share * 100;
  return `${p.toFixed(p < 1 ? 2 : 1)}%`;
}

/** 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st… */
export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${count(n)}${suffix}`;
}

function signed(n: number): string {
  return n < 0 ? `−${count(-n)}` : `+${count(n)}`;
}

/** "+120 since yesterday", "+340 since 28 Nov 2026"; empty without an earlier reading. */
export function changeWords(change: number | null, since: ChangeBase | null): string {
  if (change === null || since === null) return '';
  return `${signed(change)} since ${since.yesterday ? 'yesterday' : formatDay(since.takenAt)}`;
}

function signatures(n: number): string {
  return `${count(n)} ${n === 1 ? 'signature' : 'signatures'}`;
}

function mpWords(mp: string | null, shown: Shown): string {
  return mp ? `MP: ${shown(mp)}` : 'no MP listed';
}

/** `Holborn and St Pancras (MP: Keir Starmer MP)` then the figures line. */
export function whereLines(answer: Where, shown: Shown): string[] {
  const s = answer.standing;
  const figures = [
    signatures(s.signatureCount),
    `${ordinal(s.rank)} of ${count(s.of)} constituencies`,
    `${percent(s.share)} of signatures where the constituency is known`,
    changeWords(s.change, answer.changeSince),
  ].filter(Boolean);
  const whose = answer.mine ? 'Your constituency: ' : '';
  const found = answer.byMp ? ' — found by its MP' : '';
  return [`${whose}${shown(s.name)} (${mpWords(s.mp, shown)})${found}`, figures.join(' · ')];
}

function topLine(s: ConstituencyStanding, i: number, since: ChangeBase | null, shown: Shown): string {
  const change = changeWords(s.change, since);
  const mp = s.mp ? shown(s.mp) : 'no MP listed';
  return `${i + 1}. ${shown(s.name)} (${mp}): ${count(s.signatureCount)} · ${percent(s.share)}${change ? ` · ${change}` : ''}`;
}

export function topLines(answer: Top, shown: Shown): string[] {
  return [
    'Constituencies with the most signatures:',
    ...answer.standings.map((s, i) => topLine(s, i, answer.changeSince, shown)),
    knownLine(answer.knownTotal, answer.petition.progress.signatureCount),
  ];
}

function knownLine(known: number, total: number): string {
  return `Shares are of the ${count(known)} signatures where the constituency is known (${count(total)} in all).`;
}

export function nationsLines(answer: Nations, shown: Shown): string[] {
  const b = answer.breakdown;
  const lines = b.nations.map((n) => `${n.nation}: ${count(n.signatureCount)} (${percent(n.share)})`);
  lines.push(
    `England and Wales, where probation serves: ${count(b.englandAndWales.signatureCount)} — ${percent(b.englandAndWales.share)} of signatures where the constituency is known`,
  );
  if (b.overseas !== null) lines.push(`Overseas: ${signatures(b.overseas)} from outside the UK`);
  if (b.unplaced > 0) lines.push(`In no nation by their code: ${signatures(b.unplaced)}`);
  if (b.regions && b.regions.length > 0) {
    lines.push('By region:');
    for (const r of b.regions) lines.push(`  ${shown(r.name)}: ${count(r.signatureCount)} (${percent(r.share)})`);
  }
  lines.push(knownLine(b.knownTotal, b.total));
  return lines;
}

export function mineLine(answer: Extract<PetitionAnswer, { kind: 'mine-set' | 'mine-cleared' }>, shown: Shown): string {
  if (answer.kind === 'mine-set') {
    return `Your constituency is now ${shown(answer.name)} (${mpWords(answer.mp, shown)}): it comes first in your suggestions, and "/petition show:mine" gives its figures. Only you see this; "/petition mine:clear" removes it.`;
  }
  return answer.had
    ? `Your constituency (${shown(answer.had)}) is removed: the bot keeps nothing about it now.`
    : 'You had no constituency set: the bot keeps none for you.';
}

/** "Pace: 1,234 signatures a day over the last 7 days · at this pace, 10,000 around 14 Mar 2026". */
export function momentumLine(m: Momentum): string {
  const perDay = Math.round(m.perDay);
  const days = Math.max(1, Math.round(m.days));
  const pace = `Pace: ${perDay < 0 ? `−${count(-perDay)}` : count(perDay)} ${Math.abs(perDay) === 1 ? 'signature' : 'signatures'} a day over the last ${days === 1 ? 'day' : `${days} days`}`;
  return m.projection
    ? `${pace} · at this pace, ${count(m.projection.target)} around ${formatDay(m.projection.at)}`
    : pace;
}

/** "Closes 5 Jul 2026 · 12 days left", "Closes today (5 Jul 2026)", "Closed on 5 Jul 2026". */
export function closingLine(c: PetitionClosing): string {
  if (c.closed) return `Closed on ${formatDay(c.closedOn)}`;
  if (c.daysLeft === 0) return `Closes today (${formatDay(c.closesOn)})`;
  return `Closes ${formatDay(c.closesOn)} · ${count(c.daysLeft)} ${c.daysLeft === 1 ? 'day' : 'days'} left`;
}

/** The lines of a constituency, the top constituencies or the nations, whichever was asked. */
export function geographyLines(answer: Where | Top | Nations, shown: Shown): string[] {
  if (answer.kind === 'where') return whereLines(answer, shown);
  if (answer.kind === 'top') return topLines(answer, shown);
  return nationsLines(answer, shown);
}
