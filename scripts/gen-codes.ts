import { writeFileSync } from 'node:fs';
import { CHECK_HEADINGS } from '../src/check-headings.js';
import { renderCodesMarkdown } from '../src/report/codes-markdown.js';

writeFileSync('docs/codes.md', renderCodesMarkdown(CHECK_HEADINGS));
console.log('wrote docs/codes.md');
