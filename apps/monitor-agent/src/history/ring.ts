/** A fixed-capacity FIFO: pushing onto a full ring overwrites the oldest entry, so memory stays flat. */
export class Ring<T> {
  private readonly items: (T | undefined)[];
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
    this.items = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  push(item: T): void {
    if (this.count < this.capacity) {
      this.items[(this.start + this.count) % this.capacity] = item;
      this.count += 1;
    } else {
      this.items[this.start] = item;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  /** The newest entry, if any. */
  last(): T | undefined {
    return this.count === 0 ? undefined : this.items[(this.start + this.count - 1) % this.capacity];
  }

  /** Oldest first; only the newest `limit` entries when given. */
  toArray(limit = this.count): T[] {
    const n = Math.max(0, Math.min(limit, this.count));
    const out: T[] = new Array(n);
    for (let i = 0; i < n; i++) {
      out[i] = this.items[(this.start + this.count - n + i) % this.capacity] as T;
    }
    return out;
  }
}
