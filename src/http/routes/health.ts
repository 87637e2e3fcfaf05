import { checkStore } from "../../services/store-info.js";
import type { Store } from "../../store/store.js";
import type { RouteRegistry } from "../route.js";

export function healthRoutes(routes: RouteRegistry, store: Store): void {
  routes.add({
    method: "GET",
    url: "/health",
    scope: "public",
    tag: "health",
    summary: "Checks that the store answers, and names its engine",
    handler: async () => ({ status: "ok", ...(await checkStore(store)) }),
  });
  routes.add({
    method: "GET",
    url: "/ping",
    scope: "public",
    tag: "health",
    summary: "Answers without touching the store (a baseline for load tests)",
    handler: async () => ({ pong: true }),
  });
}
