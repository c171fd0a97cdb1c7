/**
 * A fixed-size set of small integers (atoms of one request dimension), as 32-bit words. Request
 * classes are products of such sets, so intersecting and subtracting them must be cheap and allocate
 * little: a listener of 100 rules is partitioned with a few thousand of these operations.
 */
export class BitSet {
  private constructor(
    public readonly size: number,
    private readonly words: Uint32Array,
  ) {}

  /** The empty set over `size` elements. */
  public static empty(size: number): BitSet {
    return new BitSet(size, new Uint32Array(Math.ceil(size / 32)));
  }

  /** Every element of `size`. */
  public static full(size: number): BitSet {
    const set = BitSet.empty(size);
    for (let i = 0; i < size; i += 1) set.add(i);
    return set;
  }

  /** The set of the given elements. */
  public static of(size: number, elements: Iterable<number>): BitSet {
    const set = BitSet.empty(size);
    for (const e of elements) set.add(e);
    return set;
  }

  /** Adds an element (in place: only while building). */
  public add(element: number): void {
    this.words[element >>> 5] |= 1 << (element & 31);
  }

  public has(element: number): boolean {
    return (this.words[element >>> 5] & (1 << (element & 31))) !== 0;
  }

  public and(other: BitSet): BitSet {
    const out = new Uint32Array(this.words.length);
    for (let i = 0; i < out.length; i += 1) out[i] = this.words[i] & other.words[i];
    return new BitSet(this.size, out);
  }

  public or(other: BitSet): BitSet {
    const out = new Uint32Array(this.words.length);
    for (let i = 0; i < out.length; i += 1) out[i] = this.words[i] | other.words[i];
    return new BitSet(this.size, out);
  }

  public andNot(other: BitSet): BitSet {
    const out = new Uint32Array(this.words.length);
    for (let i = 0; i < out.length; i += 1) out[i] = this.words[i] & ~other.words[i];
    return new BitSet(this.size, out);
  }

  public isEmpty(): boolean {
    for (let i = 0; i < this.words.length; i += 1) if (this.words[i] !== 0) return false;
    return true;
  }

  /** True when this and `other` share an element. */
  public intersects(other: BitSet): boolean {
    for (let i = 0; i < this.words.length; i += 1) if ((this.words[i] & other.words[i]) !== 0) return true;
    return false;
  }

  /** True when every element of this is in `other`. */
  public isSubsetOf(other: BitSet): boolean {
    for (let i = 0; i < this.words.length; i += 1) if ((this.words[i] & ~other.words[i]) !== 0) return false;
    return true;
  }

  public equals(other: BitSet): boolean {
    for (let i = 0; i < this.words.length; i += 1) if (this.words[i] !== other.words[i]) return false;
    return true;
  }

  public count(): number {
    let n = 0;
    for (let i = 0; i < this.words.length; i += 1) {
      let w = this.words[i];
      while (w !== 0) {
        w &= w - 1;
        n += 1;
      }
    }
    return n;
  }

  /** The elements, ascending. */
  public elements(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.size; i += 1) if (this.has(i)) out.push(i);
    return out;
  }

  /** The lowest element, or -1. */
  public first(): number {
    for (let i = 0; i < this.words.length; i += 1) {
      const w = this.words[i];
      if (w !== 0) return i * 32 + (31 - Math.clz32(w & -w));
    }
    return -1;
  }

  /** A string equal for equal sets (map keys). */
  public key(): string {
    return Array.from(this.words, (w) => w.toString(36)).join('.');
  }
}
