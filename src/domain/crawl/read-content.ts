import type { RepositoryRow } from '../../db/queries/repositories.queries';
import { detectLicenceInFiles } from '../../metadata/licence/index';
import { validatePubliccode } from '../../metadata/publiccode/index';
import type { PubliccodeModel } from '../../metadata/publiccode/types';
import { fileUrls } from './host-urls';
import { publiccodeFields, publiccodeProblem } from './publiccode-fields';
import { pickReadme, renderReadme } from './readme';
import type { Snapshot } from './snapshot';
import { discoverTransferItems, type DiscoveredItem } from './transfer-discovery';

/** A README above 512 KiB is a generated document, not a project description. */
const MAX_README_BYTES = 512 * 1024;

export type Where = { url: string; hostKind: RepositoryRow['hostKind']; branch: string; commit: string };

/** What a crawl learnt from the head commit's files: fields of the software entry, its licence, and problems in words. */
export type Content = {
  software: Record<string, unknown>;
  licence: string | null;
  problems: string[];
  /** Transfer-package items found by path and in publiccode.yml (transfer-discovery.ts). */
  transfer: DiscoveredItem[];
};

/**
 * README, publiccode.yml and licence of a snapshot, as fields of the software entry. Pure, and
 * CPU-heavy at times (the licence index is built on first use, Markdown renders): it runs in the
 * crawl thread.
 */
export function readContent(snapshot: Snapshot, where: Where): Content {
  const problems: string[] = [];
  const software: Record<string, unknown> = {};

  const readmeName = pickReadme(snapshot.rootNames);
  if (readmeName === null) {
    problems.push('no README');
    Object.assign(software, { readmeMarkdown: null, readmeHtml: null });
  } else {
    const file = snapshot.files.get(readmeName);
    const rendered = file
      ? renderReadme(file, fileUrls(where), MAX_README_BYTES)
      : { skipped: `README skipped: ${snapshot.unreadable.get(readmeName) ?? 'not readable'}` };
    if ('skipped' in rendered) {
      problems.push(rendered.skipped);
      Object.assign(software, { readmeMarkdown: null, readmeHtml: null });
    } else {
      if (rendered.notice) problems.push(rendered.notice);
      Object.assign(software, { readmeMarkdown: rendered.markdown, readmeHtml: rendered.html });
      const unserved = rendered.unservedImages.length;
      if (unserved > 0) problems.push(`README: ${unserved} image${unserved === 1 ? '' : 's'} with a relative path cannot be shown (the host serves no files): ${rendered.unservedImages.slice(0, 5).join(', ')}`);
    }
  }

  const publiccodeName = ['publiccode.yml', 'publiccode.yaml'].find((name) => snapshot.rootNames.includes(name));
  let declaredLicence: string | null = null;
  let publiccode: PubliccodeModel | null = null;
  if (publiccodeName) {
    const file = snapshot.files.get(publiccodeName);
    if (!file) problems.push(`publiccode.yml skipped: ${snapshot.unreadable.get(publiccodeName)}`);
    else {
      const verdict = validatePubliccode(file.content);
      Object.assign(software, {
        publiccodeRaw: file.content.toString('utf8'),
        publiccode: verdict.model as unknown as Record<string, unknown> | null,
        publiccodeValid: verdict.valid,
        publiccodeResults: verdict.results,
        ...(verdict.model ? publiccodeFields(verdict.model) : {}),
      });
      declaredLicence = verdict.model?.legal.license ?? null;
      publiccode = verdict.model;
      if (!verdict.valid) problems.push(publiccodeProblem(verdict)!);
    }
  } else Object.assign(software, { publiccodeRaw: null, publiccode: null, publiccodeValid: null, publiccodeResults: null });

  const detected = detectLicenceInFiles([...snapshot.files.values()]);
  const licence = detected.spdx !== 'NOASSERTION' && detected.spdx !== 'NONE' ? detected.spdx : declaredLicence;
  if (licence === null) problems.push('no licence found');
  return { software, licence, problems, transfer: discoverTransferItems(snapshot.paths, publiccode) };
}
