// The command line's binding of the core's configuration lookup to the real file system.
import fs from 'node:fs';
import {
  type Config,
  describeIoError,
  findConfigFile as findIn,
  readConfigFile as readWith,
} from '../grammar/src/config.js';

export { describeIoError };

/** The nearest .nianbaorc.json in startDir or one of its ancestors, or null. */
export const findConfigFile = (startDir: string): string | null => findIn(startDir, fs);

/** Reads and validates a configuration file; throws ConfigError (Chinese message naming the file). */
export const readConfigFile = (file: string): Config => readWith(file, fs);
