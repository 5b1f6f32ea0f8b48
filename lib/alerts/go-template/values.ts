// Values as Go sees them

export type Val =
  | { k: "nil" }
  | { k: "bool"; v: boolean }
  | { k: "int"; v: bigint; type?: "uint8" }
  | { k: "float"; v: number }
  | { k: "string"; v: string }
  | { k: "map"; v: Record<string, string> }
  | { k: "data" }
  | { k: "time"; ms: bigint };

export const NIL: Val = { k: "nil" };
export const str = (v: string): Val => ({ k: "string", v });
export const float = (v: number): Val => ({ k: "float", v });
export const bool = (v: boolean): Val => ({ k: "bool", v });

export function typeName(v: Val): string {
  switch (v.k) {
    case "nil":
      return "<nil>";
    case "bool":
      return "bool";
    case "int":
      return v.type ?? "int";
    case "float":
      return "float64";
    case "string":
      return "string";
    case "map":
      return "map[string]string";
    case "data":
      return "struct { Labels map[string]string; ExternalLabels map[string]string; ExternalURL string; Value float64 }";
    case "time":
      return "*time.Time";
  }
}

export function truth(v: Val): boolean {
  switch (v.k) {
    case "nil":
      return false;
    case "bool":
      return v.v;
    case "int":
      return v.v !== 0n;
    case "float":
      return v.v !== 0;
    case "string":
      return v.v.length > 0;
    case "map":
      return Object.keys(v.v).length > 0;
    default:
      return true;
  }
}
