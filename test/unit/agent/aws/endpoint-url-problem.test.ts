import { describe, expect, it } from 'vitest';
import { endpointUrlProblem } from '../../../../src/agent/aws/endpoint-url-problem.js';

describe('endpointUrlProblem', () => {
  it.each([
    ['https://sts.us-west-2.amazonaws.com', undefined],
    ['http://127.0.0.1:4566', undefined],
    ['not a url', 'is not a URL'],
    ['sts.us-west-2.amazonaws.com', 'is not a URL'],
    ['file:///etc/passwd', 'is a file: URL'],
    ['ftp://host', 'is a ftp: URL'],
    ['https://', 'is not a valid URL'],
    ['  ', 'is empty'],
  ])('%j', (value, problem) => {
    const p = endpointUrlProblem(value);
    if (problem === undefined) expect(p).toBeUndefined();
    else expect(p).toContain(problem);
  });
  it('never echoes the value (it may carry a password)', () => {
    expect(endpointUrlProblem('admin:s3cret@host')).not.toContain('s3cret');
  });
});
