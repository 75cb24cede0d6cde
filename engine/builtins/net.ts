// Networking built-ins on IP addresses and CIDRs: net.cidr_contains, net.cidr_intersects, net.cidr_contains_matches,
// net.cidr_expand, net.cidr_merge, net.cidr_is_valid (and the deprecated net.cidr_overlap).
//
// Addresses follow Go's `net` package, which OPA uses (ip.ts). net.lookup_ip_addr (DNS) is not provided.
import { isObject, isSet, SetValue, sortedEntries, type Value } from "../value/value.js";
import { str } from "./args.js";
import { BuiltinError, OperandTypeError, type BuiltinRegistry } from "./registry.js";
import { any, arrayOf, boolean, objectOf, setOf, string, union } from "./types.js";
import {
  bigToBytes,
  bytesToBig,
  cidrMask,
  contains,
  ipString,
  lastIP,
  maskIP,
  maskLength,
  netString,
  parseCIDR,
  parseIP,
  to4,
  V4_IN_V6_PREFIX,
  type IPNet,
} from "./ip.js";

// ---------------------------------------------------------------------------------------------------------------
// The built-ins

// Parsed networks and addresses, by their text: policies name the same CIDRs on every decision. Bounded; the
// parsed values are never changed by their users.
const NETS = new Map<string, IPNet>();
const IPS = new Map<string, ReturnType<typeof parseIP>>();
const MEMO_LIMIT = 4096;

function memo<T>(map: Map<string, T>, key: string, make: () => T): T {
  const hit = map.get(key);
  if (hit !== undefined || map.has(key)) return hit as T;
  const v = make();
  if (map.size >= MEMO_LIMIT) map.clear();
  map.set(key, v);
  return v;
}

function netOperand(v: Value | undefined, position: number): IPNet {
  if (typeof v !== "string") throw new OperandTypeError(position, "string", v);
  return memo(NETS, v, () => parseCIDR(v).net);
}

function cidrContains(a: Value | undefined, b: Value | undefined): boolean {
  const net = netOperand(a, 1);
  // OPA reports the second operand's type as operand 1 too
  if (typeof b !== "string") throw new OperandTypeError(1, "string", b);
  const ip = memo(IPS, b, () => parseIP(b));
  if (ip !== undefined) return contains(net, ip);
  let inner: IPNet;
  try {
    inner = parseCIDR(b).net;
  } catch {
    throw new BuiltinError(`not a valid textual representation of an IP address or CIDR: ${b}`);
  }
  return contains(net, inner.ip) && contains(net, lastIP(inner));
}

function cidrIntersects(a: Value | undefined, b: Value | undefined): boolean {
  const x = netOperand(a, 1);
  const y = netOperand(b, 1);
  return contains(x, y.ip) || contains(y, x.ip);
}

/** Members of a cidr_contains_matches operand as [cidr, key] pairs. */
function matchOperand(v: Value | undefined, position: number): [Value, Value][] {
  const element = (x: Value): Value => {
    if (typeof x === "string") return x;
    if (Array.isArray(x) && x.length > 0) return x[0]!;
    throw new BuiltinError(`operand ${position}: element must be string or non-empty array`);
  };
  if (typeof v === "string") return [[v, v]];
  if (Array.isArray(v)) return v.map((x, i) => [element(x), i]);
  if (isSet(v)) return v.sorted().map((x) => [element(x), x]);
  if (isObject(v)) return sortedEntries(v).map(([k, x]) => [element(x), k]);
  return [];
}

function cidrContainsMatches(a: Value | undefined, b: Value | undefined): SetValue {
  const out = new SetValue();
  const outer = matchOperand(a, 1);
  for (const [cidr1, key1] of outer) {
    for (const [cidr2, key2] of matchOperand(b, 2)) {
      if (cidrContains(cidr1, cidr2)) out.add([key1, key2]);
    }
  }
  return out;
}

/** At most this many addresses from net.cidr_expand (OPA expands until the query is cancelled). */
const MAX_EXPAND = 1 << 20;

function cidrExpand(s: string): SetValue {
  const { ip, net } = parseCIDR(s);
  const cur = Uint8Array.from(maskIP(ip, net.mask)!);
  const out = new SetValue();
  let count = 0;
  while (contains(net, cur)) {
    if (++count > MAX_EXPAND) throw new BuiltinError(`too many addresses to expand (more than ${MAX_EXPAND})`);
    out.add(ipString(cur));
    for (let j = cur.length - 1; j >= 0; j--) {
      cur[j] = (cur[j]! + 1) & 0xff;
      if (cur[j] !== 0) break;
    }
  }
  return out;
}

// net.cidr_merge works on 128-bit integers, IPv4 addresses mapped to ::ffff:a.b.c.d as Go's merge code does.

const V4_BASE = 0xffffn << 32n;
const V4_LAST = V4_BASE | 0xffffffffn;

interface Range {
  first: bigint;
  last: bigint;
  /** The network as given, while not merged with another. */
  net: IPNet | undefined;
}

function rangeOf(n: IPNet): Range {
  const first = maskIP(n.ip, n.mask) ?? n.ip;
  const f16 = first.length === 4 ? Uint8Array.from([...V4_IN_V6_PREFIX, ...first]) : first;
  const hostBits = BigInt(n.mask.length * 8 - Math.max(0, maskLength(n.mask)));
  const start = bytesToBig(f16);
  return { first: start, last: start | ((1n << hostBits) - 1n), net: n };
}

function mergeOperand(v: Value | undefined): IPNet[] {
  let items: Value[];
  if (Array.isArray(v)) items = v;
  else if (isSet(v)) items = v.sorted();
  else throw new BuiltinError("operand must be an array");
  return items.map((x) => {
    if (typeof x !== "string") throw new BuiltinError("element must be string");
    const ip = parseIP(x);
    if (ip === undefined) return parseCIDR(x).net;
    const v4 = to4(ip);
    if (v4 === undefined) throw new BuiltinError("IPv6 invalid: needs prefix length");
    // a bare IPv4 address stands for its classful network (class A /8, B /16, C /24), as Go's DefaultMask
    const ones = v4[0]! < 0x80 ? 8 : v4[0]! < 0xc0 ? 16 : 24;
    return { ip, mask: cidrMask(ones, 32) };
  });
}

/** The fewest CIDRs covering [first, last] exactly. */
function rangeToNets(first: bigint, last: bigint): IPNet[] {
  const v4 = first >= V4_BASE && last <= V4_LAST;
  const bits = v4 ? 32 : 128;
  const base = v4 ? V4_BASE : 0n;
  const out: IPNet[] = [];
  let cur = first - base;
  const end = last - base;
  while (cur <= end) {
    let size = 0;
    while (size < bits && ((cur >> BigInt(size)) & 1n) === 0n && cur + (1n << BigInt(size + 1)) - 1n <= end) size++;
    out.push({ ip: bigToBytes(cur + base, 16), mask: cidrMask(bits - size, bits) });
    cur += 1n << BigInt(size);
  }
  return out;
}

function cidrMerge(v: Value | undefined): SetValue {
  const ranges = mergeOperand(v).map(rangeOf);
  ranges.sort((a, b) => (a.last !== b.last ? (a.last < b.last ? -1 : 1) : a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  for (let i = ranges.length - 1; i > 0; i--) {
    const cur = ranges[i]!;
    const prev = ranges[i - 1]!;
    const before = cur.first === 0n || cur.first === V4_BASE ? cur.first : cur.first - 1n;
    if (before <= prev.last) {
      ranges[i - 1] = { first: prev.first < cur.first ? prev.first : cur.first, last: cur.last, net: undefined };
      ranges.splice(i, 1);
    }
  }
  const out = new SetValue();
  for (const r of ranges) {
    if (r.net !== undefined) out.add(netString(r.net));
    else for (const n of rangeToNets(r.first, r.last)) out.add(netString(n));
  }
  return out;
}

function cidrIsValid(v: Value | undefined): boolean {
  if (typeof v !== "string") return false;
  try {
    parseCIDR(v);
    return true;
  } catch {
    return false;
  }
}

const cidrOrIps = union(string, arrayOf(union(string, arrayOf(any))), setOf(union(string, arrayOf(any))), objectOf(string, union(string, arrayOf(any))));

export function register(r: BuiltinRegistry): void {
  r.register({
    name: "net.cidr_contains",
    args: [
      { name: "cidr", type: string, description: "CIDR to check against" },
      { name: "cidr_or_ip", type: string, description: "CIDR or IP to check" },
    ],
    result: { name: "result", type: boolean, description: "`true` if `cidr_or_ip` is contained within `cidr`" },
    description:
      "Checks if a CIDR or IP is contained within another CIDR. `output` is `true` if `cidr_or_ip` (e.g. " +
      "`127.0.0.64/26` or `127.0.0.1`) is contained within `cidr` (e.g. `127.0.0.1/24`) and `false` otherwise. " +
      "Supports both IPv4 and IPv6 notations.",
    categories: ["net"],
    impl: (args) => cidrContains(args[0], args[1]),
  });
  r.register({
    name: "net.cidr_overlap",
    args: [
      { name: "cidr", type: string },
      { name: "cidr_or_ip", type: string },
    ],
    result: { name: "result", type: boolean },
    description: "Deprecated: use `net.cidr_contains`.",
    categories: ["net"],
    deprecated: true,
    impl: (args) => cidrContains(args[0], args[1]),
  });
  r.register({
    name: "net.cidr_intersects",
    args: [
      { name: "cidr1", type: string, description: "first CIDR" },
      { name: "cidr2", type: string, description: "second CIDR" },
    ],
    result: { name: "result", type: boolean, description: "`true` if `cidr1` intersects with `cidr2`" },
    description:
      "Checks if a CIDR intersects with another CIDR (e.g. `192.168.0.0/16` overlaps with `192.168.1.0/24`). " +
      "Supports both IPv4 and IPv6 notations.",
    categories: ["net"],
    impl: (args) => cidrIntersects(args[0], args[1]),
  });
  r.register({
    name: "net.cidr_contains_matches",
    args: [
      { name: "cidrs", type: cidrOrIps, description: "CIDRs to check against" },
      { name: "cidrs_or_ips", type: cidrOrIps, description: "CIDRs or IPs to check" },
    ],
    result: {
      name: "output",
      type: setOf(arrayOf(any)),
      description: "tuples identifying matches where `cidrs_or_ips` are contained within `cidrs`",
    },
    description:
      "Checks if collections of cidrs or ips are contained within another collection of cidrs and returns matches. " +
      "This function is similar to `net.cidr_contains` except it allows callers to pass collections of CIDRs or IPs " +
      "as arguments and returns the matches (as opposed to a boolean result indicating a match between two CIDRs/IPs).",
    categories: ["net"],
    impl: (args) => cidrContainsMatches(args[0], args[1]),
  });
  r.register({
    name: "net.cidr_expand",
    args: [{ name: "cidr", type: string, description: "CIDR to expand" }],
    result: { name: "hosts", type: setOf(string), description: "set of IP addresses the CIDR `cidr` expands to" },
    description:
      'Expands CIDR to set of hosts  (e.g., `net.cidr_expand("192.168.0.0/30")` generates 4 hosts: ' +
      '`{"192.168.0.0", "192.168.0.1", "192.168.0.2", "192.168.0.3"}`).',
    categories: ["net"],
    impl: (args) => cidrExpand(str(args, 0)),
  });
  r.register({
    name: "net.cidr_merge",
    args: [{ name: "addrs", type: union(arrayOf(string), setOf(string)), description: "CIDRs or IP addresses" }],
    result: {
      name: "output",
      type: setOf(string),
      description:
        "smallest possible set of CIDRs obtained after merging the provided list of IP addresses and subnets in `addrs`",
    },
    description:
      'Merges IP addresses and subnets into the smallest possible list of CIDRs (e.g., `net.cidr_merge(["192.0.128.0/24", ' +
      '"192.0.129.0/24"])` generates `{"192.0.128.0/23"}`. This function merges adjacent subnets where possible, ' +
      "those contained within others and also removes any duplicates. Supports both IPv4 and IPv6 notations. IPv6 " +
      'inputs need a prefix length (e.g. "/128").',
    categories: ["net"],
    impl: (args) => cidrMerge(args[0]),
  });
  r.register({
    name: "net.cidr_is_valid",
    args: [{ name: "cidr", type: string, description: "CIDR to validate" }],
    result: { name: "result", type: boolean, description: "`true` if `cidr` is a valid CIDR" },
    description: "Parses an IPv4/IPv6 CIDR and returns a boolean indicating if the provided CIDR is valid.",
    categories: ["net"],
    impl: (args) => cidrIsValid(args[0]),
  });
}
