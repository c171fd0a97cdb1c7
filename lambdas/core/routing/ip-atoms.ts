import { BitSet } from './bit-set';

/**
 * The classes of client addresses that a set of CIDR blocks tells apart (the `source-ip` condition).
 * Blocks are intervals of the IPv4 or IPv6 address space; cutting both spaces at every block's first
 * address and the address after its last gives elementary intervals, and every address of one interval
 * is in exactly the same blocks. Exact, and linear in the number of blocks.
 */

/** One class of addresses: the blocks that contain it, and an address of it. */
export interface IpAtom {
  readonly matches: BitSet;
  readonly example: string;
}

interface Interval {
  readonly v6: boolean;
  readonly first: bigint;
  readonly last: bigint;
}

const V4_BITS = 32n;
const V6_BITS = 128n;

function parseV4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(Number(p)), 0n);
}

function parseV6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  const all = [...head, ...Array<string>(Math.max(0, fill)).fill('0'), ...tail];
  if (all.length !== 8 || all.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return all.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** An address as text: dotted IPv4, or IPv6 in full hexadecimal groups. */
export function formatIp(value: bigint, v6: boolean): string {
  if (!v6) return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 255n)).join('.');
  const groups: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(((value >> s) & 0xffffn).toString(16));
  return groups.join(':');
}

/** A parsed address: its number and family; undefined when it is not an address. */
export function parseIp(text: string): { value: bigint; v6: boolean } | undefined {
  const v4 = parseV4(text);
  if (v4 !== undefined) return { value: v4, v6: false };
  const v6 = parseV6(text);
  return v6 === undefined ? undefined : { value: v6, v6: true };
}

/** A CIDR block as an interval; undefined when the text is not a block. */
export function parseCidr(text: string): Interval | undefined {
  const [address, bitsText] = text.trim().split('/');
  const ip = parseIp(address);
  if (ip === undefined) return undefined;
  const width = ip.v6 ? V6_BITS : V4_BITS;
  const bits = bitsText === undefined ? width : BigInt(Number(bitsText));
  if (bitsText !== undefined && (!/^\d+$/.test(bitsText) || bits > width)) return undefined;
  const hostBits = width - bits;
  const first = (ip.value >> hostBits) << hostBits;
  return { v6: ip.v6, first, last: first + (1n << hostBits) - 1n };
}

/** Whether an address is in a block (both as text); false for text that is neither. */
export function cidrContains(cidr: string, address: string): boolean {
  const block = parseCidr(cidr);
  const ip = parseIp(address);
  return block !== undefined && ip !== undefined && block.v6 === ip.v6 && ip.value >= block.first && ip.value <= block.last;
}

/** The atoms of `cidrs` (an unparsable block matches nothing, as ELB would refuse it). */
export function ipAtoms(cidrs: readonly string[]): IpAtom[] {
  const blocks = cidrs.map(parseCidr);
  const atoms = new Map<string, IpAtom>();
  for (const v6 of [false, true]) {
    const end = (1n << (v6 ? V6_BITS : V4_BITS)) - 1n;
    const cuts = new Set<bigint>([0n]);
    for (const b of blocks) {
      if (b === undefined || b.v6 !== v6) continue;
      cuts.add(b.first);
      if (b.last < end) cuts.add(b.last + 1n);
    }
    for (const start of [...cuts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
      const matches = BitSet.empty(cidrs.length);
      blocks.forEach((b, i) => {
        if (b !== undefined && b.v6 === v6 && start >= b.first && start <= b.last) matches.add(i);
      });
      // One example per distinct set of blocks: two intervals in the same blocks are one class.
      if (!atoms.has(matches.key())) atoms.set(matches.key(), { matches, example: formatIp(start, v6) });
    }
  }
  return [...atoms.values()];
}
