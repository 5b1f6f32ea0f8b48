import "server-only";
// Compaction: every new segment is rewritten once in time order (so time filters skip most of it) and gets its
// rollup. Both files are written outside the writer lock (segments are immutable) and swapped in under it; the
// replaced file is retired, not deleted, so queries planned a moment earlier can still read it.
import { rmSync, statSync } from "node:fs";
import path from "node:path";
import { EVENT_COLUMN_NAMES } from "../columns";
import { SEGMENT_REASON_COLUMN, STORED_FILTER } from "../ingest/chunk-filter";
import { sqlString } from "../../store/sql";
import type { AuditStore } from "../audit-store";
import { newSegment, retireFiles } from "../segments";
import { coarseFile, coarsenSelect, rollupSelect } from "./rollup-sql";

const COLS = EVENT_COLUMN_NAMES.join(", ");

export async function buildMissingRollups(store: AuditStore): Promise<number> {
  const todo = await store.query<{ id: number; file: string }>("SELECT id, file FROM segments WHERE rollup_file IS NULL ORDER BY id");
  let built = 0;
  for (const seg of todo) {
    const sorted = await store.write((conn) => newSegment(conn, store));
    const rollupFile = sorted.file.replace(/\.parquet$/, ".rollup.parquet");
    const rollupFull = path.join(store.segmentsDir, rollupFile);
    const coarseFull = path.join(store.segmentsDir, coarseFile(rollupFile));
    const source = `read_parquet(${sqlString(path.join(store.segmentsDir, seg.file))}, union_by_name = true)`;
    try {
      await store.exec(
        `COPY (SELECT ${COLS}, ${SEGMENT_REASON_COLUMN} FROM ${source} WHERE ${STORED_FILTER} ORDER BY ts) TO ${sqlString(sorted.full)} (FORMAT parquet, COMPRESSION zstd)`,
      );
      await store.exec(`COPY (${rollupSelect(`read_parquet(${sqlString(sorted.full)})`)}) TO ${sqlString(rollupFull)} (FORMAT parquet, COMPRESSION zstd)`);
      await store.exec(`COPY (${coarsenSelect(`read_parquet(${sqlString(rollupFull)})`)}) TO ${sqlString(coarseFull)} (FORMAT parquet, COMPRESSION zstd)`);
    } catch {
      // The segment was dropped meanwhile (retention).
      for (const f of [sorted.full, rollupFull, coarseFull]) rmSync(f, { force: true });
      continue;
    }
    const swapped = await store.write(async (conn) => {
      const r = await conn.run("UPDATE segments SET file = $1, rollup_file = $2, bytes = $3 WHERE id = $4 AND file = $5", [
        sorted.file,
        rollupFile,
        statSync(sorted.full).size,
        seg.id,
        seg.file,
      ]);
      if (r.rowsChanged > 0) await retireFiles(conn, [seg.file]);
      return r.rowsChanged > 0;
    });
    if (swapped) built++;
    else {
      for (const f of [sorted.full, rollupFull, coarseFull]) rmSync(f, { force: true });
    }
  }
  return built;
}
