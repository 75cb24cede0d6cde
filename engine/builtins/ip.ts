// IP addresses and networks as Go's `net` package has them: an IP is 4 or 16 bytes, IPv4 networks have 4-byte masks,
// IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) print and compare as IPv4.
import { BuiltinError } from "./registry.js";

export type IP = Uint8Array;

export interface IPNet {
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

export const V4_IN_V6_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

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

export function cidrMask(ones: number, bits: number): IP {
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

export function to4(ip: IP): IP | undefined {
  if (ip.length === 4) return ip;
  if (ip.length === 16 && V4_IN_V6_PREFIX.every((b, i) => ip[i] === b)) return ip.subarray(12);
  return undefined;
}

export function maskIP(ip: IP, mask: IP): IP | undefined {
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

export function contains(n: IPNet, ip: IP): boolean {
  const nm = networkNumberAndMask(n);
  if (nm === undefined) return false;
  const [nn, m] = nm;
  const x = to4(ip) ?? ip;
  if (x.length !== nn.length) return false;
  for (let i = 0; i < x.length; i++) if ((nn[i]! & m[i]!) !== (x[i]! & m[i]!)) return false;
  return true;
}

/** The prefix length of a canonical mask, or -1. */
export function maskLength(m: IP): number {
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
export function netString(n: IPNet): string {
  const nm = networkNumberAndMask(n);
  if (nm === undefined) return "<nil>";
  const [nn, m] = nm;
  const l = maskLength(m);
  if (l === -1) return ipString(nn) + "/" + Buffer.from(m).toString("hex");
  return ipString(nn) + "/" + l;
}

export const bytesToBig = (b: IP): bigint => b.reduce((acc, x) => (acc << 8n) | BigInt(x), 0n);

export function bigToBytes(n: bigint, len: number): IP {
  const out = new Uint8Array(len);
  for (let i = len - 1; i >= 0; i--) {
    out[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return out;
}

/** The last address of a network, in the network's own byte length. */
export function lastIP(n: IPNet): IP {
  const ones = maskLength(n.mask);
  const bits = n.mask.length * 8;
  if (ones === -1) throw new BuiltinError("CIDR mask is in non-standard format");
  if (ones === bits) return n.ip;
  const host = (1n << BigInt(bits - ones)) - 1n;
  return bigToBytes(bytesToBig(n.ip) | host, bits / 8);
}
