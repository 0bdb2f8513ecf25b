import type { JsonRead } from '../../../db/json-read';
import type { SoftwareRef } from '../../../domain/catalogue/software-lookup';
import type { SoftwareDetail } from '../../../domain/catalogue/software.view';
import type { HubContext } from '../../../domain/context';
import type { Html } from '../../html';
import type { MessageKey } from '../../i18n';
import type { PageContext } from '../../session/page-context';

/** A form of a section sent back with errors: the values as typed and a message per field. */
export type FormState = { section: string; values: Record<string, string>; errors: Record<string, string>; summary?: string };

/**
 * One section of the software page: its own data and its own markup. What a section shows
 * besides the entry's detail it declares as a read (a domain service's JsonRead); the page sends
 * the reads of all sections as one statement beside the detail's, and hands each section its data. A new capability (experience reports, transfer package, matching needs) is one more
 * file exporting a SoftwareSection and one line in sections.ts; the page itself does not change.
 * render returns null when the section has nothing to show (it then has no table-of-contents entry).
 */
export type SoftwareSection<D = unknown> = {
  id: string;
  heading: MessageKey;
  /** The read (a constant with the placeholder softwareId; chosen by the page's session if need be) and any further placeholders' values. */
  read?(page: PageContext): JsonRead<D>;
  params?: Record<string, unknown>;
  /**
   * software: the entry's row, read once by the page, which the section passes to the domain
   * functions (they then read nothing by slug again); detail: the entry's detail, still loading
   * meanwhile (awaited beside the section's reads, not before them: the page then costs one round
   * of reads after the row instead of two in a row).
   */
  render(input: { hub: HubContext; software: Exclude<SoftwareRef, string>; detail: Promise<SoftwareDetail>; data: D; page: PageContext; headingId: string; form?: FormState }): Promise<Html | null>;
};
