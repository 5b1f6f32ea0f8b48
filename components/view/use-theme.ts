"use client";
// Dark by default; the choice is a personal preference kept in localStorage, not part of a shared view.
// The <html> class is the single source of truth: a boot script sets it before first paint, React reads it.
import { useCallback, useSyncExternalStore } from "react";
import type { ThemeName } from "@/components/charts/theme";
import { THEME_STORAGE_KEY } from "./theme-boot";


function subscribe(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ["class"] });
  return () => observer.disconnect();
}

const readTheme = (): ThemeName => (document.documentElement.classList.contains("dark") ? "dark" : "light");

export function useTheme(): { theme: ThemeName; setTheme: (t: ThemeName) => void } {
  const theme = useSyncExternalStore(subscribe, readTheme, () => "dark" as const);
  const setTheme = useCallback((next: ThemeName) => {
    document.documentElement.classList.toggle("dark", next === "dark");
    try {
      localStorage.setItem(THEME_STORAGE_KEY, next);
    } catch {
      // Private mode: the choice lasts for this page only.
    }
  }, []);
  return { theme, setTheme };
}
