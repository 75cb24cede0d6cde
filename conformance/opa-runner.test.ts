// How the OPA case runner judges a result set: rows in any order (as OPA's own runner, which compares sets), each as
// many times as wanted, arrays inside results sorted only with sort_bindings.
import { describe, expect, it } from "vitest";
import { runCase, type OpaCase } from "./opa-runner.js";

const twoRules = ["package test\n\np[x] := 1 if x := \"b\"\n\np[x] := 2 if x := \"a\"\n"];
const run = (c: Omit<OpaCase, "note">) => runCase({ note: "runner", ...c }, import.meta.dirname);

describe("the OPA case runner's result comparison", () => {
  it("passes the wanted rows in another order than the engine yields them", () => {
    expect(run({ modules: twoRules, query: "data.test.p[k] = v", want_result: [{ k: "b", v: 1 }, { k: "a", v: 2 }] })).toEqual({ status: "pass" });
    expect(run({ modules: twoRules, query: "data.test.p[k] = v", want_result: [{ k: "a", v: 2 }, { k: "b", v: 1 }] })).toEqual({ status: "pass" });
  });

  it("fails a missing, an extra, a wrong or a duplicated row", () => {
    expect(run({ modules: twoRules, query: "data.test.p[k] = v", want_result: [{ k: "a", v: 2 }] }).status).toBe("fail");
    expect(run({ modules: twoRules, query: "data.test.p[k] = v", want_result: [{ k: "a", v: 2 }, { k: "b", v: 1 }, { k: "c", v: 3 }] }).status).toBe("fail");
    expect(run({ modules: twoRules, query: "data.test.p[k] = v", want_result: [{ k: "a", v: 1 }, { k: "b", v: 2 }] }).status).toBe("fail");
    expect(run({ modules: twoRules, query: "data.test.p[k] = v", want_result: [{ k: "a", v: 2 }, { k: "a", v: 2 }] }).status).toBe("fail");
  });

  it("compares arrays inside a result in order unless sort_bindings is set", () => {
    const c = { query: "x := [3, 1, 2]", want_result: [{ x: [1, 2, 3] }] };
    expect(run(c).status).toBe("fail");
    expect(run({ ...c, sort_bindings: true })).toEqual({ status: "pass" });
  });
});
