/** The `database.*` actions the emulator answers (cloudbase-database-wire.md), without dependencies so fault validation can use them. */
export const DATABASE_ACTIONS = [
  'database.insertDocument',
  'database.getDocument',
  'database.calculateDocument',
  'database.modifyDocument',
  'database.removeDocument',
  'database.addCollection',
  'database.aggregateDocuments',
  'database.startTransaction',
  'database.commitTransaction',
  'database.abortTransaction',
] as const;

export type DatabaseAction = (typeof DATABASE_ACTIONS)[number];

/** Fault selector naming every database call (counted together, apart from the openapi `*`). */
export const ALL_DATABASE = 'database';

export function isDatabaseApi(api: string): boolean {
  return api === ALL_DATABASE || api.startsWith('database.');
}
