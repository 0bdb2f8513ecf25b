import type { SoftwareDetail } from '../../../domain/catalogue/software.view';
import type { HubContext } from '../../../domain/context';
import type { Html } from '../../html';
import type { MessageKey } from '../../i18n';
import type { PageContext } from '../../session/page-context';

/** A form of a section sent back with errors: the values as typed and a message per field. */
export type FormState = { section: string; values: Record<string, string>; errors: Record<string, string>; summary?: string };

/**
 * One section of the software page: its own data (loaded in parallel with the others) and its own
 * markup. A new capability (experience reports, transfer package, matching needs) is one more
 * file exporting a SoftwareSection and one line in sections.ts; the page itself does not change.
 * render returns null when the section has nothing to show (it then has no table-of-contents entry).
 */
export type SoftwareSection = {
  id: string;
  heading: MessageKey;
  /**
   * slug: as in the URL, so a section's own reads start at once; detail: the entry, still loading
   * meanwhile (awaited beside the section's reads, not before them: the page then costs about one
   * round of reads instead of two in a row).
   */
  render(input: { hub: HubContext; slug: string; detail: Promise<SoftwareDetail>; page: PageContext; headingId: string; form?: FormState }): Promise<Html | null>;
};
