// A small fastify app serving the approval routes, with the gateway's real Authenticator against a test OIDC
// issuer (groups in the `groups` claim), on a throwaway SQLite store: for the routes, browser and CLI tests.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Fastify, { type FastifyInstance } from "fastify";
import { Authenticator } from "../../identity.js";
import { openSqliteStore } from "../../store/sqlite.js";
import type { Store } from "../../store/types.js";
import { AUDIENCE, startIssuer, type Issuer } from "../../test/servers.js";
import { approvalRoutes } from "../routes.js";
import { ApprovalService, operationHash, type ApprovalEvent, type ApprovalServiceOptions, type OpenApprovalInput } from "../service.js";

export const CI_SUBJECT = "repo:acme/app:ref:refs/heads/main";

export interface ApprovalApp {
  app: FastifyInstance;
  service: ApprovalService;
  store: Store;
  issuer: Issuer;
  events: ApprovalEvent[];
  /** Listening URL, once listen() was called. */
  url: string;
  listen(): Promise<string>;
  /** A token of a person: `sub` user:<name>, `preferred_username` <name>, `groups`. */
  tokenOf(name: string, groups: string[]): Promise<string>;
  /** The CI job's token (the requester). */
  ciToken(): Promise<string>;
  /** Opens an approval as the gateway would for a held request. */
  openApproval(over?: Partial<OpenApprovalInput>): ReturnType<ApprovalService["open"]>;
  close(): Promise<void>;
}

let n = 0;

export async function startApprovalApp(options: { gatewayParsers?: boolean; service?: Partial<ApprovalServiceOptions> } = {}): Promise<ApprovalApp> {
  const dir = mkdtempSync(join(tmpdir(), "guard-approvals-app-"));
  const store = await openSqliteStore(join(dir, "guard.db"));
  const issuer = await startIssuer();
  const auth = new Authenticator([{ name: "test", issuer: issuer.issuer, audience: [AUDIENCE], algorithms: ["RS256"], clockSkewSeconds: 30, groupsClaim: "groups" }]);
  const events: ApprovalEvent[] = [];
  const service = new ApprovalService({ store: store.approvals, onEvent: (e) => void events.push(e), ...options.service });
  const app = Fastify({ logger: false });
  if (options.gatewayParsers) {
    // as the gateway has it: every body a Buffer
    app.removeAllContentTypeParsers();
    app.addContentTypeParser("*", { parseAs: "buffer" }, (_req, body, done) => done(null, body));
  }
  await app.register(approvalRoutes, { service, authenticate: (req) => auth.verify(Authenticator.tokenOf(req.headers)), basePath: "/approvals" });
  const out: ApprovalApp = {
    app,
    service,
    store,
    issuer,
    events,
    url: "",
    async listen() {
      out.url = await app.listen({ port: 0, host: "127.0.0.1" });
      return out.url;
    },
    tokenOf: (name, groups) => issuer.sign({ sub: `user:${name}`, preferred_username: name, name: name[0]!.toUpperCase() + name.slice(1), groups }),
    ciToken: () => issuer.sign({ sub: CI_SUBJECT, repository: "acme/app", actor: "octocat", workflow: "deploy" }),
    openApproval(over = {}) {
      n++;
      return service.open({
        operationHash: operationHash("prod", "POST", `/deploy/${n}`, "", CI_SUBJECT),
        requester: { subject: CI_SUBJECT, repository: "acme/app", claims: { actor: "octocat", workflow: "deploy" } },
        connection: "prod",
        summary: { method: "POST", path: "/v1/messages", model: "claude-sonnet-4-5", texts: ["deploy v1.2.3 to production"] },
        reason: "production deploys need a human",
        approvers: ["sre"],
        ...over,
      });
    },
    async close() {
      service.close();
      await app.close();
      await store.close();
      await issuer.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return out;
}
