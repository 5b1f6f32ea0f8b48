"use client";
import { MoonIcon, SunIcon } from "@/components/view/icons";
import { useTheme } from "@/components/view/use-theme";

export function ThemeToggle() {
  const { theme, setTheme } = useTheme();
  const next = theme === "dark" ? "light" : "dark";
  return (
    <button type="button" onClick={() => setTheme(next)} title={`Switch to the ${next} theme`} aria-label={`Switch to the ${next} theme`} className="toolbar-button">
      {theme === "dark" ? <SunIcon /> : <MoonIcon />}
    </button>
  );
}
