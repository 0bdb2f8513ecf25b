import { AppError } from '../lib/errors';
import type { MessageKey, Translator } from './i18n';
import type { FormState } from './views/software/section';

/** The repository URL check (lib/repository-url.ts) says what is wrong in its field message. */
const FIELD_MESSAGES: Record<string, MessageKey> = {
  'not a URL': 'domainError.url.invalid',
  'must be http or https': 'domainError.url.scheme',
  'missing repository path': 'domainError.url.path',
};

const BY_STATUS: Record<number, MessageKey> = {
  400: 'domainError.bad-request',
  401: 'domainError.unauthorized',
  403: 'domainError.forbidden',
  404: 'domainError.not-found',
  409: 'domainError.conflict',
  429: 'domainError.rate-limited',
};

function known(key: string): key is MessageKey {
  return key.startsWith('domainError.');
}

/**
 * A domain refusal in the page's language: its specific code first (`need.own_need`), then the
 * known field message, then the generic text of its status. The API's English detail never
 * reaches a page.
 */
export function domainErrorText(i18n: Translator, error: AppError): string {
  const specific = `domainError.${error.slug}`;
  const text = i18n.t(specific as MessageKey);
  if (known(specific) && text !== specific) return text;
  const field = error.errors.map((e) => FIELD_MESSAGES[e.message]).find(Boolean);
  if (field) return i18n.t(field);
  return i18n.t(BY_STATUS[error.status] ?? 'domainError.bad-request');
}

/** A refusal a form answers in place (the visitor can change something); 404s and failures go to the error pages. */
export function isFormRefusal(error: unknown): error is AppError {
  return error instanceof AppError && error.status !== 404 && error.status < 500;
}

/**
 * The form sent back after a refusal: the message as summary and next to each field the
 * refusal names (JSON pointer `/reason` → field `reason`), or next to `fallbackField`.
 */
export function formFromRefusal(
  i18n: Translator,
  error: AppError,
  form: { section: string; values: Record<string, string>; fallbackField?: string },
): FormState {
  const text = domainErrorText(i18n, error);
  const errors: Record<string, string> = Object.fromEntries(error.errors.map((e) => [e.field.replace(/^\//, ''), text]));
  if (Object.keys(errors).length === 0 && form.fallbackField) errors[form.fallbackField] = text;
  return { section: form.section, values: form.values, errors, summary: text };
}
