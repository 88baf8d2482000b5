import type { Finding } from './types.js';

type Details = Record<string, unknown> | undefined;

/** Small constructors so checks read as what they conclude. */
export const pass = (code: string, message: string, details?: Details): Finding =>
  clean({ code, status: 'pass', message, details });
export const info = (code: string, message: string, details?: Details): Finding =>
  clean({ code, status: 'info', message, details });
export const skip = (code: string, message: string, details?: Details): Finding =>
  clean({ code, status: 'skip', message, details });
export const warn = (code: string, message: string, remediation: string, details?: Details): Finding =>
  clean({ code, status: 'warn', message, remediation, details });
export const fail = (code: string, message: string, remediation: string, details?: Details): Finding =>
  clean({ code, status: 'fail', message, remediation, details });

function clean(f: Finding): Finding {
  if (f.details === undefined) delete f.details;
  if (f.remediation === undefined) delete f.remediation;
  return f;
}
