import { promises as fsp } from 'node:fs';
import { dirname } from 'node:path';
import { finding } from '../../report/finding.js';
import type { Finding } from '../../report/types.js';
import type { Check } from '../check.js';
import { MAX_TOKEN_BYTES, type TokenLoad } from './token-files.js';
import { presentTokenSources, type TokenSource } from './token-sources.js';

/** Is the token file where the env says, readable, bounded and a JWT? */
export const tokenFileCheck: Check = {
  id: 'token-file',
  title: 'Projected token file is mounted and readable',
  sdkFree: true,
  async run(ctx) {
    const sources = presentTokenSources(ctx);
    if (sources.length === 0)
      return [
        finding(
          'TOKEN-FILE-NOT-SET',
          'No AWS_WEB_IDENTITY_TOKEN_FILE or AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE to check.',
        ),
      ];
    return Promise.all(sources.map(async (s) => judge(s, await s.load(ctx))));
  },
};

async function judge(s: TokenSource, load: TokenLoad): Promise<Finding> {
  const base = { mechanism: s.mechanism, envVar: s.envVar, path: load.path };
  const fix = { envVar: s.envVar, volume: s.volume, mountDir: s.mountDir };
  if (load.ok) {
    return finding('TOKEN-FILE-OK', `${s.envVar} (${load.path}) holds a JWT.`, {
      details: { ...base, alg: load.header.alg, kid: load.header.kid, length: load.text.length },
    });
  }
  const where = `${s.envVar}=${load.path}`;
  switch (load.reason) {
    case 'missing': {
      const dirExists = await fsp.stat(dirname(load.path!)).then(
        (st) => st.isDirectory(),
        () => false,
      );
      return finding(
        'TOKEN-FILE-MISSING',
        `${where} but there is no such file (${load.detail}); ${dirExists ? 'its directory exists but holds no token' : 'its directory does not exist either'}.`,
        { fix, details: { ...base, errno: load.errno, directoryExists: dirExists } },
      );
    }
    case 'unreadable':
      return load.errno === 'EISDIR'
        ? finding('TOKEN-FILE-UNREADABLE', `${where} is a directory, not the token file.`, {
            variant: 'directory',
            fix: { ...fix, file: s.mechanism === 'irsa' ? 'token' : 'eks-pod-identity-token' },
            details: { ...base, errno: load.errno },
          })
        : finding('TOKEN-FILE-UNREADABLE', `${where} cannot be read: ${load.detail}.`, {
            variant: 'permission',
            details: { ...base, errno: load.errno, ...(await ownership(load.path!)) },
          });
    case 'too-large':
      return finding(
        'TOKEN-MALFORMED',
        `${where} is too large to be a token (${load.detail}); only ${MAX_TOKEN_BYTES} bytes are read.`,
        { fix, details: { ...base, reason: load.reason, detail: load.detail } },
      );
    case 'malformed':
      return finding('TOKEN-MALFORMED', `${where} is not a signed JWT STS accepts: ${load.detail}.`, {
        fix,
        details: { ...base, reason: load.reason, detail: load.detail },
      });
    default:
      return finding('TOKEN-FILE-NOT-SET', `${s.envVar} is empty.`, { details: base });
  }
}

async function ownership(path: string): Promise<Record<string, unknown>> {
  const proc = {
    processUid: process.getuid?.(),
    processGid: process.getgid?.(),
    groups: process.getgroups?.(),
  };
  try {
    const st = await fsp.stat(path);
    return {
      ...proc,
      fileMode: (st.mode & 0o777).toString(8).padStart(4, '0'),
      fileUid: st.uid,
      fileGid: st.gid,
    };
  } catch {
    return proc;
  }
}
