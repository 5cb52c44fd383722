import { ConfigError, loadConfig, type Config } from './config.ts';
import { loadEnvFile } from './load-env-file.ts';

/** For entry points: the configuration from `.env` and the environment, or exit naming what is wrong. */
export function readConfigOrExit(): Config {
  loadEnvFile();
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`${error.message}\nSee README.md, "Configuration", or run \`npm run setup\` to write a .env for this machine.`);
      process.exit(1);
    }
    throw error;
  }
}
