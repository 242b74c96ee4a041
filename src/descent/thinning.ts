/**
 * Bounded output: a descent of a million steps must not become a million-row table or a
 * 60 MB figure. Tables keep their first and last rows and say how many are left out; paths keep
 * what a reader sees at the figure's scale: the start, the end, and every move from one cell of a
 * fine grid over the path to another (so every visible turn), thinned further only if that is
 * still too many.
 */
import { requireInteger } from "./validate";

/** Rows a table shows at most: the first and the last half of this, and a line for the rest. */
export const MAX_TABLE_ROWS = 40;

/** Points one drawn path keeps at most (a figure with several paths gives each a share). */
export const MAX_PATH_POINTS = 2000;

/** The grid (cells per axis over the path's extent) below which two points look the same. */
export const PATH_RESOLUTION = 1000;

/**
 * Which of `count` rows a table shows: all of them when they fit in `maxRows`, else the first
 * `head` (default maxRows/2) and the last maxRows − head, with the number left out between them.
 */
export function shownRows(
  count: number,
  maxRows = MAX_TABLE_ROWS,
  head = Math.ceil(maxRows / 2),
): { head: number; tail: number; omitted: number } {
  requireInteger("count", count, 0);
  requireInteger("maxRows", maxRows, 2, 10_000);
  requireInteger("head", head, 1, maxRows - 1);
  if (count <= maxRows) return { head: count, tail: 0, omitted: 0 };
  const tail = maxRows - head;
  return { head, tail, omitted: count - head - tail };
}

/**
 * The indices of a path's points that a figure draws: every index when the path has at most
 * `maxPoints` points; otherwise the start, the end, and each point that lies in another cell of a
 * `resolution` × `resolution` grid over the path's bounding box than the last point kept (a turn
 * smaller than a cell is not visible at the figure's scale). If that is still more than
 * `maxPoints`, every m-th of them with m odd, so that a zig-zag still alternates sides.
 */
export function thinPath(
  points: readonly (readonly number[])[],
  maxPoints = MAX_PATH_POINTS,
  resolution = PATH_RESOLUTION,
): number[] {
  requireInteger("maxPoints", maxPoints, 2, 1_000_000);
  requireInteger("resolution", resolution, 1, 1_000_000);
  const count = points.length;
  if (count <= maxPoints) return Array.from({ length: count }, (_, i) => i);
  const dimension = points[0].length;
  const low = new Array<number>(dimension).fill(Infinity);
  const high = new Array<number>(dimension).fill(-Infinity);
  for (const point of points) {
    for (let d = 0; d < dimension; d++) {
      low[d] = Math.min(low[d], point[d]);
      high[d] = Math.max(high[d], point[d]);
    }
  }
  const cellOf = (point: readonly number[], d: number): number => {
    const width = high[d] - low[d];
    return width > 0 ? Math.min(resolution - 1, Math.floor(((point[d] - low[d]) / width) * resolution)) : 0;
  };
  const kept = [0];
  let last = points[0];
  for (let i = 1; i < count - 1; i++) {
    for (let d = 0; d < dimension; d++) {
      if (cellOf(points[i], d) !== cellOf(last, d)) {
        kept.push(i);
        last = points[i];
        break;
      }
    }
  }
  kept.push(count - 1);
  if (kept.length <= maxPoints) return kept;
  if (maxPoints === 2) return [0, count - 1];
  let stride = Math.ceil((kept.length - 2) / (maxPoints - 2));
  if (stride % 2 === 0) stride += 1;
  const thinned = [0];
  for (let j = 1; j < kept.length - 1; j += stride) thinned.push(kept[j]);
  thinned.push(count - 1);
  return thinned;
}
