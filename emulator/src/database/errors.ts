/**
 * Database errors as CloudBase sends them: HTTP 200 + JSON {code, message, requestId}.
 * The SDK maps the code (cloudbase-database-wire.md "Errors"): COLLECTION_NOT_EXIST → -502005,
 * REQUEST_FAILED → -502001, INVALID_OPERRATOR → -502002, INVALID_PARAM → -501007, else -501001.
 */
export const DB_CODES = {
  collectionNotExist: 'DATABASE_COLLECTION_NOT_EXIST',
  /** ⚠️ The code CloudBase uses for an existing collection is not in the wire doc; the SDK maps any unknown code to -501001. */
  collectionAlreadyExist: 'DATABASE_COLLECTION_ALREADY_EXIST',
  requestFailed: 'DATABASE_REQUEST_FAILED',
  invalidOperator: 'DATABASE_INVALID_OPERRATOR', // sic, as the SDK spells it
  transactionConflict: 'DATABASE_TRANSACTION_CONFLICT',
  invalidParam: 'INVALID_PARAM',
  /**
   * The gateway's "resource server timeout": the SDK maps it to -501002 (its TCB_ERR_CODE table).
   * The default failure of `--db-fail`: a request the backend gave up on, not applied.
   */
  serverTimeout: 'SERVER_TIMEOUT',
} as const;

export class DatabaseError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'DatabaseError';
  }
}

export function collectionNotExist(name: string): DatabaseError {
  return new DatabaseError(DB_CODES.collectionNotExist, `Db or Table not exist: ${name}`);
}

export function invalidParam(message: string): DatabaseError {
  return new DatabaseError(DB_CODES.invalidParam, message);
}
