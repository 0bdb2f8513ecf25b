import type { Doc } from './document.js';
import { msg, type Results } from './results.js';

/** dependsOn.{open,proprietary,hardware}[]: every dependency needs a name. */
export function validateDependsOn(dependsOn: Doc['dependsOn'], r: Results): void {
  if (dependsOn === undefined) return;
  for (const group of ['open', 'proprietary', 'hardware'] as const) {
    for (const [i, dependency] of (dependsOn[group] ?? []).entries()) {
      const key = `dependsOn.${group}[${i}].name`;
      if (!dependency.name) r.error(key, msg.required(key));
    }
  }
}
