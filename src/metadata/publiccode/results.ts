import type { PubliccodeResult } from './types.js';
import { findKeyPosition, type YNode } from './yaml-tree.js';

type Pending = { type: 'error' | 'warning'; key: string; message: string; line?: number; column?: number };

/** Collects findings in the order the checks run; positions default to the key's place in the file. */
export class Results {
  private readonly items: Pending[] = [];

  error(key: string, message: string, at?: { line: number; column: number }): void {
    this.items.push({ type: 'error', key, message, ...at });
  }

  warning(key: string, message: string, at?: { line: number; column: number }): void {
    this.items.push({ type: 'warning', key, message, ...at });
  }

  get hasErrors(): boolean {
    return this.items.some((item) => item.type === 'error');
  }

  finish(root: YNode | null): PubliccodeResult[] {
    return this.items.map((item) => {
      const pos = item.line !== undefined ? { line: item.line, column: item.column ?? 0 } : findKeyPosition(root, item.key);
      return { type: item.type, key: item.key, message: item.message, line: pos.line, column: pos.column };
    });
  }
}

/**
 * Key of a map entry as the reference renders it: `description.en` for letters-only keys,
 * `description[en-GB]` otherwise (its validator namespaces look like that).
 */
export function mapKey(parent: string, key: string): string {
  return /^[A-Za-z]+$/.test(key) ? `${parent}.${key}` : `${parent}[${key}]`;
}

/** The field name the reference puts in front of its messages: the last part of the key. */
export function fieldOf(key: string): string {
  return key.slice(key.lastIndexOf('.') + 1);
}

/** The reference's (English) message texts, so that results read the same as upstream's. */
export const msg = {
  required: (key: string) => `${fieldOf(key)} is a required field`,
  nonEmpty: (key: string) => `${fieldOf(key)} must contain more than 0 items`,
  oneOf: (key: string, options: readonly string[]) => {
    const quoted = options.map((o) => `"${o}"`);
    const list = quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}` : quoted.join('');
    return `${fieldOf(key)} must be one of the following: ${list}`;
  },
  url: (key: string) => `${fieldOf(key)} must be a valid URL`,
  httpUrl: (key: string) => `${fieldOf(key)} must be an HTTP URL`,
  date: (key: string) => `${fieldOf(key)} must be a date with format 'YYYY-MM-DD'`,
  email: (key: string) => `${fieldOf(key)} must be a valid email address`,
  max: (key: string, n: number) => `${fieldOf(key)} must be a maximum of ${n} characters in length`,
  min: (key: string, n: number) => `${fieldOf(key)} must be at least ${n} characters in length`,
  mime: (key: string) => `${fieldOf(key)} is not a valid MIME type`,
  category: (key: string) =>
    `${fieldOf(key)} must be a valid category (see https://github.com/publiccodeyml/publiccode.yml/blob/main/docs/standard/categories-list.rst)`,
  scope: (key: string) =>
    `${fieldOf(key)} must be a valid scope (see https://github.com/publiccodeyml/publiccode.yml/blob/main/docs/standard/scope-list.rst)`,
  country: (key: string) => `${fieldOf(key)} must be a valid ISO 3166-1 alpha-2 two-letter country code`,
  language: (key: string) => `${fieldOf(key)} must be a valid BCP 47 language`,
  licence: (key: string) => `${fieldOf(key)} must be a valid license (see https://spdx.org/licenses)`,
  uri: (key: string) => `${fieldOf(key)} is not a valid URI`,
  ipaUri: (key: string) =>
    `${fieldOf(key)} must be a valid Italian Public Administration Code (iPA) with format 'urn:x-italian-pa:[codiceIPA]' (see https://github.com/publiccodeyml/italian-organizations-ipa-vocabulary)`,
  ipaCode: (key: string) =>
    `${fieldOf(key)} must be a valid Italian Public Administration Code (iPA) (see https://github.com/publiccodeyml/italian-organizations-ipa-vocabulary)`,
  alias: (key: string) =>
    `${fieldOf(key)} contains an unknown alias (see https://github.com/publiccodeyml/publiccode.yml/blob/main/docs/standard/aliases-list.rst)`,
  requiredWhen: (key: string, type: string) => `${fieldOf(key)} is a required field when "type" is "${type}"`,
  excludedUnless: (key: string, type: string) => `${fieldOf(key)} must not be present unless "type" is "${type}"`,
  deprecated: "This key is DEPRECATED and will be removed in the future. It's safe to drop it",
  deprecatedUse: (replacement: string) => `This key is DEPRECATED and will be removed in the future. Use '${replacement}' instead`,
  notEmptyString: (key: string) => `${fieldOf(key)} must not be empty`,
};
