// The .npy header is a Python dict literal such as {'descr': '<f4', 'fortran_order': False,
// 'shape': (3, 4), }. It is read with this small grammar (never eval, never a regex over the whole):
//   value := dict | tuple | list | string | int | True | False | None
//   dict  := "{" [ string ":" value ("," string ":" value)* [","] ] "}"
//   tuple := "(" [ value "," [ value ("," value)* [","] ] ] ")"     — "(x)" is x, as in Python
//   list  := "[" [ value ("," value)* [","] ] "]"
//   int   := ["-"] digits ["L"]      (Python 2 wrote 3L)
//   string:= '…' | "…" with backslash escapes
// see: numpy/lib/format.py (_read_array_header uses ast.literal_eval)

export type PyValue = null | boolean | string | bigint | PyTuple | PyValue[] | Map<string, PyValue>;

/** A Python tuple (kept apart from lists: numpy's shape is a tuple, a structured descr a list). */
export class PyTuple {
  constructor(readonly items: PyValue[]) {}
}

export class PySyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const MAX_DEPTH = 32;

export function parsePyLiteral(text: string): PyValue {
  const p = new Parser(text);
  p.ws();
  const v = p.value(0);
  p.ws();
  if (!p.done()) p.fail(`unexpected ${p.what()} after the header dict`);
  return v;
}

class Parser {
  private pos = 0;
  constructor(private readonly s: string) {}

  done(): boolean {
    return this.pos >= this.s.length;
  }

  fail(message: string, at = this.pos): never {
    throw new PySyntaxError(message, at);
  }

  what(): string {
    return this.done() ? "end of header" : JSON.stringify(this.s[this.pos]);
  }

  ws(): void {
    while (!this.done() && " \t\n\r".includes(this.s[this.pos]!)) this.pos++;
  }

  private eat(c: string): boolean {
    if (this.s[this.pos] !== c) return false;
    this.pos++;
    return true;
  }

  value(depth: number): PyValue {
    if (depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH} levels`);
    const c = this.s[this.pos];
    if (c === "{") return this.dict(depth);
    if (c === "(") return this.tuple(depth);
    if (c === "[") return this.list(depth);
    if (c === "'" || c === '"') return this.string();
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return this.int();
    for (const [w, v] of [["True", true], ["False", false], ["None", null]] as const) {
      if (this.s.startsWith(w, this.pos) && !/[A-Za-z0-9_]/.test(this.s[this.pos + w.length] ?? "")) {
        this.pos += w.length;
        return v;
      }
    }
    return this.fail(`expected a Python literal, found ${this.what()}`);
  }

  /** Items up to `close`, comma separated, trailing comma allowed; reports whether a comma was seen. */
  private items(close: string, depth: number, item: () => void): boolean {
    this.pos++;
    let comma = false;
    for (;;) {
      this.ws();
      if (this.eat(close)) return comma;
      item();
      this.ws();
      if (this.eat(",")) {
        comma = true;
        continue;
      }
      if (this.eat(close)) return comma;
      this.fail(`expected "," or "${close}", found ${this.what()}`);
    }
    void depth;
  }

  private dict(depth: number): Map<string, PyValue> {
    const out = new Map<string, PyValue>();
    this.items("}", depth, () => {
      const at = this.pos;
      const c = this.s[this.pos];
      if (c !== "'" && c !== '"') this.fail(`expected a string key, found ${this.what()}`);
      const key = this.string();
      if (out.has(key)) this.fail(`duplicate key ${JSON.stringify(key)}`, at);
      this.ws();
      if (!this.eat(":")) this.fail(`expected ":", found ${this.what()}`);
      this.ws();
      out.set(key, this.value(depth + 1));
    });
    return out;
  }

  private tuple(depth: number): PyValue {
    const items: PyValue[] = [];
    const comma = this.items(")", depth, () => void items.push(this.value(depth + 1)));
    if (items.length === 1 && !comma) return items[0]!; // "(x)" is x
    return new PyTuple(items);
  }

  private list(depth: number): PyValue[] {
    const items: PyValue[] = [];
    this.items("]", depth, () => void items.push(this.value(depth + 1)));
    return items;
  }

  private int(): bigint {
    const start = this.pos;
    this.eat("-");
    const digits = this.pos;
    while (!this.done() && this.s[this.pos]! >= "0" && this.s[this.pos]! <= "9") this.pos++;
    if (this.pos === digits) this.fail("malformed integer", start);
    const text = this.s.slice(start, this.pos);
    if (/^-?0\d/.test(text)) this.fail("integers with leading zeros are not Python literals", start);
    this.eat("L");
    if (/[A-Za-z0-9_.]/.test(this.s[this.pos] ?? "")) this.fail("only integers are allowed here", start);
    return BigInt(text);
  }

  private string(): string {
    const start = this.pos;
    const q = this.s[this.pos++]!;
    let out = "";
    for (;;) {
      if (this.done()) this.fail("unterminated string", start);
      const c = this.s[this.pos++]!;
      if (c === q) return out;
      if (c === "\n") this.fail("newline inside a string", this.pos - 1);
      if (c !== "\\") {
        out += c;
        continue;
      }
      const e = this.s[this.pos++];
      const simple: Record<string, string> = { "\\": "\\", "'": "'", '"': '"', n: "\n", t: "\t", r: "\r", "0": "\0" };
      if (e !== undefined && simple[e] !== undefined) out += simple[e];
      else if (e === "x" && /^[0-9a-fA-F]{2}$/.test(this.s.slice(this.pos, this.pos + 2))) {
        out += String.fromCharCode(parseInt(this.s.slice(this.pos, this.pos + 2), 16));
        this.pos += 2;
      } else this.fail("unsupported escape in string", this.pos - 2);
    }
  }
}
