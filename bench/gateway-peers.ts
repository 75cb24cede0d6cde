// AI gateway peers for the gateway benchmark: other gateways that proxy the Anthropic Messages API, run in their own
// process against the same upstream stand-in. Portkey's open-source gateway (@portkey-ai/gateway, a devDependency
// pinned to one version) is the one published on npm that runs as a Node process: it is started from its package with
// the upstream as a custom host, and sends the request on unchanged (it checks no token, decides no policy and keeps
// no audit log: what it costs is its own routing and forwarding).
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

export interface PeerGateway {
  name: string;
  child: ChildProcess;
  /** The Messages API URL to send requests to. */
  url: string;
  /** Headers the peer needs on every request (provider, upstream, key). */
  headers: Record<string, string>;
}

const PORTKEY_DIR = ["node_modules", "@portkey-ai", "gateway"];

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

/** Starts Portkey's gateway against `upstream`; a string says why it cannot be (not installed, did not start). */
export async function startPortkey(root: string, upstream: string): Promise<PeerGateway | string> {
  const dir = join(root, ...PORTKEY_DIR);
  const script = join(dir, "build", "start-server.js");
  if (!existsSync(script)) return `@portkey-ai/gateway is not installed (${script} is missing)`;
  const version = (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version: string }).version;
  const port = await freePort();
  // production + --headless: no browser console, no log of each request
  const child = spawn(process.execPath, [script, `--port=${port}`, "--headless"], { env: { ...process.env, NODE_ENV: "production" }, stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  child.stderr!.on("data", (c: Buffer) => (err += c.toString()));
  const started = await new Promise<boolean>((resolveStart) => {
    let out = "";
    const timer = setTimeout(() => resolveStart(false), 30_000);
    child.stdout!.on("data", (c: Buffer) => {
      out += c.toString();
      if (/Ready for connections/.test(out)) {
        clearTimeout(timer);
        resolveStart(true);
      }
    });
    child.once("exit", () => {
      clearTimeout(timer);
      resolveStart(false);
    });
  });
  if (!started) {
    child.kill("SIGKILL");
    return `Portkey's gateway did not start: ${err.slice(0, 300) || "no output"}`;
  }
  return {
    name: `Portkey AI gateway ${version}`,
    child,
    url: `http://127.0.0.1:${port}/v1/messages`,
    headers: { "x-portkey-provider": "anthropic", "x-portkey-custom-host": `${upstream}/v1`, "x-api-key": "sk-ant-bench", "anthropic-version": "2023-06-01" },
  };
}
