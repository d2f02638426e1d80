// Element types: names (safetensors spelling, also used for .npy/.npz), sizes in bits, and how each
// decodes to f64. One table for both formats so that `inspect` and `load` agree everywhere.

/** How a dtype reaches f64: exactly (floats), exactly or rounded (integers, opt-in), or not at all. */
export type DTypeKind = "float" | "integer" | "bool" | "unsupported";

export interface DTypeSpec {
  /** safetensors name ("F32", "BF16", "F8_E4M3" …). */
  readonly name: string;
  /** Bits per element (sub-byte types: 4, 6). */
  readonly bits: number;
  readonly kind: DTypeKind;
  /** Integers: signed or not. */
  readonly signed?: boolean;
  /** Why it is unsupported (kind "unsupported"). */
  readonly why?: string;
}

const float = (name: string, bits: number): DTypeSpec => ({ name, bits, kind: "float" });
const int = (name: string, bits: number, signed: boolean): DTypeSpec => ({ name, bits, kind: "integer", signed });
const no = (name: string, bits: number, why: string): DTypeSpec => ({ name, bits, kind: "unsupported", why });

const SUB_BYTE = "sub-byte (microscaling) floats are not decoded by dead-directions";

/** Every dtype of the safetensors format (reference implementation 0.6), with its bit size. */
export const SAFETENSORS_DTYPES: ReadonlyMap<string, DTypeSpec> = new Map(
  [
    float("F64", 64),
    float("F32", 32),
    float("F16", 16),
    float("BF16", 16),
    float("F8_E4M3", 8),
    float("F8_E5M2", 8),
    { name: "BOOL", bits: 8, kind: "bool" } as DTypeSpec,
    int("U8", 8, false),
    int("I8", 8, true),
    int("I16", 16, true),
    int("U16", 16, false),
    int("I32", 32, true),
    int("U32", 32, false),
    int("I64", 64, true),
    int("U64", 64, false),
    no("C64", 64, "complex numbers are not decoded by dead-directions (split real and imaginary parts into F32 tensors)"),
    no("F4", 4, SUB_BYTE),
    no("F6_E2M3", 6, SUB_BYTE),
    no("F6_E3M2", 6, SUB_BYTE),
    no("F8_E8M0", 8, "F8_E8M0 is a scale-only (exponent) format; decode it together with the tensor it scales"),
  ].map((d) => [d.name, d]),
);

/** `spec` of a safetensors dtype name (undefined for names the format does not define). */
export function safetensorsDtype(name: string): DTypeSpec | undefined {
  return SAFETENSORS_DTYPES.get(name);
}

/** Result of reading a numpy `descr` such as "<f4", ">i8", "|b1". */
export interface NpyDtype {
  readonly spec: DTypeSpec;
  readonly bigEndian: boolean;
}

const NPY: Record<string, string> = {
  f2: "F16", f4: "F32", f8: "F64",
  i1: "I8", i2: "I16", i4: "I32", i8: "I64",
  u1: "U8", u2: "U16", u4: "U32", u8: "U64",
  b1: "BOOL",
};

const NPY_UNSUPPORTED: Record<string, string> = {
  O: "object arrays hold pickled Python objects, which dead-directions never unpickles (save a numeric dtype instead)",
  c: "complex numbers are not decoded by dead-directions (save the real and imaginary parts as float arrays)",
  U: "unicode string arrays are not numeric data",
  S: "byte-string arrays are not numeric data",
  a: "byte-string arrays are not numeric data",
  V: "void (raw record) arrays are not numeric data",
  M: "datetime64 arrays are not numeric data",
  m: "timedelta64 arrays are not numeric data",
};

/**
 * Interpret a numpy type string. Returns the dtype, or a reason string when it is understood but not
 * decodable; undefined when it is not a type string at all.
 */
export function npyDtype(descr: string): NpyDtype | { unsupported: string; name: string } | undefined {
  const m = /^([<>|=]?)([a-zA-Z])(\d*)(\[.*\])?$/.exec(descr);
  if (!m) return undefined;
  const [, order = "", kind = "", size = ""] = m;
  const name = NPY[`${kind}${size}`];
  if (name && !m[4]) {
    const spec = SAFETENSORS_DTYPES.get(name)!;
    if (spec.bits > 8 && order !== "<" && order !== ">") {
      return { name: descr, unsupported: `byte order "${order || "(none)"}" is ambiguous for a ${spec.bits / 8}-byte type; numpy writes "<" or ">"` };
    }
    return { spec, bigEndian: order === ">" };
  }
  if (kind === "f" && (size === "16" || size === "12" || size === "10")) return { name: descr, unsupported: "long double (extended precision) is platform-dependent and not decoded" };
  const why = NPY_UNSUPPORTED[kind];
  if (why) return { name: descr, unsupported: why };
  if (kind === "f" || kind === "i" || kind === "u" || kind === "b") return { name: descr, unsupported: `no ${size ? size + "-byte " : ""}${kind} type is known` };
  return undefined;
}
