// Test helpers for the language front end.
import { expect } from "vitest";
import type { Module, Rule, Term, Literal } from "../ast.js";
import { renderDiagnostics } from "../diagnostics.js";
import { parseModule } from "../parse.js";

/** Removes location fields so trees can be compared by shape. */
export function noLoc<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (k, v) => (k === "loc" || k === "nameLoc" ? undefined : v))) as T;
}

/** Parses a module that must have no diagnostics. */
export function parseOk(text: string): Module {
  const r = parseModule(text, { file: "test.guard" });
  expect(renderDiagnostics(r.diagnostics, text)).toBe("");
  expect(r.module).toBeDefined();
  return r.module!;
}

/** The rules of `package test` followed by `body`. */
export function rules(body: string): Rule[] {
  return parseOk(`package test\n\n${body}\n`).rules;
}

/** The term of `x := <expr>`. */
export function term(expr: string): Term {
  const [rule] = rules(`x := ${expr}`);
  return noLoc(rule!.head.value!);
}

/** The literals of `p if { <body> }`. */
export function literals(body: string): Literal[] {
  const [rule] = rules(`p if {\n${body}\n}`);
  return noLoc(rule!.body!.literals);
}

/** The rendered diagnostics for a module text. */
export function errorsOf(text: string, file = "policy.guard"): string {
  return renderDiagnostics(parseModule(text, { file }).diagnostics, text);
}
