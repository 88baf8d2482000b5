import type { CommandEntry } from './cli/command.js';

/** Every command of the full CLI; each is imported only when it runs. */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'check',
    synopsis: 'check [flags]',
    summary: 'run the checks here, inside the pod under test',
    load: async () => (await import('./agent/command.js')).checkCommand,
  },
  {
    name: 'run',
    synopsis: 'run -n NS -s SA [flags] [-- ARGS]',
    summary: 'run the checks as a one-shot Job under ServiceAccount SA',
    load: async () => (await import('./launcher/command.js')).runCommand,
  },
  {
    name: 'audit',
    synopsis: 'audit -n NS -s SA [flags]',
    summary: 'check the AWS side (OIDC provider, trust, permissions) from here, no pod',
    load: async () => (await import('./audit/command.js')).auditCommand,
  },
  {
    name: 'camunda',
    synopsis: 'camunda -n NS [--release NAME] [--no-pods] [flags]',
    summary: 'diagnose a Camunda 8 deployment component by component',
    load: async () => (await import('./camunda/command.js')).camundaCommand,
  },
];
