import { textChunks } from '../../lib/text-chunks';
import type { ProgrammeReport } from './programme-report.service';

/**
 * The report as JSON in chunks for a streamed response, the same text as JSON.stringify(report):
 * everything before the organisations, then one organisation at a time. The 9 MB of a programme
 * of 20,000 entries never exist as one string (nor as one buffer of its bytes).
 */
export function* programmeReportJson(report: ProgrammeReport): Generator<string> {
  const { organisations, ...head } = report;
  // `{…,"organisations":[]}` without its last two characters: the array is left open.
  const opening = JSON.stringify({ ...head, organisations: [] }).slice(0, -2);
  yield* textChunks(
    (function* () {
      yield opening;
      for (let i = 0; i < organisations.length; i++) yield (i === 0 ? '' : ',') + JSON.stringify(organisations[i]);
      yield ']}';
    })(),
  );
}
