"use client";
// The one ECharts wrapper: owns init, dispose, resize, option updates, crosshair groups and drag-to-zoom.
import { useEffect, useRef, useState } from "react";
import { echarts } from "./echarts";

type Chart = ReturnType<typeof echarts.init>;

export interface EChartProps {
  option: Record<string, unknown>;
  /** Charts sharing a group share the crosshair. */
  group?: string;
  /** Called with the time window the user dragged across (x axis must be a time axis). */
  onZoom?: (startMs: number, endMs: number) => void;
  /** Called with the index of the series clicked (line series need `triggerLineEvent` for their lines and areas). */
  onSeriesClick?: (seriesIndex: number) => void;
  className?: string;
  label: string;
}

const MIN_DRAG_PX = 6;

export function EChart({ option, group, onZoom, onSeriesClick, className, label }: EChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<Chart | null>(null);
  const zoomRef = useRef(onZoom);
  const clickRef = useRef(onSeriesClick);
  const [selection, setSelection] = useState<{ from: number; to: number } | null>(null);
  useEffect(() => {
    zoomRef.current = onZoom;
    clickRef.current = onSeriesClick;
  }, [onZoom, onSeriesClick]);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const instance = echarts.init(el, null, { renderer: "canvas" });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(el);

    // Drag-to-zoom: draw our own band instead of shipping ECharts' brush/dataZoom components.
    let dragStart: number | null = null;
    const zr = instance.getZr();
    const inGrid = (x: number, y: number) => instance.containPixel({ gridIndex: 0 }, [x, y]);
    zr.on("mousedown", (e) => {
      if (!zoomRef.current || !inGrid(e.offsetX, e.offsetY)) return;
      dragStart = e.offsetX;
    });
    zr.on("mousemove", (e) => {
      if (dragStart !== null) setSelection({ from: Math.min(dragStart, e.offsetX), to: Math.max(dragStart, e.offsetX) });
    });
    zr.on("mouseup", (e) => {
      const start = dragStart;
      dragStart = null;
      setSelection(null);
      if (start === null || Math.abs(e.offsetX - start) < MIN_DRAG_PX || !zoomRef.current) return;
      const [a, b] = [start, e.offsetX].map((x) => instance.convertFromPixel({ gridIndex: 0 }, [x, 0])[0] as number);
      zoomRef.current(Math.round(Math.min(a!, b!)), Math.round(Math.max(a!, b!)));
    });
    instance.on("click", (p) => {
      if (typeof p.seriesIndex === "number") clickRef.current?.(p.seriesIndex);
    });
    zr.on("globalout", () => {
      dragStart = null;
      setSelection(null);
    });
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true, lazyUpdate: true });
  }, [option]);

  useEffect(() => {
    const instance = chart.current;
    if (!instance || !group) return;
    instance.group = group;
    echarts.connect(group);
  }, [group]);

  return (
    <div className={`relative ${className ?? ""}`}>
      <div ref={host} role="img" aria-label={label} className="absolute inset-0" />
      {selection && (
        <div
          className="pointer-events-none absolute top-0 bottom-0 bg-sky-400/20 outline outline-1 outline-sky-400/60"
          style={{ left: selection.from, width: selection.to - selection.from }}
        />
      )}
    </div>
  );
}
