import { COST_BANDS, HOSTING_KINDS, type CostBand, type HostingKind } from '../db/schema/experience-reports';
import type { ExperienceReportInput } from '../domain/reuse/experience.service';
import type { Translator } from './i18n';
import { REPORT_FIELDS } from './views/software/experience-forms';

/** A text field as typed, trimmed and cut to what the API's schema allows. */
export function formText(body: Record<string, unknown>, name: string, max: number) {
  const value = typeof body[name] === 'string' ? (body[name] as string).trim() : '';
  return value.slice(0, max);
}

/** Limits as the API's schema sets them (http/routes/experience/experience.schemas.ts). */
const MAX_EFFORT = 100_000;
const MAX_WEEKS = 1_000;
const MAX_MARKDOWN = 20_000;

function number(text: string, max: number): number | null | 'invalid' {
  if (text === '') return null;
  const value = Number(text.replace(',', '.'));
  return Number.isFinite(value) && value >= 0 && value <= max ? value : 'invalid';
}

/**
 * The experience-report form read and checked field by field, so each mistake is named next to
 * its field in the page's language; the domain then checks who may write it.
 */
export function readReportForm(i18n: Translator, body: Record<string, unknown>) {
  const { t } = i18n;
  const values = Object.fromEntries(REPORT_FIELDS.map((name) => [name, formText(body, name, MAX_MARKDOWN + 1)])) as Record<(typeof REPORT_FIELDS)[number], string>;
  const errors: Record<string, string> = {};
  const recommendation = Number(values.recommendation);
  if (!Number.isInteger(recommendation) || recommendation < 1 || recommendation > 5) errors.recommendation = t('report.recommendationRequired');
  const effort = number(values.effortPersonDays, MAX_EFFORT);
  if (effort === 'invalid') errors.effortPersonDays = t('report.number', { max: MAX_EFFORT });
  const weeks = number(values.weeksToGoLive, MAX_WEEKS);
  if (weeks === 'invalid') errors.weeksToGoLive = t('report.number', { max: MAX_WEEKS });
  if (values.runningCostBand && !(COST_BANDS as readonly string[]).includes(values.runningCostBand)) errors.runningCostBand = t('report.costBand');
  if (values.hosting && !(HOSTING_KINDS as readonly string[]).includes(values.hosting)) errors.hosting = t('report.hosting');
  for (const name of ['adaptations', 'whatWorked', 'whatDidNotWork'] as const) {
    if (values[name].length > MAX_MARKDOWN) errors[name] = t('form.tooLong', { max: MAX_MARKDOWN });
  }
  if (values.version.length > 100) errors.version = t('form.tooLong', { max: 100 });
  if (values.contact && (values.contact.length > 300 || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(values.contact))) errors.contact = t('report.email');
  const showContact = values.showContact === 'true';
  if (showContact && !values.contact && !errors.contact) errors.contact = t('report.contactForPublic');
  const input: ExperienceReportInput = {
    recommendation,
    effortPersonDays: typeof effort === 'number' ? effort : null,
    weeksToGoLive: typeof weeks === 'number' ? weeks : null,
    runningCostBand: (values.runningCostBand || null) as CostBand | null,
    hosting: (values.hosting || null) as HostingKind | null,
    adaptations: values.adaptations || null,
    whatWorked: values.whatWorked || null,
    whatDidNotWork: values.whatDidNotWork || null,
    version: values.version || null,
    contact: values.contact || null,
    showContact,
  };
  return { values, errors, input };
}
