import { Ring } from './ring';

describe('Ring', () => {
  it('keeps entries oldest first until full', () => {
    const ring = new Ring<number>(3);
    expect(ring.toArray()).toEqual([]);
    expect(ring.last()).toBeUndefined();
    ring.push(1);
    ring.push(2);
    expect(ring.toArray()).toEqual([1, 2]);
    expect(ring.last()).toBe(2);
    expect(ring.size).toBe(2);
  });

  it('overwrites the oldest entry once full, never growing', () => {
    const ring = new Ring<number>(3);
    for (let i = 1; i <= 10; i++) ring.push(i);
    expect(ring.size).toBe(3);
    expect(ring.toArray()).toEqual([8, 9, 10]);
    expect(ring.last()).toBe(10);
  });

  it('returns only the newest entries when limited', () => {
    const ring = new Ring<number>(5);
    for (let i = 1; i <= 7; i++) ring.push(i);
    expect(ring.toArray(2)).toEqual([6, 7]);
    expect(ring.toArray(50)).toEqual([3, 4, 5, 6, 7]);
    expect(ring.toArray(0)).toEqual([]);
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new Ring(0)).toThrow(RangeError);
    expect(() => new Ring(1.5)).toThrow(RangeError);
  });
});
