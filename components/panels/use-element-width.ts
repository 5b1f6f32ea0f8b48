"use client";
import { useEffect, useRef, useState } from "react";

/** Width of an element, rounded to `quantum` px so small resizes don't change query keys. 0 until measured. */
export function useElementWidth<T extends HTMLElement>(quantum = 100): [React.RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setWidth(Math.max(quantum, Math.round(el.clientWidth / quantum) * quantum));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [quantum]);
  return [ref, width];
}
