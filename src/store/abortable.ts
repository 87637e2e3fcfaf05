/**
 * A view of a store whose reads stop once a signal aborts: `lexi serve` gives each long query a
 * view bound to its request, so a client that goes away leaves no query running. Writes and
 * units of work are the store's own (a unit is never cut in half).
 */
import type { Collection, Doc, Filter, FindOptions, Pipeline, ReadOptions, Store, StoreSession } from "./store.js";

export function abortable(store: Store, signal: AbortSignal): Store {
  return {
    backend: store.backend,
    location: store.location,
    collection: <T extends Doc = Doc>(name: string) => abortableCollection(store.collection<T>(name), signal),
    transaction: <R>(work: (session: StoreSession) => Promise<R>) => store.transaction(work),
    sweepExpired: () => store.sweepExpired(),
    // The view does not own the store: whoever opened it closes it.
    close: async () => undefined,
  };
}

function abortableCollection<T extends Doc>(collection: Collection<T>, signal: AbortSignal): Collection<T> {
  const withSignal = <O extends ReadOptions>(options: O | undefined): O => ({ ...(options ?? ({} as O)), signal });
  return {
    name: collection.name,
    insertOne: (doc) => collection.insertOne(doc),
    insertMany: (docs, options) => collection.insertMany(docs, options),
    find: (filter?: Filter, options?: FindOptions) => collection.find(filter, withSignal(options)),
    findOne: (filter, options) => collection.findOne(filter, withSignal(options)),
    updateOne: (filter, update, options) => collection.updateOne(filter, update, options),
    updateMany: (filter, update, options) => collection.updateMany(filter, update, options),
    findOneAndUpdate: (filter, update, options) => collection.findOneAndUpdate(filter, update, options),
    deleteOne: (filter) => collection.deleteOne(filter),
    deleteMany: (filter) => collection.deleteMany(filter),
    countDocuments: (filter, options) => collection.countDocuments(filter, withSignal(options)),
    estimatedDocumentCount: () => collection.estimatedDocumentCount(),
    aggregate: <R extends Doc = Doc>(pipeline: Pipeline, options?: ReadOptions) => collection.aggregate<R>(pipeline, withSignal(options)),
    createIndexes: (specs) => collection.createIndexes(specs),
    listIndexes: () => collection.listIndexes(),
    dropIndex: (name) => collection.dropIndex(name),
  };
}
