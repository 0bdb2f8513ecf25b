import { defineConfig } from 'drizzle-kit';

// Generates SQL into migrations/ from the schema files; no database connection needed.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema/index.ts',
  out: './migrations',
  casing: 'snake_case',
});
