/**
 * Input checks shared by every exported function. Each throws a RangeError or TypeError whose
 * message names the parameter and the value it got, so a student who types `learningRate: -1`
 * reads what is wrong instead of seeing a NaN plot.
 */

/**
 * The kit's own validation errors. They are RangeError and TypeError (`instanceof` holds and the
 * name reads the same), but Node's inspector (what tslab and the console print for a thrown
 * error) shows them as the one line "RangeError: learningRate must be …" instead of a stack trace
 * into the kit's and tslab's files: the stack of a validation error tells a student nothing, and
 * a real bug (any other error) keeps its stack.
 */
const INSPECT = Symbol.for("nodejs.util.inspect.custom");

export class KitRangeError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = "RangeError";
  }
  [INSPECT](): string {
    return `${this.name}: ${this.message}`;
  }
}

export class KitTypeError extends TypeError {
  constructor(message: string) {
    super(message);
    this.name = "TypeError";
  }
  [INSPECT](): string {
    return `${this.name}: ${this.message}`;
  }
}

/** The largest number of iterations any loop accepts: a trajectory stores every point. */
export const MAX_ITERATIONS = 1_000_000;

/** The most data points any function accepts (sineData, linspace, fits): 10 million. */
export const MAX_POINTS = 10_000_000;

/** The smallest and largest entry, by a loop: spreading a big array into Math.min(...) overflows the stack. */
export function extent(values: ArrayLike<number>): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    if (values[i] < min) min = values[i];
    if (values[i] > max) max = values[i];
  }
  return { min, max };
}

/** Formats a received value for an error message, whatever its type. */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") {
    return String(value);
  }
  if (value === undefined || value === null) return String(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  return `a ${typeof value}`;
}

function requireNumber(name: string, value: unknown): number {
  if (typeof value !== "number") {
    throw new KitTypeError(`${name} must be a number, got ${describeValue(value)}`);
  }
  return value;
}

export function requireFinite(name: string, value: unknown): number {
  const n = requireNumber(name, value);
  if (!Number.isFinite(n)) throw new KitRangeError(`${name} must be a finite number, got ${n}`);
  return n;
}

export function requirePositive(name: string, value: unknown): number {
  const n = requireFinite(name, value);
  if (!(n > 0)) throw new KitRangeError(`${name} must be a finite positive number, got ${n}`);
  return n;
}

export function requireNonNegative(name: string, value: unknown): number {
  const n = requireFinite(name, value);
  if (n < 0) throw new KitRangeError(`${name} must be a finite number ≥ 0, got ${n}`);
  return n;
}

/** A whole number in [min, max]. */
export function requireInteger(name: string, value: unknown, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const n = requireNumber(name, value);
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new KitRangeError(`${name} must be a whole number from ${min} to ${max}, got ${n}`);
  }
  return n;
}

export function requireIterations(name: string, value: unknown): number {
  return requireInteger(name, value, 0, MAX_ITERATIONS);
}

/** A non-empty vector of finite numbers (plain array or typed array). */
export function requireFiniteVector(name: string, value: unknown, length?: number): readonly number[] {
  if (!Array.isArray(value) && !(value instanceof Float64Array) && !(value instanceof Float32Array)) {
    throw new KitTypeError(`${name} must be an array of numbers, got ${describeValue(value)}`);
  }
  const vector = Array.from(value as ArrayLike<unknown>);
  if (vector.length === 0) throw new KitRangeError(`${name} must not be empty`);
  if (length !== undefined && vector.length !== length) {
    throw new KitRangeError(`${name} must have ${length} entries, got ${vector.length}`);
  }
  // The entry's name is built only for a bad entry: millions of good ones pass in a plain loop.
  for (let i = 0; i < vector.length; i++) {
    const entry = vector[i];
    if (typeof entry !== "number" || !Number.isFinite(entry)) requireFinite(`${name}[${i}]`, entry);
  }
  return vector as number[];
}

/** A required object, e.g. the options of a function that has no defaults for them. */
export function requireObject<T extends object>(name: string, value: T, fields: string): T {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new KitTypeError(`${name} must be an object { ${fields} }, got ${describeValue(value)}`);
  }
  return value;
}

/** An options object (undefined means none given: {}); anything else is named. */
export function requireOptions<T extends object>(name: string, value: T | undefined): T {
  if (value === undefined) return {} as T;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new KitTypeError(`${name} must be an object, got ${describeValue(value)}`);
  }
  return value;
}

export function requireFunction(name: string, value: unknown): void {
  if (typeof value !== "function") {
    throw new KitTypeError(`${name} must be a function, got ${describeValue(value)}`);
  }
}

/**
 * Refuses option names the function does not know: a typo such as `beta_2` for `beta2` would
 * otherwise be ignored silently and the default used.
 */
export function requireKnownOptions(name: string, options: object, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new KitRangeError(`${name} has no option ${JSON.stringify(key)} (it knows ${known.join(", ")})`);
    }
  }
}

/** A number in [0, 1): momentum's β and Adam's decay rates β₁, β₂. */
export function requireDecay(name: string, value: unknown): number {
  const n = requireFinite(name, value);
  if (!(n >= 0 && n < 1))
    throw new KitRangeError(`${name} must be a number from 0 up to (not including) 1, got ${n}`);
  return n;
}
