// The open-loop generator of the gateway benchmark: every request is sent, spread over the run (not in bursts), and
// answers other than 2xx are counted as errors, not as latencies.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { paced } from "./paced-load.js";

describe("paced load", () => {
  it("sends rate × seconds requests spread over the run, and counts failures apart", async () => {
    const arrivals: number[] = [];
    let n = 0;
    const server = createServer((req, res) => {
      arrivals.push(performance.now());
      req.resume();
      req.on("end", () => {
        n++;
        res.writeHead(n % 10 === 0 ? 503 : 200);
        res.end("ok");
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`;
      const r = await paced({ url, rate: 100, seconds: 1, connections: 4, headers: { "content-type": "text/plain" }, body: "hi" });
      expect(r.sent).toBe(100);
      expect(arrivals).toHaveLength(100);
      expect(r.errors).toBe(10);
      expect(r.ok).toBe(90);
      // spread over the second, not sent at once: the first and the last arrive most of a second apart
      expect(arrivals[arrivals.length - 1]! - arrivals[0]!).toBeGreaterThan(500);
      expect(r.p50).toBeGreaterThan(0);
      expect(r.p99).toBeGreaterThanOrEqual(r.p50);
      expect(r.max).toBeGreaterThanOrEqual(r.p99);
      // the generator's own CPU, which the gateway benchmark counts as part of each request's cost to the machine
      expect(r.cpuUs).toBeGreaterThan(0);
    } finally {
      server.close();
    }
  });
});
