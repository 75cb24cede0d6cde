// Loading a policy set that `guard build` compiled ahead of time: the generated program, the shape of its rule
// tree and its base data, without the parser, the compiler or `new Function`.
import { defaultBuiltins } from "../builtins/index.js";
import type { BuiltinDecl } from "../builtins/registry.js";
import { RuleNode, type RuleEntry, type RuleKind } from "../compile/rule-tree.js";
import { fromJSON, type Value } from "../value/value.js";
import { Runtime, type CompiledFn, type Ctx, type NodeFn, type QueryState } from "./runtime.js";

/** The rule tree reduced to what the runtime reads: each node's rule kinds and its children. */
export interface TreeSkeleton {
  k?: RuleKind[];
  /** Key levels of each rule's head after the node (`p[q].r` at `p`: 2). */
  d?: number[];
  c?: Record<string, TreeSkeleton>;
}

export type ProgramFactory = (rt: Runtime, builtins: Map<string, BuiltinDecl>) => {
  nodes: Record<string, NodeFn>;
  functions: Record<string, CompiledFn>;
};

export function skeletonOf(node: RuleNode): TreeSkeleton {
  const out: TreeSkeleton = {};
  if (node.rules.length > 0) out.k = node.rules.map((r) => r.kind);
  if (node.rules.some((r) => r.rest.length > 0)) out.d = node.rules.map((r) => r.rest.length);
  if (node.children.size > 0) out.c = Object.fromEntries([...node.children].map(([name, child]) => [name, skeletonOf(child)]));
  return out;
}

function treeOf(s: TreeSkeleton): RuleNode {
  const node = new RuleNode();
  (s.k ?? []).forEach((kind, i) => node.rules.push({ kind, rest: new Array(s.d?.[i] ?? 0) } as RuleEntry));
  for (const [name, child] of Object.entries(s.c ?? {})) node.children.set(name, treeOf(child));
  return node;
}

export interface DecideOptions {
  strictBuiltinErrors?: boolean;
  maxSteps?: number;
  print?: (message: string) => void;
}

export interface LoadedPolicy {
  /** The document at a path below `data` for an input. */
  decide(path: string[], input?: unknown, options?: DecideOptions): Value | undefined;
}

export function instantiate(factory: ProgramFactory, skeleton: TreeSkeleton, dataJson: string): LoadedPolicy {
  const builtins = new Map(defaultBuiltins().all().map((b) => [b.name, b]));
  const program = {
    rules: treeOf(skeleton),
    data: fromJSON(JSON.parse(dataJson)),
    nodes: new Map<string, NodeFn>(),
    functions: new Map<string, CompiledFn>(),
    builtins,
  };
  const rt = new Runtime(program);
  const module = factory(rt, builtins);
  for (const [k, v] of Object.entries(module.nodes)) program.nodes.set(k, v);
  for (const [k, v] of Object.entries(module.functions)) program.functions.set(k, v);
  return {
    decide(path, input, options = {}) {
      let memo: Map<string, unknown> | undefined;
      const query: QueryState = {
        steps: 0,
        maxSteps: options.maxSteps ?? Infinity,
        deadline: undefined,
        budgetMs: undefined,
        strict: options.strictBuiltinErrors === true,
        builtinCtx: {
          nowNs: BigInt(Date.now()) * 1_000_000n,
          print: options.print ?? (() => {}),
          get cache() {
            return (memo ??= new Map());
          },
        },
      };
      const ctx: Ctx = { input: input === undefined ? undefined : fromJSON(input), cache: [], over: null, mocks: null, query };
      return rt.dataAt(ctx, path);
    },
  };
}
