import type { PubliccodeModel, PubliccodeVerdict } from '../../metadata/publiccode/index';

function description(model: PubliccodeModel, language: 'de' | 'en') {
  const key = Object.keys(model.description).find((tag) => tag.toLowerCase() === language) ??
    Object.keys(model.description).find((tag) => tag.toLowerCase().startsWith(`${language}-`));
  return key ? model.description[key]! : null;
}

/** The software fields a publiccode.yml fills; absent values leave the entry as it is. */
export function publiccodeFields(model: PubliccodeModel) {
  const de = description(model, 'de');
  const en = description(model, 'en');
  const fields: Record<string, unknown> = {
    shortDescriptionDe: de?.shortDescription ?? undefined,
    shortDescriptionEn: en?.shortDescription ?? undefined,
    longDescriptionDe: de?.longDescription ?? undefined,
    longDescriptionEn: en?.longDescription ?? undefined,
    features: de?.features.length ? de.features : en?.features.length ? en.features : undefined,
    categories: model.categories.length ? model.categories : undefined,
    developmentStatus: model.developmentStatus ?? undefined,
    maintenanceType: model.maintenance.type ?? undefined,
  };
  const name = de?.localisedName ?? model.name;
  if (name) fields.name = name;
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

/** "publiccode.yml invalid: legal.license: … (and 2 more)" for the repository's last error. */
export function publiccodeProblem(verdict: PubliccodeVerdict): string | null {
  if (verdict.valid) return null;
  const errors = verdict.results.filter((result) => result.type === 'error');
  const first = errors[0];
  if (!first) return 'publiccode.yml invalid';
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return `publiccode.yml invalid: ${first.key ? `${first.key}: ` : ''}${first.message}${more}`;
}
