import type { CodeCatalog } from './code-info.js';

export const RUNNER_CODES: CodeCatalog = {
  'RUN-DEADLINE': {
    title: 'The run hit its overall deadline',
    cause:
      'A network step did not answer before --timeout ran out; the checks still pending were stopped and are reported as error.',
    confirm: 'Look at which checks have status error and their one-line reason.',
    fix: 'Fix the unreachable endpoint the errored checks name, or raise --timeout (seconds).',
  },
};
