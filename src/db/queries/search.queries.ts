/**
 * Queries on the search document (hot table software_search, lower-tier vectors in
 * software_search_text, vocabulary search_term; kept by the triggers of migrations 0001–0005, the
 * current state in one place: src/db/schema/search-schema.sql). Raw SQL: the tables live only in
 * those migrations, so drizzle-kit never tries to create or drop them. One file per role under
 * ./search/:
 *   statement.ts        the runner (named prepared statements, driver-quoted literals)
 *   facets.ts           the facet table: filter conditions and how each facet is counted
 *   text.ts, tiers.ts   query words as SQL, ranking tiers
 *   ranked.queries.ts   the ranked hit list; facets.queries.ts the counts; browse.queries.ts lists without q
 *   words.queries.ts    word analysis and typo correction; suggest.queries.ts autocompletion
 *   revision.queries.ts the catalogue revision and the boost expiry
 */
export * from './search/facets';
export * from './search/text';
export * from './search/tiers';
export * from './search/summary';
export * from './search/ranked.queries';
export * from './search/browse.queries';
export * from './search/facets.queries';
export * from './search/words.queries';
export * from './search/suggest.queries';
export * from './search/revision.queries';
export * from './search/index.queries';
