// The non-chart states of a panel, in one place so every panel says the same things the same way.

export function PanelSkeleton() {
  return (
    <div className="flex h-full flex-col justify-end gap-2 p-2" aria-label="loading">
      <div className="h-full animate-pulse rounded bg-slate-200/70 dark:bg-slate-800/70" />
    </div>
  );
}

export function PanelMessage({ tone, title, message, action }: {
  tone: "error" | "notice" | "empty";
  title: string;
  message: string;
  action?: { label: string; onClick: () => void };
}) {
  const colors = {
    error: "border-red-300 bg-red-50 text-red-900 dark:border-red-900/70 dark:bg-red-950/40 dark:text-red-200",
    notice: "border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-900/60 dark:bg-amber-950/30 dark:text-amber-200",
    empty: "border-slate-200 bg-slate-50 text-slate-600 dark:border-slate-800 dark:bg-slate-900/40 dark:text-slate-400",
  }[tone];
  return (
    <div className="flex h-full items-center justify-center p-3">
      <div role={tone === "error" ? "alert" : "status"} className={`max-w-md rounded-md border px-3 py-2 text-sm ${colors}`}>
        <div className="font-medium">{title}</div>
        <div className="mt-0.5 break-words">{message}</div>
        {action && (
          <button type="button" onClick={action.onClick} className="mt-2 rounded border border-current px-2 py-0.5 text-xs hover:opacity-80">
            {action.label}
          </button>
        )}
      </div>
    </div>
  );
}
