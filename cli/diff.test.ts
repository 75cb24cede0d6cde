import { describe, expect, it } from "vitest";
import { diffLines, unifiedDiff } from "./diff.js";

describe("unifiedDiff", () => {
  it("is empty for equal texts", () => {
    expect(unifiedDiff("a\nb\n", "a\nb\n", "f")).toBe("");
  });

  it("prints changed lines with context and hunk ranges", () => {
    expect(unifiedDiff("a\nb\nc\n", "a\nB\nc\n", "f")).toBe("--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
  });

  it("numbers an empty range after the line it follows", () => {
    expect(unifiedDiff("a\n", "a\nb\n", "f")).toBe("--- a/f\n+++ b/f\n@@ -1 +1,2 @@\n a\n+b\n");
    expect(unifiedDiff("", "a\n", "f")).toBe("--- a/f\n+++ b/f\n@@ -0,0 +1 @@\n+a\n");
  });

  it("marks a missing final newline", () => {
    expect(unifiedDiff("a", "a\n", "f")).toBe("--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+a\n");
  });

  it("merges changes closer than twice the context into one hunk", () => {
    const a = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
    const b = "1\nx\n3\n4\n5\n6\n7\ny\n9\n";
    expect(unifiedDiff(a, b, "f").match(/^@@/gm)).toHaveLength(1);
    const far = "1\nx\n3\n4\n5\n6\n7\n8\n9\n10\ny\n";
    expect(unifiedDiff("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n", far, "f").match(/^@@/gm)).toHaveLength(2);
  });
});

describe("diffLines", () => {
  it("finds a longest common subsequence", () => {
    const ops = diffLines(["a", "b", "c", "d"], ["b", "x", "d"]);
    expect(ops.map((o) => o.kind + o.line)).toEqual(["-a", " b", "-c", "+x", " d"]);
  });
});
