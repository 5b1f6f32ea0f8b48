// Chart colours per theme. ECharts draws on canvas and cannot read CSS variables, so they live here.
export type ThemeName = "dark" | "light";

export interface ChartTheme {
  /** The panel behind the chart (the charts themselves are transparent): what every colour must stand out from. */
  background: string;
  text: string;
  mutedText: string;
  gridLine: string;
  axisLine: string;
  tooltipBg: string;
  tooltipBorder: string;
  limit: string;
  palette: string[];
  /** Heatmap cells: one calm hue whose opacity grows with the count (no red: it would read as errors). */
  heat: string;
  /** Fixed colours for series whose meaning is a colour (response code classes), whatever else the chart holds. */
  named: Record<string, string>;
}

/** Colours for series without a meaning of their own: no red, orange or amber, which mean errors and throttling. */
const PALETTE = ["#4e9af1", "#36b37e", "#a37cf0", "#2bc4c4", "#f17eb8", "#7a8ca8", "#8bd46e", "#5b6ee1", "#a1887f", "#d8b4fe", "#93c5fd"];

// Response codes: 429 amber (throttled by APF) and 5xx red (server errors) are the two alarms, kept far apart in
// hue and lightness so they stay distinct with red-green colour blindness too (checked in options.test.ts); the
// others are calm: 2xx teal, 3xx blue, 4xx violet, 1xx and unclassified codes grey. Each theme has its own shades
// so that every line keeps its contrast against the background.
export const CHART_THEMES: Record<ThemeName, ChartTheme> = {
  dark: {
    background: "#0f172a", // Tailwind slate-900, the dark panel
    text: "#d6dbe4",
    mutedText: "#8b93a3",
    gridLine: "#2a303c",
    axisLine: "#3a4150",
    tooltipBg: "#151a23",
    tooltipBorder: "#3a4150",
    limit: "#ff6369",
    palette: PALETTE,
    heat: "#4e9af1",
    named: { "1xx": "#94a3b8", "2xx": "#2bb39a", "3xx": "#60a5fa", "4xx": "#a78bfa", "429": "#fbbf24", "5xx": "#dc2626", other: "#64748b" },
  },
  light: {
    background: "#ffffff",
    text: "#1f2633",
    mutedText: "#5b6475",
    gridLine: "#e4e7ec",
    axisLine: "#c5cad3",
    tooltipBg: "#ffffff",
    tooltipBorder: "#c5cad3",
    limit: "#d92d20",
    palette: PALETTE,
    heat: "#2563eb",
    named: { "1xx": "#64748b", "2xx": "#0f8a7a", "3xx": "#2563eb", "4xx": "#7c3aed", "429": "#b88600", "5xx": "#9b111e", other: "#94a3b8" },
  },
};
