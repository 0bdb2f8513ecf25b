import type { Doc } from './document.js';
import { isDate, isEmail } from './formats.js';
import { msg, type Results } from './results.js';
import { httpUrl, oneOf } from './validate-core.js';
import { MAINTENANCE_TYPES } from './vocabulary-enums.js';

// Not checked by the reference (it accepts any text); a warning only, so verdicts stay the same.
const PHONE = /^\+?[0-9 ()./-]*[0-9][0-9 ()./-]*$/;

/** maintenance: type; contractors only (and then required) for "contract"; contacts for "community"/"internal". */
export function validateMaintenance(maintenance: Doc['maintenance'], r: Results): void {
  const type = maintenance?.type;
  oneOf(type, 'maintenance.type', MAINTENANCE_TYPES, r);
  const contractors = maintenance?.contractors;
  if (type === 'contract' && contractors === undefined) {
    r.error('maintenance.contractors', msg.requiredWhen('maintenance.contractors', 'contract'));
  } else if (type !== 'contract' && contractors !== undefined) {
    r.error('maintenance.contractors', msg.excludedUnless('maintenance.contractors', 'contract'));
  } else {
    for (const [i, contractor] of (contractors ?? []).entries()) {
      const base = `maintenance.contractors[${i}]`;
      if (!contractor.name) r.error(`${base}.name`, msg.required(`${base}.name`));
      if (contractor.email && !isEmail(contractor.email)) r.error(`${base}.email`, msg.email(`${base}.email`));
      httpUrl(contractor.website, `${base}.website`, r);
      if (!contractor.until) r.error(`${base}.until`, msg.required(`${base}.until`));
      else if (!isDate(contractor.until)) r.error(`${base}.until`, msg.date(`${base}.until`));
    }
  }
  const contacts = maintenance?.contacts;
  if (contacts === undefined && (type === 'community' || type === 'internal')) {
    r.error('maintenance.contacts', msg.requiredWhen('maintenance.contacts', type));
    return;
  }
  for (const [i, contact] of (contacts ?? []).entries()) {
    const base = `maintenance.contacts[${i}]`;
    if (!contact.name) r.error(`${base}.name`, msg.required(`${base}.name`));
    if (contact.email && !isEmail(contact.email)) r.error(`${base}.email`, msg.email(`${base}.email`));
    if (contact.phone && !PHONE.test(contact.phone)) {
      r.warning(`${base}.phone`, 'phone should be a telephone number (digits, spaces and + ( ) - / .)');
    }
  }
}
