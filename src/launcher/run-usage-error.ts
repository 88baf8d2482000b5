export { UsageError as RunUsageError } from '../cli/usage-error.js';
