import { finding } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import { BLOCKING_PROBLEMS, type ConfigFileProblem } from './config-file.js';
import type { SharedConfigFacts, SharedFile } from './shared-config.js';

/** ENV-CONFIG-FILE-UNUSABLE for each shared file that was not safe to read (config-file.ts). */
export function configFileFindings(
  shared: SharedConfigFacts,
  who: { namespace?: string; pod?: string },
): Finding[] {
  return [shared.configFile, shared.credentialsFile].flatMap((file) =>
    file.problem ? [one(file, file.problem, who)] : [],
  );
}

function one(file: SharedFile, problem: ConfigFileProblem, who: { namespace?: string; pod?: string }) {
  const blocks = BLOCKING_PROBLEMS.has(problem);
  const named = file.variable ? `${file.variable}=${file.path}` : file.path;
  const effect = blocks
    ? 'an AWS SDK opening it blocks for ever or reads without end, so the application hangs or runs out of memory at its first AWS call'
    : problem === 'too-large'
      ? 'an AWS SDK reads it whole; irsa-doctor did not read it, so its profiles were not checked'
      : 'an AWS SDK ignores it without a word, so no profile in it applies';
  return finding(
    'ENV-CONFIG-FILE-UNUSABLE',
    `${named} is ${file.error ?? 'not a regular file'}: ${effect}. irsa-doctor kept the SDK away from it for this run.`,
    {
      status: blocks ? 'fail' : 'warn',
      variant: file.variable ? 'variable' : 'defaultPath',
      fix: { ...who, variable: file.variable, path: file.path },
      details: {
        path: file.path,
        ...(file.variable ? { variable: file.variable } : {}),
        problem,
      },
    },
  );
}
