/**
 * A request's long queries stop when its client goes away: the signal aborts when the connection
 * closes before the answer was sent in full, and the store view bound to it stops reading (on
 * MongoDB the driver closes the server cursor).
 */
import type { FastifyReply } from "fastify";
import { InterruptedError } from "../errors.js";
import { abortable } from "../store/abortable.js";
import type { Store } from "../store/store.js";

export function clientGoneSignal(reply: FastifyReply): AbortSignal {
  const abort = new AbortController();
  reply.raw.on("close", () => {
    if (!reply.raw.writableFinished) abort.abort(new InterruptedError("the client closed the connection before the answer was sent"));
  });
  return abort.signal;
}

/** `store`, with reads that stop when the request's client goes away. */
export function storeForRequest(store: Store, reply: FastifyReply): Store {
  return abortable(store, clientGoneSignal(reply));
}
