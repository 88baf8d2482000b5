import { escapeControls } from '../../lib/escape-controls.js';
import { redact } from '../../lib/redact.js';

/**
 * A value as a text renderer must show it: secrets masked first (on the raw text, so a control
 * character inside a secret cannot hide it from the patterns), then every control character escaped.
 */
export function visible(value: string): string {
  return escapeControls(redact(value));
}
