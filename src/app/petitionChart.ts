// The picture /petition and milestone announcements carry: the petition's
// readings so far, drawn by whatever draws charts (an edge, injected), with
// the words that describe it. Nothing is drawn before two readings an hour apart.
import { type ChartThreshold, chartable, petitionChartAlt, petitionChartSpec } from '../digest/petitionChart.js';
import { petitionProgress, type ThresholdProgress } from '../digest/petition.js';
import type { Announcement } from '../store/deliveries.js';
import type { Repositories } from '../store/store.js';
import type { TopLevelSpec } from 'vega-lite';

/** Draws a Vega-Lite spec as PNG bytes (src/render/chart.ts); may throw when the renderer cannot be loaded. */
export type DrawChart = (spec: TopLevelSpec) => Promise<Uint8Array>;

/** A chart ready to attach: its file name, PNG bytes and alt text. */
export interface PetitionChart {
  name: string;
  png: Uint8Array;
  alt: string;
}

/** What the chart needs to know of the petition shown. */
export interface ChartedPetition {
  petitionId: number;
  /** ISO time of the reading shown: the line ends there. */
  takenAt: string;
  response: Pick<ThresholdProgress, 'target' | 'reachedAt'>;
  debate: Pick<ThresholdProgress, 'target' | 'reachedAt'>;
}

/** The file name a petition's chart goes by, on Discord and under DATA_DIR/charts. */
export const chartFileName = (petitionId: number) => `petition-${petitionId}.png`;

/** The petition's chart, or null while there is too little history to draw a line. Throws what `draw` throws. */
export async function petitionChart(
  store: Pick<Repositories, 'petition'>,
  petition: ChartedPetition,
  draw: DrawChart,
): Promise<PetitionChart | null> {
  const readings = store.petition.readings(petition.petitionId, petition.takenAt);
  if (!chartable(readings)) return null;
  const thresholds: ChartThreshold[] = [
    { target: petition.response.target, label: 'government response', reachedAt: petition.response.reachedAt },
    { target: petition.debate.target, label: 'debate in Parliament', reachedAt: petition.debate.reachedAt },
  ];
  const png = await draw(petitionChartSpec(readings, thresholds));
  return { name: chartFileName(petition.petitionId), png, alt: petitionChartAlt(readings, thresholds) };
}

/** The petition a milestone announcement is about, from its link (`…/petitions/<id>`); null for any other. */
export function announcedPetition(announcement: Pick<Announcement, 'kind' | 'link'>): number | null {
  if (announcement.kind !== 'petition' || !announcement.link) return null;
  const id = /\/petitions\/(\d+)(?:[/?#]|$)/.exec(announcement.link)?.[1];
  return id === undefined ? null : Number(id);
}

/** The chart a milestone announcement carries: the petition's readings up to the newest; null for other announcements. */
export async function announcementChart(
  store: Pick<Repositories, 'petition'>,
  announcement: Pick<Announcement, 'kind' | 'link'>,
  draw: DrawChart,
): Promise<PetitionChart | null> {
  const petitionId = announcedPetition(announcement);
  const latest = petitionId === null ? null : store.petition.latest(petitionId);
  if (petitionId === null || !latest) return null;
  const { response, debate } = petitionProgress(latest, [], new Date(latest.takenAt));
  return petitionChart(store, { petitionId, takenAt: latest.takenAt, response, debate }, draw);
}
