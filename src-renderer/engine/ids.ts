/**
 * Ids that sort in creation order (time, then a counter, then randomness), so history lines written
 * in one millisecond still list in the order they happened, and two engines never collide.
 */
export function createIdFactory(): () => string {
  let last = 0;
  let counter = 0;
  return () => {
    const t = Date.now();
    counter = t === last ? counter + 1 : 0;
    last = t;
    const rand = crypto.getRandomValues(new Uint32Array(2));
    return `${t.toString(36).padStart(9, '0')}${counter.toString(36).padStart(3, '0')}${rand[0]!.toString(36)}${rand[1]!.toString(36)}`;
  };
}
