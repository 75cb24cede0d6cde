// Networking built-ins on IP addresses and CIDRs: net.cidr_contains, net.cidr_intersects, net.cidr_contains_matches,
// net.cidr_expand, net.cidr_merge, net.cidr_is_valid (and the deprecated net.cidr_overlap).
//
// Addresses follow Go's `net` package, which OPA uses: an IP is 4 or 16 bytes, IPv4 networks have 4-byte masks,
// IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) print and compare as IPv4. net.lookup_ip_addr (DNS) is not provided.
import { isObject, isSet, SetValue, sortedEntries, type Value } from "../value/value.js";
import { str } from "./args.js";
import { BuiltinError, OperandTypeError, type BuiltinRegistry } from "./registry.js";
import { any, arrayOf, boolean, objectOf, setOf, string, union } from "./types.js";

type IP = Uint8Array;

interface IPNet {
  ip: IP;
  mask: IP;
}

// ---------------------------------------------------------------------------------------------------------------
// Parsing (Go's net/netip rules: strict dotted quads without leading zeros, RFC 4291 IPv6 text, no zones)

function parseIPv4Into(s: string, out: IP, at: number): boolean {
  let val = 0;
  let digits = 0;
  let field = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (digits === 1 && val === 0) return false; // leading zero
      val = val * 10 + (c - 48);
      digits++;
      if (val > 255) return false;
    } else if (c === 46) {
      if (i === 0 || i === s.length - 1 || s[i - 1] === ".") return false;
      if (field === 3) return false;
      out[at + field++] = val;
      val = 0;
      digits = 0;
    } else {
      return false;
    }
  }
  if (field < 3) return false;
  out[at + 3] = val;
  return true;
}

function parseIPv6(s: string): IP | undefined {
  const ip = new Uint8Array(16);
  let ellipsis = -1;
  let i = 0;
  if (s.startsWith("::")) {
    ellipsis = 0;
    s = s.slice(2);
    if (s === "") return ip;
  }
  while (i < 16) {
    let off = 0;
    let acc = 0;
    for (; off < s.length; off++) {
      const ch = s[off]!;
      if (!/^[0-9a-fA-F]$/.test(ch)) break;
      if (off > 3) return undefined; // more than four hex digits
      acc = acc * 16 + parseInt(ch, 16);
    }
    if (off === 0) return undefined;
    if (off < s.length && s[off] === ".") {
      if (ellipsis < 0 && i !== 12) return undefined;
      if (i + 4 > 16) return undefined;
      if (!parseIPv4Into(s, ip, i)) return undefined;
      i += 4;
      s = "";
      break;
    }
    ip[i] = acc >> 8;
    ip[i + 1] = acc & 0xff;
    i += 2;
    s = s.slice(off);
    if (s === "") break;
    if (s[0] !== ":" || s.length === 1) return undefined;
    s = s.slice(1);
    if (s[0] === ":") {
      if (ellipsis >= 0) return undefined;
      ellipsis = i;
      s = s.slice(1);
      if (s === "") break;
    }
  }
  if (s !== "") return undefined;
  if (i < 16) {
    if (ellipsis < 0) return undefined;
    const n = 16 - i;
    for (let j = i - 1; j >= ellipsis; j--) ip[j + n] = ip[j]!;
    ip.fill(0, ellipsis, ellipsis + n);
  } else if (ellipsis >= 0) {
    return undefined; // "::" must stand for at least one group of zeros
  }
  return ip;
}

const V4_IN_V6_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

/** An address as 16 bytes and its bit length (32 for dotted quads, 128 otherwise). Zones are refused. */
function parseAddr(s: string): { ip16: IP; bits: number } | undefined {
  for (const c of s) {
    if (c === ".") {
      const ip16 = Uint8Array.from([...V4_IN_V6_PREFIX, 0, 0, 0, 0]);
      return parseIPv4Into(s, ip16, 12) ? { ip16, bits: 32 } : undefined;
    }
    if (c === ":") {
      const ip16 = parseIPv6(s);
      return ip16 && { ip16, bits: 128 };
    }
    if (c === "%") return undefined;
  }
  return undefined;
}

/** Go's net.ParseIP: 16 bytes, or undefined. */
export function parseIP(s: string): IP | undefined {
  return parseAddr(s)?.ip16;
}

function cidrMask(ones: number, bits: number): IP {
  const m = new Uint8Array(bits / 8);
  for (let i = 0; i < m.length; i++) {
    const n = Math.max(0, Math.min(8, ones - i * 8));
    m[i] = (0xff << (8 - n)) & 0xff;
  }
  return m;
}

/** Go's net.ParseCIDR: the address and its network, or an error ("invalid CIDR address: ..."). */
export function parseCIDR(s: string): { ip: IP; net: IPNet } {
  const slash = s.indexOf("/");
  const bad = (): BuiltinError => new BuiltinError(`invalid CIDR address: ${s}`);
  if (slash < 0) throw bad();
  const addr = parseAddr(s.slice(0, slash));
  const maskText = s.slice(slash + 1);
  if (addr === undefined || !/^\d+$/.test(maskText)) throw bad();
  const ones = maskText.length > 8 ? Infinity : Number(maskText);
  if (ones > addr.bits) throw bad();
  const mask = cidrMask(ones, addr.bits);
  return { ip: addr.ip16, net: { ip: maskIP(addr.ip16, mask)!, mask } };
}

// ---------------------------------------------------------------------------------------------------------------
// Go's net.IP / net.IPNet behaviour

function to4(ip: IP): IP | undefined {
  if (ip.length === 4) return ip;
  if (ip.length === 16 && V4_IN_V6_PREFIX.every((b, i) => ip[i] === b)) return ip.subarray(12);
  return undefined;
}

function maskIP(ip: IP, mask: IP): IP | undefined {
  if (mask.length === 16 && ip.length === 4 && mask.subarray(0, 12).every((b) => b === 0xff)) mask = mask.subarray(12);
  if (mask.length === 4 && ip.length === 16 && V4_IN_V6_PREFIX.every((b, i) => ip[i] === b)) ip = ip.subarray(12);
  if (ip.length !== mask.length) return undefined;
  return ip.map((b, i) => b & mask[i]!);
}

function networkNumberAndMask(n: IPNet): [IP, IP] | undefined {
  let ip = to4(n.ip);
  if (ip === undefined) {
    ip = n.ip;
    if (ip.length !== 16) return undefined;
  }
  let m = n.mask;
  if (m.length === 4) {
    if (ip.length !== 4) return undefined;
  } else if (m.length === 16) {
    if (ip.length === 4) m = m.subarray(12);
  } else {
    return undefined;
  }
  return [ip, m];
}

function contains(n: IPNet, ip: IP): boolean {
  const nm = networkNumberAndMask(n);
  if (nm === undefined) return false;
  const [nn, m] = nm;
  const x = to4(ip) ?? ip;
  if (x.length !== nn.length) return false;
  for (let i = 0; i < x.length; i++) if ((nn[i]! & m[i]!) !== (x[i]! & m[i]!)) return false;
  return true;
}

/** The prefix length of a canonical mask, or -1. */
function maskLength(m: IP): number {
  let n = 0;
  let i = 0;
  for (; i < m.length && m[i] === 0xff; i++) n += 8;
  if (i < m.length) {
    let b = m[i]!;
    while (b & 0x80) {
      n++;
      b = (b << 1) & 0xff;
    }
    if (b !== 0) return -1;
    for (i++; i < m.length; i++) if (m[i] !== 0) return -1;
  }
  return n;
}

function formatIPv6(ip: IP): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((ip[i]! << 8) | ip[i + 1]!);
  // the longest run of at least two zero groups (the first of equal runs) becomes "::"
  let zeroStart = -1;
  let zeroLen = 0;
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i >= 2 && j - i > zeroLen) {
      zeroStart = i;
      zeroLen = j - i;
    }
  }
  let out = "";
  for (let i = 0; i < 8; i++) {
    if (i === zeroStart) {
      out += "::";
      i += zeroLen - 1;
      continue;
    }
    if (i > 0 && !out.endsWith(":")) out += ":";
    out += groups[i]!.toString(16);
  }
  return out;
}

/** Go's net.IP.String. */
export function ipString(ip: IP): string {
  if (ip.length === 0) return "<nil>";
  if (ip.length !== 4 && ip.length !== 16) return "?" + Buffer.from(ip).toString("hex");
  const v4 = to4(ip);
  if (v4 !== undefined) return [...v4].join(".");
  return formatIPv6(ip);
}

/** Go's net.IPNet.String. */
function netString(n: IPNet): string {
  const nm = networkNumberAndMask(n);
  if (nm === undefined) return "<nil>";
  const [nn, m] = nm;
  const l = maskLength(m);
  if (l === -1) return ipString(nn) + "/" + Buffer.from(m).toString("hex");
  return ipString(nn) + "/" + l;
}

const bytesToBig = (b: IP): bigint => b.reduce((acc, x) => (acc << 8n) | BigInt(x), 0n);

function bigToBytes(n: bigint, len: number): IP {
  const out = new Uint8Array(len);
  for (let i = len - 1; i >= 0; i--) {
    out[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return out;
}

/** The last address of a network, in the network's own byte length. */
function lastIP(n: IPNet): IP {
  const ones = maskLength(n.mask);
  const bits = n.mask.length * 8;
  if (ones === -1) throw new BuiltinError("CIDR mask is in non-standard format");
  if (ones === bits) return n.ip;
  const host = (1n << BigInt(bits - ones)) - 1n;
  return bigToBytes(bytesToBig(n.ip) | host, bits / 8);
}

// ---------------------------------------------------------------------------------------------------------------
// The built-ins

function netOperand(v: Value | undefined, position: number): IPNet {
  if (typeof v !== "string") throw new OperandTypeError(position, "string", v);
  return parseCIDR(v).net;
}

function cidrContains(a: Value | undefined, b: Value | undefined): boolean {
  const net = netOperand(a, 1);
  // OPA reports the second operand's type as operand 1 too
  if (typeof b !== "string") throw new OperandTypeError(1, "string", b);
  const ip = parseIP(b);
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
