import { describe, expect, it } from "vitest";
import { SetValue, type Value } from "../value/value.js";
import { register } from "./net.js";
import { BuiltinRegistry, type BuiltinContext } from "./registry.js";

const registry = new BuiltinRegistry();
register(registry);
const ctx: BuiltinContext = { nowNs: 0n, print: () => {}, cache: new Map() };
const call = (name: string, ...args: Value[]): Value | undefined => registry.get(name)!.impl(args, ctx);
const members = (v: Value | undefined): Value[] => {
  expect(v).toBeInstanceOf(SetValue);
  return (v as SetValue).sorted();
};
const merge = (...xs: string[]): Value[] => members(call("net.cidr_merge", xs));

describe("net.cidr_contains", () => {
  it.each([
    ["10.0.0.0/8", "10.1.2.3", true],
    ["10.0.0.0/8", "11.1.2.3", false],
    ["10.0.0.0/8", "10.1.0.0/16", true],
    ["10.0.0.0/8", "10.0.0.0/8", true],
    ["10.0.0.0/16", "10.0.0.0/8", false],
    ["10.0.0.0/8", "11.1.0.0/16", false],
    ["127.0.0.1/24", "127.0.0.64/26", true],
    ["127.0.0.1/24", "127.0.0.1", true],
    ["2001:db8::/32", "2001:db8:1::1", true],
    ["2001:db8::/32", "2001:db9::1", false],
    ["2001:db8::/32", "2001:db8:1::/48", true],
    ["2001:db8::/32", "10.0.0.1", false],
    ["10.0.0.0/8", "::1", false],
    ["1.2.3.0/24", "::ffff:1.2.3.4", true],
    ["0.0.0.0/0", "255.255.255.255", true],
  ])("%s contains %s: %s", (cidr, x, want) => {
    expect(call("net.cidr_contains", cidr, x)).toBe(want);
  });

  it("fails on bad operands", () => {
    expect(() => call("net.cidr_contains", "x", "1.2.3.4")).toThrow("invalid CIDR address: x");
    expect(() => call("net.cidr_contains", "10.0.0.0/8", "x")).toThrow(
      "not a valid textual representation of an IP address or CIDR: x",
    );
    expect(() => call("net.cidr_contains", 1, "1.2.3.4")).toThrow("operand 1 must be string but got number");
    expect(() => call("net.cidr_contains", "10.0.0.0/8", "010.0.0.1")).toThrow("not a valid textual representation");
  });
});

describe("net.cidr_intersects", () => {
  it.each([
    ["192.168.0.0/16", "192.168.1.0/24", true],
    ["192.168.1.0/24", "192.168.0.0/16", true],
    ["192.168.0.0/16", "10.0.0.0/8", false],
    ["fd1e:5bfe:8af3:9ddc::/64", "fd1e:5bfe:8af3:9ddc:1::/80", true],
    ["fd1e:5bfe:8af3:9ddc::/64", "fd1e:5bfe:8af3:9ddd::/64", false],
  ])("%s and %s: %s", (a, b, want) => {
    expect(call("net.cidr_intersects", a, b)).toBe(want);
  });

  it("fails on an invalid CIDR", () => {
    expect(() => call("net.cidr_intersects", "192.168.0.0/16", "192.168.1.1")).toThrow("invalid CIDR address: 192.168.1.1");
  });
});

describe("net.cidr_is_valid", () => {
  it.each([
    ["10.0.0.0/8", true],
    ["10.0.0.1/32", true],
    ["10.0.0.0/08", true],
    ["::/0", true],
    ["2001:db8::/129", false],
    ["10.0.0.0/33", false],
    ["10.0.0.0", false],
    ["010.0.0.0/8", false],
    ["256.0.0.0/8", false],
    ["10.0.0/8", false],
    ["fe80::1%eth0/64", false],
    ["1:2:3:4:5:6:7:8:9/64", false],
    ["1::2::3/64", false],
    ["::ffff:1.2.3.4/120", true],
    ["10.0.0.0/-1", false],
  ])("%s: %s", (cidr, want) => {
    expect(call("net.cidr_is_valid", cidr)).toBe(want);
  });

  it("is false for non-strings", () => {
    expect(call("net.cidr_is_valid", 5)).toBe(false);
  });
});

describe("net.cidr_expand", () => {
  it("lists the addresses of a network", () => {
    expect(members(call("net.cidr_expand", "192.168.0.0/30"))).toEqual([
      "192.168.0.0",
      "192.168.0.1",
      "192.168.0.2",
      "192.168.0.3",
    ]);
    expect(members(call("net.cidr_expand", "192.168.0.5/31"))).toEqual(["192.168.0.4", "192.168.0.5"]);
    expect(members(call("net.cidr_expand", "255.255.255.254/31"))).toEqual(["255.255.255.254", "255.255.255.255"]);
    expect(members(call("net.cidr_expand", "1.2.3.4/32"))).toEqual(["1.2.3.4"]);
    expect(members(call("net.cidr_expand", "fd1e:5bfe:8af3:9ddc::/126"))).toEqual([
      "fd1e:5bfe:8af3:9ddc::",
      "fd1e:5bfe:8af3:9ddc::1",
      "fd1e:5bfe:8af3:9ddc::2",
      "fd1e:5bfe:8af3:9ddc::3",
    ]);
  });

  it("fails on an invalid CIDR", () => {
    expect(() => call("net.cidr_expand", "192.168.0.0")).toThrow("invalid CIDR address: 192.168.0.0");
  });
});

describe("net.cidr_merge", () => {
  it.each([
    [["192.0.128.0/24"], ["192.0.128.0/24"]],
    [["192.0.128.0/24", "192.0.128.0/24"], ["192.0.128.0/24"]],
    [["192.0.128.0/24", "0.0.0.0/0"], ["0.0.0.0/0"]],
    [["192.0.128.0/24", "192.0.129.0/24"], ["192.0.128.0/23"]],
    [["192.0.2.112/30", "192.0.2.116/31", "192.0.2.118/31"], ["192.0.2.112/29"]],
    [["192.0.129.0/24", "192.0.130.0/24"], ["192.0.129.0/24", "192.0.130.0/24"]],
    [["192.0.2.112/30", "192.0.2.116/32", "192.0.2.118/31"], ["192.0.2.112/30", "192.0.2.116/32", "192.0.2.118/31"]],
    [["192.0.2.112/31", "192.0.2.116/31", "192.0.2.118/31"], ["192.0.2.112/31", "192.0.2.116/30"]],
    [["::/0", "fe80::1/128"], ["::/0"]],
    [["::/0", "::192.0.2.0/124", "ff00::101/128"], ["::/0"]],
    [
      ["fe80::/120", "192.0.2.0/24", "192.0.3.0/24", "192.0.4.0/25", "192.0.4.128/25"],
      ["192.0.2.0/23", "192.0.4.0/24", "fe80::/120"],
    ],
    [[], []],
    [["192.0.2.112", "192.0.2.116/31", "192.0.2.118/31"], ["192.0.2.0/24"]],
    [["192.0.128.0", "192.0.129.0"], ["192.0.128.0/23"]],
    [["2601:600:8a80:207e:a57d:7567:e2c9:e7b3/128"], ["2601:600:8a80:207e:a57d:7567:e2c9:e7b3/128"]],
    [
      ["2601:600:8a80:207e:a57d:7567:e2c9:e7b3/64", "2601:600:8a80:207e:a57d:7567:e2c9:e7b3/128"],
      ["2601:600:8a80:207e::/64"],
    ],
    [
      ["10.0.0.1/32", "10.0.0.2/32", "10.0.0.3/32", "10.0.0.4/32", "10.0.0.5/32", "10.0.0.6/32"],
      ["10.0.0.1/32", "10.0.0.2/31", "10.0.0.4/31", "10.0.0.6/32"],
    ],
  ])("%j", (input, want) => {
    expect(merge(...input)).toEqual(want);
  });

  it("merges the example of OPA's documentation", () => {
    const input = ["192.0.1.254/31"];
    for (let i = 0; i < 256; i += 16) input.push(`192.0.2.${i}/28`);
    input.push("192.0.3.0/28");
    expect(merge(...input)).toEqual(["192.0.1.254/31", "192.0.2.0/24", "192.0.3.0/28"]);
  });

  it("takes a set", () => {
    const set = new SetValue(["192.0.2.112/30", "192.0.2.116/31", "192.0.2.118/31"]);
    expect(members(call("net.cidr_merge", set))).toEqual(["192.0.2.112/29"]);
  });

  it("gives a lone IPv4 address its classful network, as OPA does", () => {
    expect(merge("10.0.0.1", "10.0.0.6")).toEqual(["10.0.0.0/8"]);
  });

  it("fails on bad elements", () => {
    expect(() => merge("foo")).toThrow("invalid CIDR address: foo");
    expect(() => merge("2601:600:8a80:207e:a57d:7567:e2c9:e7b3")).toThrow("IPv6 invalid: needs prefix length");
    expect(() => call("net.cidr_merge", [1])).toThrow("element must be string");
    expect(() => call("net.cidr_merge", "10.0.0.0/8")).toThrow("operand must be an array");
  });
});

describe("net.cidr_contains_matches", () => {
  const matches = (a: Value, b: Value): Value[] => members(call("net.cidr_contains_matches", a, b));

  it("matches strings, arrays, sets and objects", () => {
    expect(matches("1.1.1.0/24", "1.1.1.128")).toEqual([["1.1.1.0/24", "1.1.1.128"]]);
    expect(matches(["1.1.1.0/24", "1.1.2.0/24"], "1.1.1.128")).toEqual([[0, "1.1.1.128"]]);
    expect(matches(["1.1.1.0/24", ["1.1.2.0/24", "extra"]], ["1.1.2.3", "1.1.1.1"])).toEqual([
      [0, 1],
      [1, 0],
    ]);
    expect(matches({ a: "1.1.1.0/24", b: ["1.1.2.0/24", 7] }, new SetValue(["1.1.1.1", ["1.1.2.3", "x"]]))).toEqual([
      ["a", "1.1.1.1"],
      ["b", ["1.1.2.3", "x"]],
    ]);
    expect(matches(["1.1.1.0/24"], ["2.2.2.2"])).toEqual([]);
  });

  it("fails on bad elements", () => {
    expect(() => matches([1], "1.1.1.1")).toThrow("operand 1: element must be string or non-empty array");
    expect(() => matches(["1.1.1.0/24"], [[]])).toThrow("operand 2: element must be string or non-empty array");
    expect(() => matches(["x"], "1.1.1.1")).toThrow("invalid CIDR address: x");
  });
});
