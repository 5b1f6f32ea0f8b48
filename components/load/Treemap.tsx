"use client";
// Client → verb → resource as a nested treemap, drawn in SVG (labels are React text, so escaped); a click on a
// tile filters by its path.
import { useMemo } from "react";
import { CHART_THEMES } from "@/components/charts/theme";
import { useElementWidth } from "@/components/panels/use-element-width";
import { useTheme } from "@/components/view/use-theme";
import { shorten } from "@/lib/escape";
import { formatValue } from "@/lib/format";
import { buildTree, layoutTree } from "@/lib/load/treemap";

/** The panel body (h-72) less its padding. */
const HEIGHT = 272;
const HEADER = 16;

export function Treemap({ rows, onPick }: { rows: ReadonlyArray<{ keys: string[] | null; requests: number }>; onPick: (path: string[]) => void }) {
  const [ref, width] = useElementWidth<HTMLDivElement>(1);
  const { theme } = useTheme();
  const colors = CHART_THEMES[theme];
  const tree = useMemo(() => buildTree(rows), [rows]);
  const tiles = useMemo(() => (width > 0 ? layoutTree(tree, { x: 0, y: 0, w: width, h: HEIGHT }, HEADER) : []), [tree, width]);
  const clientColor = new Map(tree.children.map((c, i) => [c.name, colors.palette[i % colors.palette.length]!]));
  return (
    <div className="h-full p-2">
      <div ref={ref} className="w-full">
        <svg width={width} height={HEIGHT} role="img" aria-label="Requests by client, verb and resource" data-testid="treemap">
          {tiles.map((t) => {
            const base = clientColor.get(t.node.path[0] ?? t.node.name) ?? colors.mutedText;
            const label = t.node.name || "(none)";
            const fits = t.w > 36 && t.h > 13;
            const title = `${(t.node.path.length > 0 ? t.node.path : [t.node.name]).map((k) => k || "(none)").join(" → ")}: ${t.node.value.toLocaleString("en-US")} requests (${formatValue(t.node.value / tree.value, "ratio")})`;
            return (
              <g key={`${t.depth}:${t.node.path.join("\u0000") || t.node.name}`} onClick={() => t.node.path.length > 0 && onPick(t.node.path)} className={t.node.path.length > 0 ? "cursor-pointer" : undefined}>
                <title>{title}</title>
                <rect x={t.x} y={t.y} width={Math.max(0, t.w)} height={Math.max(0, t.h)} fill={base} fillOpacity={0.18 + 0.22 * t.depth} stroke={colors.gridLine} strokeWidth={1} />
                {fits && (
                  <text x={t.x + 4} y={t.y + 12} fontSize={11} fill={colors.text} pointerEvents="none">
                    {shorten(label, Math.max(3, Math.floor((t.w - 8) / 6.5)))}
                  </text>
                )}
              </g>
            );
          })}
        </svg>
      </div>
    </div>
  );
}
