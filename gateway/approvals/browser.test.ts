// The approvers' page in a real browser (Debian's chromium through playwright-core): paste a token, see the pending
// request with its masked preview (a `<script>` in a prompt shown as text), approve it.
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { CI_SUBJECT, startApprovalApp, type ApprovalApp } from "./test/app.js";

const CHROMIUM = "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`gateway/approvals/browser.test.ts: skipped: no browser at ${CHROMIUM} (apt-get install chromium)`);

describe.skipIf(!hasChromium)("approvals page in a browser", () => {
  let t: ApprovalApp;
  let browser: Browser;

  beforeAll(async () => {
    const { chromium } = await import("playwright-core");
    t = await startApprovalApp();
    await t.listen();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it("lists the pending request with its masked preview as text, approves it, and it leaves the list", async () => {
    const xss = 'deploy now <script>window.__xss = 1</script><img src=x onerror="window.__xss = 2"> key=[MASKED]';
    const a = await t.openApproval({ summary: { method: "POST", path: "/v1/messages", model: "claude-sonnet-4-5", texts: [xss] }, reason: "prod <b>deploy</b>" });
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(m.text());
    });
    page.on("pageerror", (e) => problems.push(e.message));
    try {
      await page.goto(`${t.url}/approvals`);
      await page.getByText("Paste your token").waitFor();
      await page.fill("#token", `Bearer ${await t.tokenOf("alice", ["sre"])}`);
      await page.click("#save");
      const item = page.locator(`li.item[data-id="${a.id}"]`);
      await item.waitFor();
      expect(await item.locator(".reason").textContent()).toBe("prod <b>deploy</b>");
      expect(await item.locator("pre.text").textContent()).toBe(xss);
      expect(await item.locator(".requester").textContent()).toContain(CI_SUBJECT);
      expect(await item.locator(".requester").textContent()).toContain("octocat");
      expect(await item.locator(".op").textContent()).toBe("POST /v1/messages · model claude-sonnet-4-5");
      expect(await item.locator(".age").textContent()).toMatch(/s ago · connection prod · 0 of 1 approvals · approvers: sre/);
      expect(await page.evaluate("window.__xss")).toBeUndefined();
      expect(await page.locator("#list script, #list img, #list b").count()).toBe(0);
      // the token stays in this tab's sessionStorage, not in the field
      expect(await page.inputValue("#token")).toBe("");
      expect(await page.evaluate('sessionStorage.getItem("guard-approvals-token")')).toMatch(/^eyJ/);

      await item.locator("input.comment").fill("ship it");
      await item.locator("button.approve").click();
      await item.waitFor({ state: "detached" });
      await page.locator("#empty").waitFor({ state: "visible" });
      expect(await page.textContent("#msg")).toContain("Approved");
      const after = (await t.service.get(a.id))!;
      expect(after.status).toBe("approved");
      expect(after.votes).toMatchObject([{ subject: "user:alice", decision: "approve", comment: "ship it" }]);
      expect(await t.service.waitFor(a.id, { timeoutMs: 10 })).toBe("approved");
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  }, 120_000);

  it("shows the API's refusal: the requester cannot approve their own request", async () => {
    const a = await t.openApproval();
    const page = await browser.newPage();
    try {
      await page.goto(`${t.url}/approvals`);
      await page.fill("#token", await t.ciToken());
      await page.click("#save");
      const item = page.locator(`li.item[data-id="${a.id}"]`);
      await item.waitFor();
      await item.locator("button.approve").click();
      await page.locator("#msg.error").waitFor();
      expect(await page.textContent("#msg")).toContain("self_approval");
      expect((await t.service.get(a.id))!.status).toBe("pending");
      // a bad token: the API's 401 is shown
      await page.fill("#token", "not-a-token");
      await page.click("#save");
      await page.locator("#msg.error", { hasText: "unauthenticated" }).waitFor();
    } finally {
      await page.close();
    }
  }, 120_000);
});
