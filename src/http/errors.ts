/**
 * The one place errors become HTTP answers: `{error, message, detail, details?}`. `detail` repeats
 * the message under FastAPI's key, which clients of the original read. Input errors name JSON
 * fields and query parameters (the library's own names) and list them in `details` as
 * `{field, reason}`. Known errors keep their message; anything else is logged and answered with a
 * plain 500 that leaks nothing.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { LexiError, type LexiErrorCode } from "../errors.js";

const STATUS: Record<LexiErrorCode, number> = {
  invalid_input: 400,
  not_found: 404,
  conflict: 409,
  store_unavailable: 503,
  regression: 409,
  interrupted: 503,
};

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly error: string,
    message: string,
  ) {
    super(message);
  }
}

export function errorBody(error: string, message: string, details?: unknown) {
  return details === undefined ? { error, message, detail: message } : { error, message, detail: message, details };
}

export function handleError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): void {
  if (error instanceof LexiError) {
    void reply.status(STATUS[error.code]).send(errorBody(error.code, error.message, error.issues.length ? error.issues : error.details));
    return;
  }
  if (error instanceof HttpError) {
    void reply.status(error.statusCode).send(errorBody(error.error, error.message));
    return;
  }
  const fastifyError = error as FastifyError;
  const status = fastifyError.statusCode ?? 500;
  if (fastifyError.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
    void reply.status(413).send(errorBody("payload_too_large", "the request body is larger than the server accepts"));
    return;
  }
  if (status === 429) {
    void reply.status(429).send(errorBody("rate_limited", error.message));
    return;
  }
  if (status >= 400 && status < 500) {
    const code = fastifyError.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE" ? "unsupported_media_type" : "invalid_input";
    void reply.status(status).send(errorBody(code, status === 400 ? `the request body is not valid JSON: ${error.message}` : error.message));
    return;
  }
  request.log.error({ err: error }, "unexpected error");
  void reply.status(500).send(errorBody("internal_error", `internal error (request ${request.id})`));
}
