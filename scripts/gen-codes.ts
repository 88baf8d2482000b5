import { writeFileSync } from 'node:fs';
import { renderCodesMarkdown } from '../src/report/codes-markdown.js';

writeFileSync('docs/codes.md', renderCodesMarkdown());
console.log('wrote docs/codes.md');
