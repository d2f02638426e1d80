// A strict JSON reader (RFC 8259) over UTF-8 bytes, for safetensors headers and index files. Unlike
// JSON.parse it reports byte offsets, rejects duplicate keys (JSON.parse keeps the last one silently,
// which would hide a tensor), bounds nesting depth, and keeps numbers as their text so that integers
// beyond 2^53 are judged exactly (as BigInt) instead of being rounded.

/** A JSON number, kept as written. */
export class JsonNumber {
  constructor(
    readonly text: string,
    readonly offset: number,
  ) {}
  /** The value when it is a non-negative integer written without fraction or exponent, else undefined. */
  get natural(): bigint | undefined {
    return /^(0|[1-9][0-9]*)$/.test(this.text) ? BigInt(this.text) : undefined;
  }
}

/** A JSON object: keys in order, without prototype pitfalls (`__proto__` is an ordinary key). */
export class JsonObject {
  readonly entries = new Map<string, JsonValue>();
  readonly keyOffsets = new Map<string, number>();
  constructor(readonly offset: number) {}
}

/** A JSON array with its offset. */
export class JsonArray {
  readonly items: JsonValue[] = [];
  constructor(readonly offset: number) {}
}

export type JsonValue = null | boolean | string | JsonNumber | JsonArray | JsonObject;

/** Thrown with the byte offset (relative to the parsed bytes) of the problem. */
export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const MAX_DEPTH = 64;
const utf8 = new TextDecoder("utf-8", { fatal: true });

const WS = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
const DIGIT = (c: number): boolean => c >= 0x30 && c <= 0x39;

/** Parse `bytes` as one JSON value (surrounding whitespace allowed). */
export function parseJson(bytes: Uint8Array): JsonValue {
  return new Parser(bytes).document();
}

class Parser {
  private pos = 0;
  constructor(private readonly b: Uint8Array) {}

  document(): JsonValue {
    this.ws();
    const v = this.value(0);
    this.ws();
    if (this.pos < this.b.length) this.fail(`unexpected ${this.what()} after the end of the JSON value`);
    return v;
  }

  private fail(message: string, at = this.pos): never {
    throw new JsonSyntaxError(message, at);
  }

  private what(): string {
    if (this.pos >= this.b.length) return "end of header";
    const c = this.b[this.pos]!;
    return c >= 0x20 && c < 0x7f ? `character ${JSON.stringify(String.fromCharCode(c))}` : `byte 0x${c.toString(16).padStart(2, "0")}`;
  }

  private ws(): void {
    while (this.pos < this.b.length && WS(this.b[this.pos]!)) this.pos++;
  }

  private expect(c: number, what: string): void {
    if (this.b[this.pos] !== c) this.fail(`expected ${what}, found ${this.what()}`);
    this.pos++;
  }

  private value(depth: number): JsonValue {
    if (depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH} levels`);
    const c = this.b[this.pos];
    if (c === 0x7b) return this.object(depth);
    if (c === 0x5b) return this.array(depth);
    if (c === 0x22) return this.string();
    if (c === 0x2d || (c !== undefined && DIGIT(c))) return this.number();
    for (const [word, v] of [["true", true], ["false", false], ["null", null]] as const) {
      if (this.word(word)) return v;
    }
    return this.fail(`expected a JSON value, found ${this.what()}`);
  }

  private word(w: string): boolean {
    for (let i = 0; i < w.length; i++) if (this.b[this.pos + i] !== w.charCodeAt(i)) return false;
    this.pos += w.length;
    return true;
  }

  private object(depth: number): JsonObject {
    const obj = new JsonObject(this.pos);
    this.pos++;
    this.ws();
    if (this.b[this.pos] === 0x7d) {
      this.pos++;
      return obj;
    }
    for (;;) {
      this.ws();
      const at = this.pos;
      if (this.b[this.pos] !== 0x22) this.fail(`expected a key (a string), found ${this.what()}`);
      const key = this.string();
      if (obj.entries.has(key)) this.fail(`duplicate key ${JSON.stringify(key)}`, at);
      this.ws();
      this.expect(0x3a, '":"');
      this.ws();
      obj.entries.set(key, this.value(depth + 1));
      obj.keyOffsets.set(key, at);
      this.ws();
      if (this.b[this.pos] === 0x2c) {
        this.pos++;
        continue;
      }
      this.expect(0x7d, '"," or "}"');
      return obj;
    }
  }

  private array(depth: number): JsonArray {
    const arr = new JsonArray(this.pos);
    this.pos++;
    this.ws();
    if (this.b[this.pos] === 0x5d) {
      this.pos++;
      return arr;
    }
    for (;;) {
      this.ws();
      arr.items.push(this.value(depth + 1));
      this.ws();
      if (this.b[this.pos] === 0x2c) {
        this.pos++;
        continue;
      }
      this.expect(0x5d, '"," or "]"');
      return arr;
    }
  }

  private number(): JsonNumber {
    const start = this.pos;
    const b = this.b;
    if (b[this.pos] === 0x2d) this.pos++;
    if (b[this.pos] === 0x30) this.pos++;
    else if (b[this.pos] !== undefined && DIGIT(b[this.pos]!)) while (this.pos < b.length && DIGIT(b[this.pos]!)) this.pos++;
    else this.fail("malformed number", start);
    if (b[this.pos] === 0x2e) {
      this.pos++;
      if (!(this.pos < b.length && DIGIT(b[this.pos]!))) this.fail("malformed number (digits must follow '.')", start);
      while (this.pos < b.length && DIGIT(b[this.pos]!)) this.pos++;
    }
    if (b[this.pos] === 0x65 || b[this.pos] === 0x45) {
      this.pos++;
      if (b[this.pos] === 0x2b || b[this.pos] === 0x2d) this.pos++;
      if (!(this.pos < b.length && DIGIT(b[this.pos]!))) this.fail("malformed number (digits must follow the exponent)", start);
      while (this.pos < b.length && DIGIT(b[this.pos]!)) this.pos++;
    }
    let text = "";
    for (let i = start; i < this.pos; i++) text += String.fromCharCode(b[i]!);
    return new JsonNumber(text, start);
  }

  private string(): string {
    const start = this.pos;
    this.pos++;
    const b = this.b;
    let out = "";
    let run = this.pos;
    for (;;) {
      if (this.pos >= b.length) this.fail("unterminated string", start);
      const c = b[this.pos]!;
      if (c === 0x22) {
        out += this.text(run, this.pos);
        this.pos++;
        return out;
      }
      if (c < 0x20) this.fail(`control byte 0x${c.toString(16).padStart(2, "0")} inside a string (must be escaped)`);
      if (c !== 0x5c) {
        this.pos++;
        continue;
      }
      out += this.text(run, this.pos);
      const e = b[this.pos + 1];
      const simple: Record<number, string> = { 0x22: '"', 0x5c: "\\", 0x2f: "/", 0x62: "\b", 0x66: "\f", 0x6e: "\n", 0x72: "\r", 0x74: "\t" };
      if (e !== undefined && simple[e] !== undefined) {
        out += simple[e];
        this.pos += 2;
      } else if (e === 0x75) {
        out += String.fromCharCode(this.hex4(this.pos + 2));
        this.pos += 6;
      } else this.fail("invalid escape in string");
      run = this.pos;
    }
  }

  private hex4(at: number): number {
    let v = 0;
    for (let i = 0; i < 4; i++) {
      const c = this.b[at + i];
      const d = c === undefined ? -1 : DIGIT(c) ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1;
      if (d < 0) this.fail("invalid \\u escape (four hex digits expected)", at - 2);
      v = v * 16 + d;
    }
    return v;
  }

  private text(from: number, to: number): string {
    if (from === to) return "";
    try {
      return utf8.decode(this.b.subarray(from, to));
    } catch {
      return this.fail("invalid UTF-8 inside a string", from);
    }
  }
}
