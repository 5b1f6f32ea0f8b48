// Go's float formatting (strconv.FormatFloat as fmt uses it): exact decimal expansion, round half to even.

interface Digits {
  d: string; // significant digits, no trailing zeros; "" for zero
  dp: number; // value = 0.d × 10^dp
}

/** The exact decimal value of a finite, non-negative double. */
function exactDigits(x: number): Digits {
  if (x === 0) return { d: "", dp: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const exp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (exp === 0) e = -1074;
  else {
    mant |= 1n << 52n;
    e = exp - 1075;
  }
  let s: string;
  let dp: number;
  if (e >= 0) {
    s = (mant << BigInt(e)).toString();
    dp = s.length;
  } else {
    s = (mant * 5n ** BigInt(-e)).toString();
    dp = s.length + e;
  }
  return trimDigits({ d: s, dp });
}

function trimDigits(x: Digits): Digits {
  let end = x.d.length;
  while (end > 0 && x.d[end - 1] === "0") end--;
  return end === 0 ? { d: "", dp: 0 } : { d: x.d.slice(0, end), dp: x.dp };
}

/** Rounds to `nd` significant digits, half to even on exact ties (strconv's decimal.Round). */
function roundDigits(x: Digits, nd: number): Digits {
  if (nd < 0 || nd >= x.d.length) return x;
  const next = x.d[nd]!;
  let up: boolean;
  if (next === "5" && nd + 1 === x.d.length) up = nd > 0 && Number(x.d[nd - 1]) % 2 === 1;
  else up = next >= "5";
  if (!up) return trimDigits({ d: x.d.slice(0, nd), dp: x.dp });
  let i = nd - 1;
  while (i >= 0 && x.d[i] === "9") i--;
  if (i < 0) return { d: "1", dp: x.dp + 1 };
  return trimDigits({ d: x.d.slice(0, i) + String(Number(x.d[i]) + 1), dp: x.dp });
}

/** Shortest digits that read back as x (what Go and JavaScript both print by default). */
function shortestDigits(x: number): Digits {
  if (x === 0) return { d: "", dp: 0 };
  const [m, ex] = x.toExponential().split("e");
  return trimDigits({ d: m!.replace(".", ""), dp: Number(ex) + 1 });
}

function fmtE(d: Digits, prec: number, e: "e" | "E"): string {
  let out = d.d[0] ?? "0";
  if (prec > 0) out += "." + d.d.slice(1, prec + 1).padEnd(prec, "0");
  let exp = d.d.length === 0 ? 0 : d.dp - 1;
  const sign = exp < 0 ? "-" : "+";
  exp = Math.abs(exp);
  return `${out}${e}${sign}${exp < 10 ? "0" : ""}${exp}`;
}

function fmtF(d: Digits, prec: number): string {
  let out = d.dp > 0 ? d.d.slice(0, d.dp).padEnd(d.dp, "0") : "0";
  if (prec > 0) {
    out += ".";
    for (let i = 0; i < prec; i++) {
      const j = d.dp + i;
      out += j >= 0 && j < d.d.length ? d.d[j] : "0";
    }
  }
  return out;
}

/** strconv.FormatFloat(x, verb, prec, 64); prec -1 is the shortest representation. */
export function formatFloat(x: number, verb: "e" | "E" | "f" | "g" | "G", prec: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "+Inf" : "-Inf";
  const neg = x < 0 || Object.is(x, -0);
  const a = Math.abs(x);
  const shortest = prec < 0;
  let d: Digits;
  if (shortest) {
    d = shortestDigits(a);
    prec = verb === "e" || verb === "E" ? d.d.length - 1 : verb === "f" ? Math.max(d.d.length - d.dp, 0) : d.d.length;
  } else {
    const exact = exactDigits(a);
    if (verb === "e" || verb === "E") d = roundDigits(exact, prec + 1);
    else if (verb === "f") d = roundDigits(exact, exact.dp + prec);
    else {
      if (prec === 0) prec = 1;
      d = roundDigits(exact, prec);
    }
  }
  let body: string;
  if (verb === "e" || verb === "E") body = fmtE(d, prec, verb);
  else if (verb === "f") body = fmtF(d, prec);
  else {
    let eprec = prec;
    if (eprec > d.d.length && d.d.length >= d.dp) eprec = d.d.length;
    if (shortest) eprec = 6;
    const exp = d.dp - 1;
    if (exp < -4 || exp >= eprec) {
      if (prec > d.d.length) prec = d.d.length;
      body = fmtE(d, prec - 1, verb === "g" ? "e" : "E");
    } else {
      if (prec > d.dp) prec = d.d.length;
      body = fmtF(d, Math.max(prec - d.dp, 0));
    }
  }
  return (neg ? "-" : "") + body;
}
