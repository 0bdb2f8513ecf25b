// The spdx-* packages ship no type declarations; these describe what we use.
declare module 'spdx-expression-parse' {
  export type SpdxLicenseNode = { license: string; plus?: boolean; exception?: string };
  export type SpdxConjunctionNode = { left: SpdxNode; conjunction: 'and' | 'or'; right: SpdxNode };
  export type SpdxNode = SpdxLicenseNode | SpdxConjunctionNode;
  export default function parse(source: string): SpdxNode;
}
declare module 'spdx-correct' {
  export default function correct(identifier: string, options?: { upgrade?: boolean }): string | null;
}
declare module 'spdx-license-ids' {
  const ids: string[];
  export default ids;
}
declare module 'spdx-license-ids/deprecated.json' {
  const ids: string[];
  export default ids;
}
declare module 'spdx-exceptions' {
  const ids: string[];
  export default ids;
}
declare module 'spdx-exceptions/deprecated.json' {
  const ids: string[];
  export default ids;
}
