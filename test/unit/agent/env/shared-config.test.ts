import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  homeDirOf,
  parseIni,
  profileCredentialKind,
  readSharedConfig,
} from '../../../../src/agent/env/shared-config.js';

describe('parseIni', () => {
  it('reads profiles the way the SDK does: [profile x] in config, [x] in credentials, comments, nested blocks', () => {
    const config = [
      '[default]',
      'region = eu-west-1 # comment',
      '; full-line comment',
      '[profile app]',
      'role_arn = arn:aws:iam::111122223333:role/x',
      's3 =',
      '  max_concurrent_requests = 20',
      'source_profile = default',
      '[sso-session corp]',
      'sso_start_url = https://x',
      '[services dev]',
      'sts =',
      '  endpoint_url = http://localhost',
    ].join('\n');
    expect(parseIni(config, 'config')).toEqual({
      default: { region: 'eu-west-1' },
      app: { role_arn: 'arn:aws:iam::111122223333:role/x', source_profile: 'default' },
    });
    expect(
      parseIni('[app]\naws_access_key_id=AKIA\r\naws_secret_access_key = s#ecret\n', 'credentials'),
    ).toEqual({
      app: { aws_access_key_id: 'AKIA', aws_secret_access_key: 's#ecret' },
    });
  });
});

describe('profileCredentialKind', () => {
  it.each([
    [{ role_arn: 'r', source_profile: 'default' }, 'assume-role'],
    [{ role_arn: 'r', credential_source: 'Ec2InstanceMetadata' }, 'assume-role'],
    [{ aws_access_key_id: 'a', aws_secret_access_key: 'b' }, 'static-keys'],
    [{ web_identity_token_file: '/t', role_arn: 'r' }, 'web-identity'],
    [{ credential_process: '/bin/x' }, 'credential-process'],
    [{ sso_session: 'corp' }, 'sso'],
    [{ login_session: 'x' }, 'login'],
  ])('%j -> %s', (profile, kind) => {
    expect(profileCredentialKind(profile)?.kind).toBe(kind);
  });

  it('ignores profiles that hold no credentials', () => {
    expect(profileCredentialKind({ region: 'eu-west-1' })).toBeUndefined();
    expect(profileCredentialKind({ aws_access_key_id: 'only-half' })).toBeUndefined();
    expect(profileCredentialKind({ role_arn: 'r' })).toBeUndefined();
    expect(profileCredentialKind(undefined)).toBeUndefined();
  });
});

describe('readSharedConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'irsa-doctor-ini-'));

  it('finds env keys only without AWS_PROFILE, and the selected profile across both files', async () => {
    const config = join(dir, 'config');
    const creds = join(dir, 'credentials');
    writeFileSync(config, '[profile app]\nregion = eu-central-1\n');
    writeFileSync(creds, '[app]\naws_access_key_id = AKIA\naws_secret_access_key = s\n');
    const base = { AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: creds };
    const withKeys = await readSharedConfig({
      ...base,
      AWS_ACCESS_KEY_ID: 'AKIA',
      AWS_SECRET_ACCESS_KEY: 's',
    });
    expect(withKeys.shadows.map((s) => s.source)).toEqual(['env']);
    const withProfile = await readSharedConfig({
      ...base,
      AWS_PROFILE: 'app',
      AWS_ACCESS_KEY_ID: 'AKIA',
      AWS_SECRET_ACCESS_KEY: 's',
    });
    expect(withProfile.shadows).toEqual([
      {
        source: 'credentials-file',
        kind: 'static-keys',
        keys: ['aws_access_key_id', 'aws_secret_access_key'],
        file: creds,
        profile: 'app',
      },
    ]);
    expect(withProfile.region).toBe('eu-central-1');
  });

  it('treats missing files as absent, with the SDK home directory lookup', async () => {
    const r = await readSharedConfig({ HOME: join(dir, 'nohome') });
    expect(r.configFile).toEqual({ path: join(dir, 'nohome', '.aws', 'config'), exists: false });
    expect(r.shadows).toEqual([]);
    expect(r.profileFound).toBe(false);
    expect(homeDirOf({ USERPROFILE: 'C:\\Users\\x' })).toBe('C:\\Users\\x');
  });
});
