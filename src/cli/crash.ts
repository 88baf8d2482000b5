import { redact } from '../lib/redact.js';

/** Last line of defence: whatever escapes a command becomes one redacted line, never a stack trace. */
export function describeCrash(e: unknown, debug: boolean): string {
  if (debug && e instanceof Error && e.stack) return redact(e.stack);
  const msg = e instanceof Error ? e.message : String(e);
  return redact(msg.split('\n')[0] ?? 'unknown error');
}
