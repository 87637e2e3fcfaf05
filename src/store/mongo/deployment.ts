/**
 * What kind of MongoDB deployment lexi reached, read from the `hello` reply: a replica-set member
 * names its set (`setName`), a mongos router answers `msg: "isdbgrid"`, a load balancer marks the
 * connection `serviceId`; anything else is a standalone server, which cannot run transactions.
 */
import { InvalidInputError } from "../../errors.js";

export type Deployment = "replica_set" | "sharded" | "load_balanced" | "standalone";

export const ALLOW_STANDALONE_ENV = "LEXI_MONGO_ALLOW_STANDALONE";

export function deploymentOf(hello: Record<string, unknown>): Deployment {
  if (hello.setName) return "replica_set";
  if (hello.msg === "isdbgrid") return "sharded";
  if (hello.serviceId) return "load_balanced";
  return "standalone";
}

/** True when the user opted in to a standalone server through the environment. */
export function standaloneAllowedByEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  return /^(1|true|yes)$/i.test(env[ALLOW_STANDALONE_ENV] ?? "");
}

export function standaloneRefusal(location: string): InvalidInputError {
  return new InvalidInputError(
    `${location} is a standalone MongoDB server, which cannot run transactions: concurrent reviews could lose updates. ` +
      `Start it as a single-node replica set instead (mongod --replSet rs0 …, then once: mongosh --eval "rs.initiate()") ` +
      `and connect with ?replicaSet=rs0 — or set ${ALLOW_STANDALONE_ENV}=1 to accept writes without transactions.`,
  );
}
