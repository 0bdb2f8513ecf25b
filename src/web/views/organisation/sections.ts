import { organisationFactsSection } from './facts.section';
import { organisationReusesSection } from './reuses.section';
import type { OrganisationSection } from './section';
import { organisationSoftwareSection } from './software.section';

/** The organisation page, top to bottom; the funding-obligation status joins here when it lands. */
export const ORGANISATION_SECTIONS: OrganisationSection[] = [organisationFactsSection, organisationSoftwareSection, organisationReusesSection];
