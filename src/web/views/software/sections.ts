import { experienceSection } from './experience.section';
import { factsSection } from './facts.section';
import { howToReuseSection } from './how-to-reuse.section';
import { needsSection } from './needs.section';
import { publiccodeSection } from './publiccode.section';
import { readmeSection } from './readme.section';
import { releasesSection } from './releases.section';
import { repositoriesSection } from './repositories.section';
import { reusesSection } from './reuses.section';
import type { SoftwareSection } from './section';
import { transferPackageSection } from './transfer-package.section';

/** The software page, top to bottom; each section is a file of its own. */
export const SOFTWARE_SECTIONS: SoftwareSection[] = [
  howToReuseSection,
  factsSection,
  reusesSection,
  experienceSection,
  transferPackageSection,
  needsSection,
  releasesSection,
  repositoriesSection,
  publiccodeSection,
  readmeSection,
];
