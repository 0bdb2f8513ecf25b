import type { OrganisationView } from '../../../domain/catalogue/organisations.service';
import type { HubContext } from '../../../domain/context';
import type { Html } from '../../html';
import type { MessageKey } from '../../i18n';
import type { PageContext } from '../../session/page-context';

/**
 * One section of the organisation page (as on the software page): the funding-obligation status
 * of issue 11 becomes one more file and one line in sections.ts.
 */
export type OrganisationSection = {
  id: string;
  heading: MessageKey;
  render(input: { hub: HubContext; organisation: OrganisationView; page: PageContext; headingId: string }): Promise<Html | null>;
};
