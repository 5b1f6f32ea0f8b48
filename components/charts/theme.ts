// Chart colours per theme. ECharts draws on canvas and cannot read CSS variables, so they live here.
export type ThemeName = "dark" | "light";

export interface ChartTheme {
  text: string;
  mutedText: string;
  gridLine: string;
  axisLine: string;
  tooltipBg: string;
  tooltipBorder: string;
  limit: string;
  palette: string[];
}

const PALETTE = ["#4e9af1", "#f5a524", "#36b37e", "#e5484d", "#a37cf0", "#2bc4c4", "#f17eb8", "#c9b458", "#7a8ca8", "#ff8b3d", "#8bd46e", "#5b6ee1"];

export const CHART_THEMES: Record<ThemeName, ChartTheme> = {
  dark: {
    text: "#d6dbe4",
    mutedText: "#8b93a3",
    gridLine: "#2a303c",
    axisLine: "#3a4150",
    tooltipBg: "#151a23",
    tooltipBorder: "#3a4150",
    limit: "#ff6369",
    palette: PALETTE,
  },
  light: {
    text: "#1f2633",
    mutedText: "#5b6475",
    gridLine: "#e4e7ec",
    axisLine: "#c5cad3",
    tooltipBg: "#ffffff",
    tooltipBorder: "#c5cad3",
    limit: "#d92d20",
    palette: PALETTE,
  },
};

/** Fixed colours for series whose meaning is a colour: response code classes. */
export const NAMED_COLORS: Record<string, string> = {
  "2xx": "#36b37e",
  "3xx": "#4e9af1",
  "4xx": "#f5a524",
  "429": "#ff7a1a",
  "5xx": "#e5484d",
};
