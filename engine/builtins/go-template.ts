// strings.render_template: a subset of Go's text/template, executed over the JSON-decoded variables.
//
// Supported: text and actions with trim markers (`{{- ` / ` -}}`), comments, field and variable references
// (`.`, `.a.b`, `$`, `$x.a`), literals (strings, numbers, true/false/nil), pipelines with `|` and parentheses,
// variable declarations (`{{$x := .a}}`), `if` / `else if` / `else`, `with`, `range` (with `$i, $e :=`), and the
// functions len, index, not, and, or, eq, ne, print. Other functions and `define`/`template`/`block` raise an error
// (OPA, with the full text/template, would evaluate them). Values print as Go's fmt prints the JSON-decoded variables
// (numbers as written, `[a b]` for arrays, `map[k:v]` for objects, `<no value>` for null); a missing key is an error,
// as with OPA's `missingkey=error`.
import { compareStrings, formatNumber, isObject, isSet, sortedEntries, type ObjectValue, type Value } from "../value/value.js";
import { BuiltinError } from "./registry.js";
import { utf8Length } from "./go-strings.js";
import { JsonNumber, TemplateError, TemplateParser, type TArg, type TCmd, type TNode, type TPipe, type TTok, type TVal } from "./go-template-parse.js";
import { regoText } from "./rego-text.js";

function jsonDecodeError(v: Value): string | undefined {
  if (isSet(v)) {
    if (v.size === 0) return "invalid character 's' looking for beginning of value";
    const first = v.sorted()[0]!;
    if (typeof first === "string") return `invalid character '${v.size > 1 ? "," : "}"}' after object key`;
    return `invalid character '${regoText(first)[0]}' looking for beginning of object key string`;
  }
  if (Array.isArray(v)) {
    for (const x of v) {
      const e = jsonDecodeError(x);
      if (e) return e;
    }
    return undefined;
  }
  if (isObject(v)) {
    const entries = sortedEntries(v);
    for (const [k, x] of entries) {
      if (typeof k !== "string") return `invalid character '${regoText(k)[0]}' looking for beginning of object key string`;
      const e = jsonDecodeError(x);
      if (e) return e;
    }
  }
  return undefined;
}

function toTVal(v: Value): TVal {
  if (v === null || typeof v === "boolean" || typeof v === "string") return v;
  if (typeof v === "number") return new JsonNumber(formatNumber(v));
  if (typeof v === "bigint") return new JsonNumber(v.toString());
  if (Array.isArray(v)) return v.map(toTVal);
  const o: { [k: string]: TVal } = Object.create(null);
  for (const [k, x] of sortedEntries(v as ObjectValue)) o[k as string] = toTVal(x);
  return o;
}

function isMap(v: TVal): v is { [k: string]: TVal } {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof JsonNumber);
}

function goTypeOf(v: TVal): string {
  if (v === null) return "interface {}";
  if (typeof v === "string") return "string";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "bigint") return "int";
  if (v instanceof JsonNumber) return "json.Number";
  if (Array.isArray(v)) return "[]interface {}";
  return "map[string]interface {}";
}

/** fmt's %v of a decoded JSON value inside a composite. */
function fmtValue(v: TVal, top: boolean): string {
  if (v === null) return top ? "<no value>" : "<nil>";
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "bigint") return v.toString();
  if (v instanceof JsonNumber) return v.text;
  if (Array.isArray(v)) return "[" + v.map((x) => fmtValue(x, false)).join(" ") + "]";
  const keys = Object.keys(v).sort(compareStrings);
  return "map[" + keys.map((k) => k + ":" + fmtValue(v[k]!, false)).join(" ") + "]";
}

function truth(v: TVal): boolean {
  if (v === null) return false;
  if (typeof v === "boolean") return v;
  if (typeof v === "string") return v.length > 0;
  if (typeof v === "bigint") return v !== 0n;
  if (v instanceof JsonNumber) return v.text.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  return Object.keys(v).length > 0;
}

/** A parsed template and its execution. */
class Template extends TemplateParser {
  private vars: [string, TVal][] = [];

  execute(nodes: TNode[], data: TVal): string {
    this.vars = [["$", data]];
    return this.walk(nodes, data);
  }

  private fail(pos: number, src: string, msg: string): TemplateError {
    return new TemplateError(`template: ${this.location(pos)}: executing "template" at <${src}>: ${msg}`);
  }

  private walk(nodes: TNode[], dot: TVal): string {
    let out = "";
    for (const n of nodes) {
      switch (n.k) {
        case "text":
          out += n.text;
          break;
        case "action": {
          const v = this.evalPipe(n.pipe, dot);
          if (n.pipe.decl.length === 0) out += fmtValue(v, true);
          break;
        }
        case "if":
        case "with": {
          const mark = this.vars.length;
          const v = this.evalPipe(n.pipe, dot);
          if (truth(v)) out += this.walk(n.list, n.k === "with" ? v : dot);
          else if (n.elseList) out += this.walk(n.elseList, dot);
          this.vars.length = mark;
          break;
        }
        case "range": {
          const mark = this.vars.length;
          const decl = n.pipe.decl;
          const v = this.evalPipe({ ...n.pipe, decl: [] }, dot);
          const iterate = (key: TVal, elem: TVal): void => {
            if (decl.length === 1) this.vars.push([decl[0]!, elem]);
            else if (decl.length === 2) this.vars.push([decl[0]!, key], [decl[1]!, elem]);
            out += this.walk(n.list, elem);
            this.vars.length = mark;
          };
          let count = 0;
          if (Array.isArray(v)) {
            v.forEach((x, idx) => iterate(BigInt(idx), x));
            count = v.length;
          } else if (isMap(v)) {
            const keys = Object.keys(v).sort(compareStrings);
            for (const k of keys) iterate(k, v[k]!);
            count = keys.length;
          } else if (typeof v === "bigint") {
            for (let k = 0n; k < v; k++) iterate(k, k);
            count = v > 0n ? 1 : 0;
          } else if (v !== null) {
            throw this.fail(n.pipe.pos, "range", `range can't iterate over ${fmtValue(v, true)}`);
          }
          if (count === 0 && n.elseList) out += this.walk(n.elseList, dot);
          this.vars.length = mark;
          break;
        }
      }
    }
    return out;
  }

  private evalPipe(pipe: TPipe, dot: TVal): TVal {
    let v: TVal | undefined;
    for (const cmd of pipe.cmds) v = this.evalCmd(cmd, dot, v);
    const value = v ?? null;
    if (pipe.decl.length) {
      if (pipe.assign) {
        const name = pipe.decl[0]!;
        for (let k = this.vars.length - 1; k >= 0; k--) {
          if (this.vars[k]![0] === name) {
            this.vars[k]![1] = value;
            return value;
          }
        }
        throw new TemplateError(`template: template:${this.lineOf(pipe.pos)}: undefined variable: ${name}`);
      }
      this.vars.push([pipe.decl[0]!, value]);
    }
    return value;
  }

  private lookupVar(name: string, pos: number): TVal {
    for (let k = this.vars.length - 1; k >= 0; k--) if (this.vars[k]![0] === name) return this.vars[k]![1];
    throw new TemplateError(`template: template:${this.lineOf(pos)}: undefined variable: ${name}`);
  }

  private fields(v: TVal, names: string[], pos: number, src: string): TVal {
    for (const name of names) {
      if (isMap(v)) {
        if (!Object.prototype.hasOwnProperty.call(v, name)) throw this.fail(pos, src, `map has no entry for key "${name}"`);
        v = v[name]!;
      } else if (v === null) {
        throw this.fail(pos, src, `nil pointer evaluating interface {}.${name}`);
      } else {
        throw this.fail(pos, src, `can't evaluate field ${name} in type ${goTypeOf(v)}`);
      }
    }
    return v;
  }

  private evalArg(a: TArg, dot: TVal): TVal {
    if (a.k === "paren") return this.fields(this.evalPipe(a.pipe, dot), a.fields, a.pos, a.src);
    const t = a.tok;
    switch (t.k) {
      case "dot":
        return dot;
      case "field":
        return this.fields(dot, t.names, t.at, t.src);
      case "var":
        return this.fields(this.lookupVar(t.name, t.pos), t.names, t.at, t.src);
      case "str":
        return t.v;
      case "num":
        return t.v;
      case "bool":
        return t.v;
      case "nil":
        throw this.fail(t.pos, "nil", "nil is not a command");
      case "ident":
        return this.call(t, [], dot, undefined);
      case "punct":
        throw this.parseError(t.pos, `unexpected ${t.v}`);
    }
  }

  private evalCmd(cmd: TCmd, dot: TVal, final: TVal | undefined): TVal {
    const first = cmd.args[0]!;
    if (first.k === "tok" && first.tok.k === "ident") return this.call(first.tok, cmd.args.slice(1), dot, final);
    if (cmd.args.length > 1 || final !== undefined) {
      const src = first.k === "tok" ? first.tok.src : first.src;
      const pos = first.k === "tok" ? first.tok.pos : first.pos;
      throw this.fail(pos, src, `can't give argument to non-function ${src}`);
    }
    return this.evalArg(first, dot);
  }

  private call(fn: TTok & { k: "ident" }, rawArgs: TArg[], dot: TVal, final: TVal | undefined): TVal {
    const name = fn.name;
    const lazy = name === "and" || name === "or";
    const evalAll = (): TVal[] => {
      const vs = rawArgs.map((a) => this.evalArg(a, dot));
      if (final !== undefined) vs.push(final);
      return vs;
    };
    const wrongArgs = (n: number, want: string): TemplateError =>
      this.fail(fn.pos, name, `wrong number of args for ${name}: want ${want} got ${n}`);
    if (lazy) {
      const n = rawArgs.length + (final !== undefined ? 1 : 0);
      if (n < 1) throw wrongArgs(n, "at least 1");
      let v: TVal = null;
      for (let k = 0; k < n; k++) {
        v = k < rawArgs.length ? this.evalArg(rawArgs[k]!, dot) : final!;
        if (name === "and" ? !truth(v) : truth(v)) return v;
      }
      return v;
    }
    switch (name) {
      case "not": {
        const vs = evalAll();
        if (vs.length !== 1) throw wrongArgs(vs.length, "1");
        return !truth(vs[0]!);
      }
      case "len": {
        const vs = evalAll();
        if (vs.length !== 1) throw wrongArgs(vs.length, "1");
        const v = vs[0]!;
        if (typeof v === "string") return BigInt(utf8Length(v));
        if (v instanceof JsonNumber) return BigInt(utf8Length(v.text));
        if (Array.isArray(v)) return BigInt(v.length);
        if (isMap(v)) return BigInt(Object.keys(v).length);
        throw this.fail(fn.pos, name, `error calling len: len of type ${goTypeOf(v)}`);
      }
      case "index": {
        const vs = evalAll();
        if (vs.length < 1) throw wrongArgs(vs.length, "at least 1");
        let v: TVal = vs[0] as TVal;
        for (const ix of vs.slice(1)) {
          if (Array.isArray(v)) {
            if (typeof ix !== "bigint") throw this.fail(fn.pos, name, `error calling index: cannot index slice/array with type ${goTypeOf(ix)}`);
            if (ix < 0n || ix >= BigInt(v.length)) throw this.fail(fn.pos, name, `error calling index: index out of range: ${ix}`);
            v = v[Number(ix)]!;
          } else if (isMap(v)) {
            if (typeof ix !== "string") throw this.fail(fn.pos, name, `error calling index: value has type ${goTypeOf(ix)}; should be string`);
            v = Object.prototype.hasOwnProperty.call(v, ix) ? v[ix]! : null;
          } else if (v === null) {
            throw this.fail(fn.pos, name, "error calling index: index of untyped nil");
          } else {
            throw this.fail(fn.pos, name, `error calling index: can't index item of type ${goTypeOf(v)}`);
          }
        }
        return v;
      }
      case "eq":
      case "ne": {
        const vs = evalAll();
        if (vs.length < 2) throw this.fail(fn.pos, name, `error calling ${name}: missing argument for comparison`);
        const kind = (x: TVal): string =>
          typeof x === "string" || x instanceof JsonNumber ? "string" : typeof x === "boolean" ? "bool" : typeof x === "bigint" ? "int" : x === null ? "nil" : "other";
        const val = (x: TVal): unknown => (x instanceof JsonNumber ? x.text : x);
        const a0 = vs[0]!;
        if (name === "ne" && vs.length !== 2) throw wrongArgs(vs.length, "2");
        let eq = false;
        for (const b of vs.slice(1)) {
          const ka = kind(a0);
          const kb = kind(b);
          if (ka === "other" || kb === "other") throw this.fail(fn.pos, name, `error calling ${name}: non-comparable type`);
          if (ka !== kb) {
            if (ka === "nil" || kb === "nil") {
              eq = false;
            } else throw this.fail(fn.pos, name, `error calling ${name}: incompatible types for comparison`);
          } else if (val(a0) === val(b)) {
            eq = true;
            break;
          }
        }
        return name === "eq" ? eq : !eq;
      }
      case "print": {
        const vs = evalAll();
        let out = "";
        const isStr = (v: TVal): boolean => typeof v === "string" || v instanceof JsonNumber;
        vs.forEach((v, k) => {
          if (k > 0 && !isStr(v) && !isStr(vs[k - 1]!)) out += " ";
          out += fmtValue(v, false);
        });
        return out;
      }
    }
    throw new TemplateError(`template: template:${this.lineOf(fn.pos)}: function "${name}" not defined`);
  }
}

export function renderTemplate(template: string, vars: ObjectValue): string {
  const decodeErr = jsonDecodeError(vars);
  if (decodeErr) throw new BuiltinError(decodeErr);
  const t = new Template(template);
  try {
    const nodes = t.parse();
    return t.execute(nodes, toTVal(vars));
  } catch (e) {
    if (e instanceof TemplateError) throw new BuiltinError(e.message);
    throw e;
  }
}
