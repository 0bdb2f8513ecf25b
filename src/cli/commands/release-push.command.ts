import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadCliConfig, type CliConfig } from '../cli-config.js';
import { ciRelease } from '../release/ci-context.js';
import { HubUnavailable, hubRequest, problemDetail, type HubAnswer, type HubConnection } from '../release/hub-client.js';
import { readTag } from '../release/tag-info.js';
import {
  EXIT_AUTH,
  EXIT_CONFLICT,
  EXIT_NEGATIVE,
  EXIT_NOT_FOUND,
  EXIT_OK,
  EXIT_UNAVAILABLE,
  printJson,
  UsageError,
} from './exit-codes.js';

const OPTIONS = {
  software: { type: 'string' },
  repository: { type: 'string' },
  tag: { type: 'string' },
  'notes-file': { type: 'string' },
  url: { type: 'string' },
  date: { type: 'string' },
  retries: { type: 'string', default: '3' },
  'dry-run': { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
} as const;

/** A failure with its exit code and one line for stderr. */
class PushFailed extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

/** `transferhub release push`: announces the CI's tag as a release of its software, idempotently. */
export async function run(args: string[], config: CliConfig = loadCliConfig()): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: OPTIONS, allowPositionals: true });
  if (positionals.length > 0) throw new UsageError(`unexpected argument: ${positionals[0]}`);
  const retries = Number(values.retries);
  if (!Number.isInteger(retries) || retries < 0 || retries > 10) throw new UsageError('--retries must be an integer between 0 and 10');
  if (!config.hubUrl) throw new UsageError('TRANSFERHUB_URL is not set / ist nicht gesetzt');
  if (!config.token && !values['dry-run']) throw new UsageError('TRANSFERHUB_TOKEN is not set / ist nicht gesetzt (a publish token of the organisation)');

  const ci = ciRelease(config.ci);
  const tag = values.tag ?? ci.tag;
  if (!tag) throw new UsageError('no tag / kein Tag: run in a tag pipeline (GITHUB_REF_TYPE=tag, CI_COMMIT_TAG) or pass --tag');
  const repositoryUrl = values.repository ?? ci.repositoryUrl;
  if (!values.software && !repositoryUrl) throw new UsageError('which software? / welche Software? pass --software <slug|id>, or --repository <url> outside CI');

  const fromTag = readTag(tag, process.cwd());
  if (!fromTag && (!values.date || !values['notes-file'])) {
    process.stderr.write(`transferhub: tag ${tag} is not in this checkout (fetch tags): no date or notes from it / Tag nicht im Checkout\n`);
  }
  const notes = values['notes-file'] !== undefined ? readNotes(values['notes-file']) : fromTag?.notes ?? null;
  const date = values.date ?? fromTag?.date ?? null;
  const url = values.url ?? ci.releaseUrl;
  // Fields without a value are left out: the hub reads an absent field as "states nothing" (no 409 on re-runs).
  const body = { version: tag, ...(date ? { date } : {}), ...(notes ? { notes } : {}), ...(url ? { url } : {}) };
  const lookup = `/v1/repositories?url=${encodeURIComponent(repositoryUrl ?? '')}&limit=1`;

  if (values['dry-run']) {
    printJson({
      dryRun: true,
      software: values.software ?? null,
      lookup: values.software ? null : { method: 'GET', url: `${config.hubUrl}${lookup}` },
      request: { method: 'POST', url: `${config.hubUrl}/v1/software/${values.software ? encodeURIComponent(values.software) : '{softwareId}'}/releases`, body },
      token: config.token ? 'set' : 'missing',
    });
    return EXIT_OK;
  }

  const request: HubConnection = { hubUrl: config.hubUrl, token: config.token, retries, onRetry: (line: string) => process.stderr.write(`transferhub: ${line}\n`) };
  try {
    const software = values.software ?? (await softwareOfRepository(request, lookup, repositoryUrl!));
    const answer = await hubRequest({ ...request, method: 'POST', path: `/v1/software/${encodeURIComponent(software)}/releases`, body });
    if (answer.status !== 200 && answer.status !== 201) throw refusal(answer, `release ${tag}`);
    const release = answer.body as { version: string };
    if (values.json) printJson(release);
    else {
      const what = answer.status === 201 ? 'published / veröffentlicht' : 'already published, unchanged / bereits veröffentlicht';
      console.log(`transferhub: ${release.version} ${what} (${answer.status}) ${config.hubUrl}/v1/software/${encodeURIComponent(software)}/releases`);
    }
    return EXIT_OK;
  } catch (error) {
    if (error instanceof HubUnavailable) {
      process.stderr.write(`transferhub: hub unreachable or failing / Hub nicht erreichbar: ${error.message}\n`);
      return EXIT_UNAVAILABLE;
    }
    if (!(error instanceof PushFailed)) throw error;
    process.stderr.write(`transferhub: ${error.message}\n`);
    return error.code;
  }
}

function readNotes(file: string): string | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`cannot read / nicht lesbar: ${file}`);
  }
  // Trailing blank lines are an editor's, not the author's: a re-run reading the same file sends the same notes.
  return text.trimEnd() || null;
}

/** The software a registered repository belongs to (GET /v1/repositories?url=…, public). */
async function softwareOfRepository(request: HubConnection, lookup: string, repositoryUrl: string): Promise<string> {
  const answer = await hubRequest({ ...request, method: 'GET', path: lookup });
  if (answer.status !== 200) throw refusal(answer, `repository ${repositoryUrl}`);
  const [repository] = (answer.body as { items: { url: string; softwareId: string | null }[] }).items;
  if (!repository) {
    throw new PushFailed(EXIT_NOT_FOUND, `no repository ${repositoryUrl} is registered on the hub / nicht registriert: register it (POST /v1/repositories) or pass --software`);
  }
  if (!repository.softwareId) {
    throw new PushFailed(EXIT_NOT_FOUND, `repository ${repository.url} has no software entry yet (its first crawl is pending): pass --software`);
  }
  return repository.softwareId;
}

/** One line and an exit code for an answer other than success. */
function refusal(answer: HubAnswer, what: string): PushFailed {
  const detail = problemDetail(answer.body) ?? (typeof answer.body === 'string' ? answer.body.slice(0, 200) : 'no detail');
  const fields = (answer.body as { errors?: { field: string; message: string }[] } | null)?.errors ?? [];
  const line = `${detail}${fields.length > 0 ? ` [${fields.map((e) => `${e.field}: ${e.message}`).join('; ')}]` : ''}`;
  if (answer.status >= 300 && answer.status < 400) {
    return new PushFailed(EXIT_NEGATIVE, `${answer.status} the hub redirects to ${answer.location ?? '?'}: set TRANSFERHUB_URL to the address it names / Weiterleitung`);
  }
  switch (answer.status) {
    case 401:
      return new PushFailed(EXIT_AUTH, `401 the hub refused TRANSFERHUB_TOKEN / Token abgelehnt: ${line}`);
    case 403:
      return new PushFailed(EXIT_AUTH, `403 the token may not publish ${what} (publish scope of the owning organisation needed) / keine Berechtigung: ${line}`);
    case 404:
      return new PushFailed(EXIT_NOT_FOUND, `404 not found / nicht gefunden: ${line}`);
    case 409:
      return new PushFailed(EXIT_CONFLICT, `409 conflict / Konflikt: ${line}`);
    default:
      return new PushFailed(EXIT_NEGATIVE, `${answer.status} refused / abgelehnt: ${line}`);
  }
}
