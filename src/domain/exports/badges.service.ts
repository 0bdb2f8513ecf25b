import { createHash } from 'node:crypto';
import { makeBadge } from 'badge-maker';
import type { Db } from '../../db/client';
import { getSoftware } from '../catalogue/software.service';

export const BADGE_KINDS = ['licence', 'reuse', 'publiccode', 'maintenance'] as const;
export type BadgeKind = (typeof BADGE_KINDS)[number];
export type BadgeLanguage = 'de' | 'en';

type Face = { label: string; message: string; color: string };
type Entry = Awaited<ReturnType<typeof getSoftware>>;

const WORDS = {
  de: {
    licence: 'Lizenz', unknown: 'unbekannt', reuse: 'Nachnutzung', inProduction: 'im Betrieb', reuses: (n: number) => `${n} ${n === 1 ? 'Kommune' : 'Kommunen'}`,
    valid: 'gültig', invalid: 'ungültig', missing: 'fehlt', maintenance: 'Wartung',
    types: { internal: 'intern', contract: 'beauftragt', community: 'Community', none: 'keine' } as Record<string, string>,
  },
  en: {
    licence: 'licence', unknown: 'unknown', reuse: 'reuse', inProduction: 'in production', reuses: (n: number) => `${n} ${n === 1 ? 'municipality' : 'municipalities'}`,
    valid: 'valid', invalid: 'invalid', missing: 'missing', maintenance: 'maintenance',
    types: { internal: 'internal', contract: 'contract', community: 'community', none: 'none' } as Record<string, string>,
  },
};

function face(kind: BadgeKind, entry: Entry, lang: BadgeLanguage): Face {
  const w = WORDS[lang];
  switch (kind) {
    case 'licence':
      return { label: w.licence, message: entry.licence ?? w.unknown, color: entry.licence ? 'blue' : 'lightgrey' };
    case 'reuse': {
      // Reuse records that a municipality runs or tries; "evaluating" counts as well, since the badge says who took it up.
      const { total, production } = entry.reuseCounts;
      const message = production > 0 && production < total ? `${w.reuses(total)} (${production} ${w.inProduction})` : w.reuses(total);
      return { label: w.reuse, message, color: production > 0 ? 'brightgreen' : total > 0 ? 'green' : 'lightgrey' };
    }
    case 'publiccode':
      if (!entry.publiccode) return { label: 'publiccode.yml', message: w.missing, color: 'lightgrey' };
      return entry.publiccode.valid ? { label: 'publiccode.yml', message: w.valid, color: 'brightgreen' } : { label: 'publiccode.yml', message: w.invalid, color: 'red' };
    case 'maintenance': {
      const type = entry.maintenanceType;
      const message = type ? (w.types[type] ?? type) : w.unknown;
      return { label: w.maintenance, message, color: type === null ? 'lightgrey' : type === 'none' ? 'orange' : 'brightgreen' };
    }
  }
}

/**
 * GET /v1/software/{id}/badge.svg: a shields-style SVG (badge-maker, the renderer of shields.io)
 * and its ETag, a hash of the SVG, so a cache revalidates with If-None-Match and gets a 304.
 */
export async function softwareBadge(db: Db, idOrSlug: string, kind: BadgeKind, lang: BadgeLanguage): Promise<{ svg: string; etag: string }> {
  const entry = await getSoftware(db, idOrSlug);
  const svg = makeBadge({ ...face(kind, entry, lang), style: 'flat' });
  return { svg, etag: `"${createHash('sha256').update(svg).digest('base64url').slice(0, 27)}"` };
}
