/**
 * Ids that sort in creation order (time, then a counter, then randomness), so history lines written
 * in one millisecond still list in the order they happened, and two engines never collide.
 */
export function createIdFactory(): () => string {
  let last = 0;
  let counter = 0;
  // Random words drawn 512 at a time: a scheduler pass makes an id for every history line.
  const pool = new Uint32Array(512);
  let next = pool.length;
  const random = (): number => {
    if (next === pool.length) {
      crypto.getRandomValues(pool);
      next = 0;
    }
    return pool[next++]!;
  };
  return () => {
    const t = Date.now();
    counter = t === last ? counter + 1 : 0;
    last = t;
    return `${t.toString(36).padStart(9, '0')}${counter.toString(36).padStart(3, '0')}${random().toString(36)}${random().toString(36)}`;
  };
}
