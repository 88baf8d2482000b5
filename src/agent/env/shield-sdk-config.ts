import { type ConfigFileVariable, configFilePath, inspectConfigFile } from './config-file.js';

/** Empty at once, and present in every container (a distroless image, a read-only root file system). */
export const EMPTY_FILE = '/dev/null';

const VARIABLES: readonly ConfigFileVariable[] = ['AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE'];

/**
 * Keeps this process's AWS SDK away from a shared config or credentials file that is not safe to read
 * (a FIFO, a device, a directory, a huge file: see config-file.ts), by pointing the SDK's variable at
 * an empty file. Returns the variables it redirected; the env check reports the files themselves.
 *
 * Why the environment and not options: every SDK client reads both files while it resolves its own
 * settings (region, endpoint URL, FIPS, retry mode, ...) through @smithy's loadSharedConfigFiles, which
 * takes the paths from process.env (getConfigFilepath / getCredentialsFilepath), and a client
 * constructor has no option to name them; only the credential providers take `filepath` /
 * `configFilepath`. The variables are the one lever that reaches every reader, including the ones a
 * provider builds for itself (the STS client inside fromWebToken). Call it before any SDK client or
 * provider runs, and give the checks a copy of the environment taken before, so they still see and
 * report the file the pod really names.
 */
export async function shieldSdkFromConfigFiles(
  sdkEnv: Record<string, string | undefined> = process.env,
): Promise<ConfigFileVariable[]> {
  const redirected: ConfigFileVariable[] = [];
  await Promise.all(
    VARIABLES.map(async (variable) => {
      const found = await inspectConfigFile(configFilePath(variable, sdkEnv));
      if (found.state !== 'unusable') return;
      sdkEnv[variable] = EMPTY_FILE;
      redirected.push(variable);
    }),
  );
  return redirected;
}
