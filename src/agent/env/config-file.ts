// The AWS shared config and credentials files, as the SDK finds them, and whether reading one is safe.
// The SDK reads them whole, with no size cap and no type check, from a worker thread: a FIFO nobody
// writes blocks that thread in open() for ever (and with it process exit), /dev/zero grows a string
// until memory runs out. So each is looked at with stat() first, which answers for any file type.
import { promises as fsp } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { withDeadline } from '../../lib/deadline.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Larger than any real config file; the tool reads no more, and keeps the SDK from reading it. */
export const MAX_CONFIG_FILE_BYTES = 1024 * 1024;

/** A stat() that does not answer in this time (a dead network mount) counts as unusable. */
const STAT_TIMEOUT_MS = 1000;

export type ConfigFileVariable = 'AWS_CONFIG_FILE' | 'AWS_SHARED_CREDENTIALS_FILE';

export type ConfigFileProblem =
  | 'fifo'
  | 'socket'
  | 'device'
  | 'directory'
  | 'too-large'
  | 'unreadable'
  | 'no-answer';

/** Problems after which the SDK would block or read without end, rather than just find nothing. */
export const BLOCKING_PROBLEMS: ReadonlySet<ConfigFileProblem> = new Set([
  'fifo',
  'socket',
  'device',
  'no-answer',
]);

export type ConfigFileState =
  | { state: 'absent' }
  | { state: 'regular'; size: number }
  | { state: 'unusable'; problem: ConfigFileProblem; detail: string };

/** The SDK's home directory lookup (@smithy/shared-ini-file-loader getHomeDir). */
export function homeDirOf(env: Env): string {
  if (env.HOME) return env.HOME;
  if (env.USERPROFILE) return env.USERPROFILE;
  if (env.HOMEPATH) return `${env.HOMEDRIVE ?? 'C:'}${env.HOMEPATH}`;
  return homedir();
}

/**
 * Where the SDK reads each file (loadSharedConfigFiles): the variable when set and not empty, else
 * ~/.aws/config or ~/.aws/credentials; a leading `~/` is the home directory.
 */
export function configFilePath(variable: ConfigFileVariable, env: Env): string {
  const set = env[variable];
  if (!set) return join(homeDirOf(env), '.aws', variable === 'AWS_CONFIG_FILE' ? 'config' : 'credentials');
  return set.startsWith('~/') ? join(homeDirOf(env), set.slice(2)) : set;
}

/** What is at `path`, without opening it. */
export async function inspectConfigFile(path: string): Promise<ConfigFileState> {
  let st: Awaited<ReturnType<typeof fsp.stat>>;
  try {
    st = await withDeadline(fsp.stat(path), STAT_TIMEOUT_MS, 'stat');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { state: 'absent' };
    if (code === undefined)
      return {
        state: 'unusable',
        problem: 'no-answer',
        detail: `stat() did not answer within ${STAT_TIMEOUT_MS} ms`,
      };
    return { state: 'unusable', problem: 'unreadable', detail: code };
  }
  if (st.isFile()) {
    if (st.size > MAX_CONFIG_FILE_BYTES)
      return {
        state: 'unusable',
        problem: 'too-large',
        detail: `${st.size} bytes, more than the ${MAX_CONFIG_FILE_BYTES} a config file could need`,
      };
    return { state: 'regular', size: st.size };
  }
  // /dev/null (or a link to it) is the usual way to say "no config file": empty at once, not a problem.
  if (st.isCharacterDevice() && st.rdev === (await devNullRdev())) return { state: 'regular', size: 0 };
  if (st.isFIFO()) return { state: 'unusable', problem: 'fifo', detail: 'a FIFO (named pipe)' };
  if (st.isSocket()) return { state: 'unusable', problem: 'socket', detail: 'a socket' };
  if (st.isCharacterDevice() || st.isBlockDevice())
    return { state: 'unusable', problem: 'device', detail: 'a device file' };
  if (st.isDirectory()) return { state: 'unusable', problem: 'directory', detail: 'a directory' };
  return { state: 'unusable', problem: 'unreadable', detail: 'not a regular file' };
}

let nullRdev: Promise<number | undefined> | undefined;
function devNullRdev(): Promise<number | undefined> {
  nullRdev ??= fsp.stat('/dev/null').then(
    (s) => s.rdev,
    () => undefined,
  );
  return nullRdev;
}
