import { execFileSync } from 'node:child_process';

/** Builds dist/ so scenario tests run the same bundle users run. */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}
