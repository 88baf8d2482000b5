import { execFileSync } from 'node:child_process';
import { describePostgresBinaries } from './harness/postgres-server.js';

/** Builds dist/ so scenario tests run the same bundle users run, and says which PostgreSQL the harness runs. */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  console.log(describePostgresBinaries());
}
