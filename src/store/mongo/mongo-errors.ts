import { ConflictError, LexiError, StoreUnavailableError } from "../../errors.js";
import { maskSecrets } from "../location.js";

const DUPLICATE_KEY = 11000;

interface DriverError extends Error {
  code?: number | string;
}

export function isDuplicateKey(error: unknown): boolean {
  return (error as DriverError)?.code === DUPLICATE_KEY;
}

/** Maps driver errors to lexi's typed errors; messages are masked so no URI secret leaks. */
export function wrapMongoError(error: unknown, operation: string): Error {
  if (error instanceof LexiError) return error;
  const driver = error as DriverError;
  if (isDuplicateKey(error)) return new ConflictError(`duplicate key in ${operation}`, { cause: error });
  const name = driver?.name ?? "";
  if (/MongoServerSelectionError|MongoNetworkError|MongoNetworkTimeoutError|MongoTopologyClosedError|MongoNotConnectedError/.test(name)) {
    return new StoreUnavailableError(`MongoDB is unreachable during ${operation}: ${maskSecrets(driver.message)}`, { cause: error });
  }
  return error instanceof Error ? error : new Error(String(error));
}
