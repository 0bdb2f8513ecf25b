/** What one conformance corpus run reports; printed by bench/conformance.ts and asserted in test/. */
export type CorpusReport = {
  corpus: string;
  cases: number;
  /** Cases whose expectation is stated and decidable here (network-only results excluded). */
  decidable: number;
  verdictAgreement: number; // 0..1 over decidable cases
  /** Error-key agreement (publiccode) or exact-id agreement (licences); null where not applicable. */
  detailAgreement: number | null;
  detailLabel: string;
  disagreements: { path: string; expected: string; actual: string }[];
  filesPerSecond: number;
  notes: string[];
};
