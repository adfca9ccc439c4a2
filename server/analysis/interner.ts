/**
 * String interning for one analysis: each distinct string gets a small integer id, found straight from a
 * range of the source text (no string is built for a range already seen). Tokenizers use it so that a word
 * repeated across a transcript is allocated and looked up in the models once, not once per occurrence.
 */
/** FNV-1a over UTF-16 code units. */
export const INTERNER_HASH_SEED = 0x811c9dc5 | 0;
export const INTERNER_HASH_PRIME = 0x01000193;

export class Interner {
  /** Open addressing: id + 1 per slot, 0 when empty. */
  private slots = new Int32Array(1024);
  private hashes = new Int32Array(512);
  /** The string of each id. */
  readonly strings: string[] = [];

  get size(): number {
    return this.strings.length;
  }

  /** The id of src.slice(start, end), added when new. */
  idOf(src: string, start: number, end: number): number {
    let h = INTERNER_HASH_SEED;
    for (let i = start; i < end; i++) h = Math.imul(h ^ src.charCodeAt(i), INTERNER_HASH_PRIME);
    return this.idOfHashed(src, start, end, h);
  }

  /**
   * idOf(src, start, end) when the caller has already hashed the range (h = INTERNER_HASH_SEED, then
   * h = Math.imul(h ^ charCode, INTERNER_HASH_PRIME) for each code unit), e.g. while scanning for its end.
   */
  idOfHashed(src: string, start: number, end: number, h: number): number {
    const len = end - start;
    const { slots, hashes, strings } = this;
    const mask = slots.length - 1;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const v = slots[s]!;
      if (v === 0) {
        const id = strings.length;
        strings.push(src.slice(start, end));
        if (id >= hashes.length) {
          const grown = new Int32Array(hashes.length * 2);
          grown.set(hashes);
          this.hashes = grown;
        }
        this.hashes[id] = h;
        slots[s] = id + 1;
        // Keep the load at most one half.
        if (strings.length * 2 > slots.length) this.rehash();
        return id;
      }
      const id = v - 1;
      if (hashes[id] !== h) continue;
      const w = strings[id]!;
      if (w.length === len && src.startsWith(w, start)) return id;
    }
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let id = 0; id < this.strings.length; id++) {
      let s = this.hashes[id]! & mask;
      while (slots[s] !== 0) s = (s + 1) & mask;
      slots[s] = id + 1;
    }
    this.slots = slots;
  }
}
