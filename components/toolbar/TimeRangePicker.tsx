"use client";
import { useEffect, useRef, useState } from "react";
import { formatUtc } from "@/lib/format";
import { absoluteRange, parseUtcInput, RELATIVE_PRESETS, resolveRange, zoomOut, type TimeRange } from "@/lib/time-range";
import { parseDuration } from "@/lib/duration";
import { ClockIcon, ZoomOutIcon } from "@/components/view/icons";

export function describeRange(range: TimeRange): string {
  if (range.to.kind === "now" && range.to.offsetSeconds === 0 && range.from.kind === "now") {
    return `Last ${presetLabel(range.from.offsetSeconds)}`;
  }
  const { startMs, endMs } = resolveRange(range, Date.now());
  return `${formatUtc(startMs)} → ${formatUtc(endMs)} UTC`;
}

function presetLabel(seconds: number): string {
  for (const [unit, size] of [["d", 86400], ["h", 3600], ["m", 60]] as const) if (seconds % size === 0) return `${seconds / size}${unit}`;
  return `${seconds}s`;
}

export function TimeRangePicker({ range, onChange }: { range: TimeRange; onChange: (r: TimeRange) => void }) {
  const [open, setOpen] = useState(false);
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const box = useRef<HTMLDivElement>(null);

  const toggle = () => {
    if (!open) {
      const { startMs, endMs } = resolveRange(range, Date.now());
      setFrom(formatUtc(startMs));
      setTo(formatUtc(endMs));
      setProblem(null);
    }
    setOpen(!open);
  };

  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent | KeyboardEvent) => {
      if (e instanceof KeyboardEvent ? e.key === "Escape" : !box.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", close);
    document.addEventListener("keydown", close);
    return () => {
      document.removeEventListener("mousedown", close);
      document.removeEventListener("keydown", close);
    };
  }, [open]);

  const apply = () => {
    const start = parseUtcInput(from);
    const end = parseUtcInput(to);
    if (start === null || end === null) return setProblem("Use the form 2024-12-11 15:04:05 (UTC)");
    if (end <= start) return setProblem("The start must be before the end");
    setOpen(false);
    onChange(absoluteRange(start, end));
  };

  return (
    <div ref={box} className="relative flex items-center gap-1">
      <button type="button" data-testid="time-range" onClick={toggle} className="toolbar-button flex min-w-40 items-center gap-1.5">
        <ClockIcon />
        {describeRange(range)}
      </button>
      <button type="button" title="Zoom out (twice the range)" onClick={() => onChange(zoomOut(range, Date.now()))} aria-label="Zoom out" className="toolbar-button">
        <ZoomOutIcon />
      </button>
      {open && (
        <div role="dialog" aria-label="Time range" className="absolute top-full left-0 z-20 mt-1 flex w-[26rem] gap-4 rounded-md border border-slate-200 bg-white p-3 shadow-lg dark:border-slate-700 dark:bg-slate-900">
          <div className="flex w-24 flex-col gap-0.5">
            <div className="mb-1 text-xs text-slate-500">Relative</div>
            {RELATIVE_PRESETS.map((p) => (
              <button
                key={p}
                type="button"
                className="rounded px-2 py-0.5 text-left text-sm hover:bg-slate-100 dark:hover:bg-slate-800"
                onClick={() => {
                  setOpen(false);
                  onChange({ from: { kind: "now", offsetSeconds: parseDuration(p)! }, to: { kind: "now", offsetSeconds: 0 } });
                }}
              >
                Last {p}
              </button>
            ))}
          </div>
          <form
            className="flex flex-1 flex-col gap-2 text-sm"
            onSubmit={(e) => {
              e.preventDefault();
              apply();
            }}
          >
            <div className="text-xs text-slate-500">Absolute (UTC)</div>
            <label className="flex flex-col gap-0.5">
              From
              <input name="from" value={from} onChange={(e) => setFrom(e.target.value)} className="toolbar-input" />
            </label>
            <label className="flex flex-col gap-0.5">
              To
              <input name="to" value={to} onChange={(e) => setTo(e.target.value)} className="toolbar-input" />
            </label>
            {problem && <div className="text-xs text-red-600 dark:text-red-400">{problem}</div>}
            <button type="submit" className="toolbar-button self-start">
              Apply
            </button>
          </form>
        </div>
      )}
    </div>
  );
}
