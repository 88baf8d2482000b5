import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  configFilePath,
  inspectConfigFile,
  MAX_CONFIG_FILE_BYTES,
} from '../../../../src/agent/env/config-file.js';
import { EMPTY_FILE, shieldSdkFromConfigFiles } from '../../../../src/agent/env/shield-sdk-config.js';

const dir = mkdtempSync(join(tmpdir(), 'irsa-doctor-config-file-'));
const fifo = join(dir, 'fifo');
execFileSync('mkfifo', [fifo]);

describe('inspectConfigFile: what is there, without opening it', () => {
  it('a regular file, an absent one, and /dev/null (or a link to it) are fine', async () => {
    writeFileSync(join(dir, 'config'), '[default]\n');
    symlinkSync('/dev/null', join(dir, 'null-link'));
    expect(await inspectConfigFile(join(dir, 'config'))).toEqual({ state: 'regular', size: 10 });
    expect(await inspectConfigFile(join(dir, 'missing'))).toEqual({ state: 'absent' });
    expect(await inspectConfigFile(join(dir, 'config', 'below-a-file'))).toEqual({ state: 'absent' });
    expect(await inspectConfigFile('/dev/null')).toMatchObject({ state: 'regular' });
    expect(await inspectConfigFile(join(dir, 'null-link'))).toMatchObject({ state: 'regular' });
  });

  it('a FIFO, a device, a directory and a huge file are unusable, each named', async () => {
    writeFileSync(join(dir, 'huge'), Buffer.alloc(MAX_CONFIG_FILE_BYTES + 1));
    mkdirSync(join(dir, 'a-dir'));
    const problem = async (p: string) => {
      const s = await inspectConfigFile(p);
      return s.state === 'unusable' ? s.problem : s.state;
    };
    expect(await problem(fifo)).toBe('fifo');
    expect(await problem('/dev/zero')).toBe('device');
    expect(await problem(join(dir, 'a-dir'))).toBe('directory');
    expect(await problem(join(dir, 'huge'))).toBe('too-large');
  });

  it("finds the files where the SDK does: the variable, `~/` in it, else the home directory's .aws", () => {
    expect(configFilePath('AWS_CONFIG_FILE', { AWS_CONFIG_FILE: '/etc/aws', HOME: '/h' })).toBe('/etc/aws');
    expect(configFilePath('AWS_CONFIG_FILE', { AWS_CONFIG_FILE: '~/cfg', HOME: '/h' })).toBe('/h/cfg');
    expect(
      configFilePath('AWS_SHARED_CREDENTIALS_FILE', { AWS_SHARED_CREDENTIALS_FILE: '', HOME: '/h' }),
    ).toBe('/h/.aws/credentials');
  });
});

describe('shieldSdkFromConfigFiles', () => {
  it("points the SDK's variables away from unusable files, and leaves usable ones alone", async () => {
    const sdkEnv: Record<string, string | undefined> = {
      AWS_CONFIG_FILE: fifo,
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'config'),
    };
    expect(await shieldSdkFromConfigFiles(sdkEnv)).toEqual(['AWS_CONFIG_FILE']);
    expect(sdkEnv).toEqual({ AWS_CONFIG_FILE: EMPTY_FILE, AWS_SHARED_CREDENTIALS_FILE: join(dir, 'config') });
  });

  it('also when the default ~/.aws/config is the problem and no variable is set', async () => {
    const home = join(dir, 'home');
    mkdirSync(join(home, '.aws'), { recursive: true });
    execFileSync('mkfifo', [join(home, '.aws', 'credentials')]);
    const sdkEnv: Record<string, string | undefined> = { HOME: home };
    expect(await shieldSdkFromConfigFiles(sdkEnv)).toEqual(['AWS_SHARED_CREDENTIALS_FILE']);
    expect(sdkEnv.AWS_SHARED_CREDENTIALS_FILE).toBe(EMPTY_FILE);
    expect(sdkEnv.AWS_CONFIG_FILE).toBeUndefined();
  });
});
