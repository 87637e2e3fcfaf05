/**
 * Maps driver errors to lexi's typed errors, once, at the engine's edge (never inside a
 * transaction's callback: the driver retries only its own errors there). Messages are masked so
 * no URI secret leaks.
 */
import { MongoBulkWriteError, MongoError, MongoInvalidArgumentError, MongoNetworkError, MongoOperationTimeoutError, MongoServerSelectionError, MongoWriteConcernError } from "mongodb";
import { ConflictError, InvalidInputError, LexiError, StoreUnavailableError } from "../../errors.js";
import { maskSecrets } from "../location.js";

/** Server error codes lexi reacts to (MongoDB's `error_codes.yml`). */
export const SERVER_CODES = {
  unauthorized: 13,
  authenticationFailed: 18,
  namespaceNotFound: 26,
  indexNotFound: 27,
  maxTimeMSExpired: 50,
  indexOptionsConflict: 85,
  indexKeySpecsConflict: 86,
  duplicateKey: 11000,
  bsonObjectTooLarge: 10334,
  /** An update would grow the document past 16 MiB. */
  updatedDocumentTooLarge: 17419,
  /** An insert of a document over 16 MiB ("object to insert too large") is refused as a bad value. */
  badValue: 2,
  /** `$dateToString` & co. refuse a time zone name that is not spelled exactly as in the tz database. */
  unrecognizedTimeZone: 40485,
} as const;

/** The server is stepping down, shutting down or not primary: an election or restart, retried later. */
const STATE_CHANGE_CODES = new Set([91, 189, 10107, 11600, 11602, 13435, 13436, 10058]);

/** Labels the driver puts on errors whose outcome the deployment, not the request, decided. */
const UNAVAILABLE_LABELS = ["TransientTransactionError", "UnknownTransactionCommitResult", "RetryableWriteError", "ResetPool", "PoolRequestedRetry"];

/**
 * Driver classes that mean "no answer from the deployment": the pool was cleared (a
 * `MongoPoolClearedError` is a `MongoNetworkError`), the socket failed, no server was selectable,
 * or the client was closed under the operation.
 */
const UNREACHABLE_NAMES = new Set(["MongoTopologyClosedError", "MongoNotConnectedError", "MongoClientClosedError", "MongoServerClosedError"]);

export function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: unknown })?.code === SERVER_CODES.duplicateKey;
}

export function hasCode(error: unknown, code: number): boolean {
  return (error as { code?: unknown })?.code === code;
}

function hasUnavailableLabel(error: MongoError): boolean {
  return UNAVAILABLE_LABELS.some((label) => error.hasErrorLabel(label));
}

/**
 * A bulk write (insertMany) wraps whatever stopped it: a write concern error (`err`/
 * `getWriteConcernError()`), or — copied onto it with its labels — the network or pool-cleared
 * error of the batch. Only write errors (duplicate keys…) are about the documents themselves.
 */
function isUnavailableBulk(error: MongoBulkWriteError): boolean {
  if (error.result?.getWriteConcernError?.()) return true;
  const writeErrors = [error.writeErrors ?? []].flat();
  return writeErrors.length === 0 && hasUnavailableLabel(error);
}

/**
 * MongoDB refuses documents over 16 MiB: the server with one of several codes, the driver's bulk
 * writes (insertMany) before sending.
 */
function isTooLarge(error: unknown): boolean {
  if (hasCode(error, SERVER_CODES.bsonObjectTooLarge) || hasCode(error, SERVER_CODES.updatedDocumentTooLarge)) return true;
  const message = (error as Error)?.message ?? "";
  if (hasCode(error, SERVER_CODES.badValue)) return /too large/i.test(message);
  return error instanceof MongoInvalidArgumentError && /larger than the maximum size/.test(message);
}

function isUnavailable(error: unknown): boolean {
  if (!(error instanceof MongoError)) return false;
  if (error instanceof MongoNetworkError || error instanceof MongoServerSelectionError || error instanceof MongoWriteConcernError) return true;
  if (UNREACHABLE_NAMES.has(error.name)) return true;
  if (error instanceof MongoBulkWriteError) return isUnavailableBulk(error);
  if (typeof error.code === "number" && STATE_CHANGE_CODES.has(error.code)) return true;
  return hasUnavailableLabel(error);
}

/** `timeoutMS` ran out on the client (CSOT), or the server stopped the query at its `maxTimeMS`. */
function isTimeout(error: unknown): boolean {
  return error instanceof MongoOperationTimeoutError || hasCode(error, SERVER_CODES.maxTimeMSExpired);
}

export function wrapMongoError(error: unknown, operation: string): Error {
  if (error instanceof LexiError) return error;
  const message = maskSecrets((error as Error)?.message ?? String(error));
  if (isDuplicateKey(error)) return new ConflictError(`duplicate key in ${operation}`, { cause: error });
  if (hasCode(error, SERVER_CODES.unrecognizedTimeZone)) return new InvalidInputError(`MongoDB does not know this time zone (${operation}): ${message}`, { cause: error });
  if (isTooLarge(error)) return new InvalidInputError(`a document is larger than MongoDB's 16 MiB limit (${operation})`, { cause: error });
  if (hasCode(error, SERVER_CODES.authenticationFailed)) return new StoreUnavailableError(`MongoDB refused the credentials (${operation})`, { cause: error });
  if (hasCode(error, SERVER_CODES.unauthorized)) return new StoreUnavailableError(`MongoDB refused ${operation}: the user lacks a privilege (${message}); see "Privileges" in the README`, { cause: error });
  if (isTimeout(error)) return new StoreUnavailableError(`MongoDB did not answer in time during ${operation}; try again or narrow the query`, { cause: error });
  if (isUnavailable(error)) {
    const state = error instanceof MongoNetworkError || error instanceof MongoServerSelectionError ? "unreachable" : "unavailable";
    return new StoreUnavailableError(`MongoDB is ${state} during ${operation}: ${message}`, { cause: error });
  }
  return error instanceof Error ? error : new Error(String(error));
}
