/**
 * examples/mongodb-replica-set.compose.yml cannot start here (no container runtime, no MongoDB):
 * what is checked is that it declares the replica set its documented URI names, and that lexi
 * reads that URI as a MongoDB store of that replica set.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MongoClient } from "mongodb";
import { parse } from "yaml";
import { parseLocation } from "../../src/store/location.js";
import { ROOT } from "../helpers/cli.js";

const FILE = join(ROOT, "examples/mongodb-replica-set.compose.yml");

describe("examples/mongodb-replica-set.compose.yml", () => {
  const text = readFileSync(FILE, "utf8");
  const compose = parse(text) as { services: { mongodb: { command: string[]; ports: string[]; healthcheck: { test: string[] } } } };
  const uri = /export LEXI_DB="([^"]+)"/.exec(text)![1]!;

  it("starts mongod as the replica set its URI names, and initiates it with the host the URI reaches", () => {
    const { command, ports, healthcheck } = compose.services.mongodb;
    const replicaSet = command[command.indexOf("--replSet") + 1];
    expect(new URL(uri).searchParams.get("replicaSet")).toBe(replicaSet);
    expect(healthcheck.test.join(" ")).toContain(`_id: '${replicaSet}'`);
    const host = new URL(uri).host;
    expect(healthcheck.test.join(" ")).toContain(`host: '${host}'`);
    expect(ports).toContain(`${host}:27017`);
  });

  it("gives a URI lexi opens as MongoDB and the official driver reads as that replica set, reached directly", async () => {
    expect(parseLocation(uri)).toMatchObject({ kind: "mongodb" });
    const client = new MongoClient(uri);
    expect(client.options).toMatchObject({ replicaSet: "rs0", directConnection: true, dbName: "lexilingo" });
    await client.close();
  });
});
