import { factsSection } from './facts.section';
import { howToReuseSection } from './how-to-reuse.section';
import { publiccodeSection } from './publiccode.section';
import { readmeSection } from './readme.section';
import { releasesSection } from './releases.section';
import { repositoriesSection } from './repositories.section';
import { reusesSection } from './reuses.section';
import type { SoftwareSection } from './section';

/** The software page, top to bottom. Knowledge-transfer sections (experience reports, transfer
 * package checklist, matching needs) go in here as they land, each a file of its own. */
export const SOFTWARE_SECTIONS: SoftwareSection[] = [
  howToReuseSection,
  factsSection,
  reusesSection,
  releasesSection,
  repositoriesSection,
  publiccodeSection,
  readmeSection,
];
