/** Replaced at build time from package.json; the fallback serves tests that import sources directly. */
declare const __IRSA_DOCTOR_VERSION__: string | undefined;

export const TOOL_VERSION: string =
  typeof __IRSA_DOCTOR_VERSION__ === 'string' ? __IRSA_DOCTOR_VERSION__ : '0.0.0-dev';
