import type { Migration } from 'kysely/migration';
import * as initial from './0001_initial.ts';
import * as moreNetworks from './0004_more_networks.ts';

/** Every migration, in order. Add each new file here; its key is its name in kysely_migration. */
export const migrations: Record<string, Migration> = {
  '0001_initial': initial,
  '0004_more_networks': moreNetworks,
};
