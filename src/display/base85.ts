/**
 * Base85 (Ascii85's arithmetic: 4 bytes ↔ 5 characters) with an alphabet that is safe, unescaped,
 * inside an HTML <script> element, an HTML attribute-free text node and a JSON string: no
 * `"`, `'`, `\`, `<`, `>`, `&` or backtick. plotly.js travels in it: a quarter longer than its
 * bytes, where base64 is a third longer (about 120 kB less for plotly.js).
 */
export const BASE85_ALPHABET = Array.from({ length: 94 }, (_, i) => String.fromCharCode(0x21 + i))
  .filter((character) => !"\"'\\<>&`$%".includes(character))
  .join("");

/** Encodes bytes; a last group of n < 4 bytes becomes n + 1 characters (Ascii85's rule). */
export function encodeBase85(bytes: Uint8Array): string {
  const characters: string[] = [];
  const digits = new Array<string>(5);
  for (let start = 0; start < bytes.length; start += 4) {
    const count = Math.min(4, bytes.length - start);
    let value = 0;
    for (let k = 0; k < 4; k++) value = value * 256 + (k < count ? bytes[start + k] : 0);
    for (let k = 4; k >= 0; k--) {
      digits[k] = BASE85_ALPHABET[value % 85];
      value = Math.floor(value / 85);
    }
    for (let k = 0; k <= count; k++) characters.push(digits[k]);
  }
  return characters.join("");
}

/** Decodes encodeBase85's text (whitespace is not allowed: strip it first). Runs in the page too. */
export function decodeBase85(text: string): Uint8Array {
  const digit = new Uint8Array(128);
  for (let a = 0; a < BASE85_ALPHABET.length; a++) digit[BASE85_ALPHABET.charCodeAt(a)] = a;
  const rest = text.length % 5;
  const bytes = new Uint8Array(Math.floor(text.length / 5) * 4 + (rest ? rest - 1 : 0));
  for (let start = 0, out = 0; start < text.length; start += 5) {
    const count = Math.min(5, text.length - start);
    let value = 0;
    for (let k = 0; k < 5; k++) value = value * 85 + (k < count ? digit[text.charCodeAt(start + k)] : 84);
    for (let b = 0; b < count - 1; b++) bytes[out++] = Math.floor(value / Math.pow(256, 3 - b)) % 256;
  }
  return bytes;
}

/** The browsers' gzip decoder (TypeScript 5.0's DOM library lacks it). */
declare const DecompressionStream: new (format: "gzip") => TransformStream<Uint8Array, Uint8Array>;

/** Decodes (whitespace ignored) and gunzips a gzip+base85 text, in the browser (DecompressionStream). */
export async function unpackGzipBase85(text: string): Promise<string> {
  if (typeof DecompressionStream === "undefined") {
    throw new Error(
      "this browser cannot unpack the page (no DecompressionStream): use a current Chrome, Edge, Firefox or Safari",
    );
  }
  const stream = new Blob([decodeBase85(text.replace(/\s+/g, ""))])
    .stream()
    .pipeThrough(new DecompressionStream("gzip"));
  return new Response(stream).text();
}
