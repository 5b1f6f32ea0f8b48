"use client";

export default function RouteError({ error, reset }: { error: Error; reset: () => void }) {
  return (
    <div role="alert" className="mx-auto mt-16 max-w-lg rounded-md border border-red-300 bg-red-50 p-4 text-sm text-red-900 dark:border-red-900 dark:bg-red-950/40 dark:text-red-200">
      <div className="font-medium">This page failed to render</div>
      <div className="mt-1 break-words">{error.message}</div>
      <button type="button" onClick={reset} className="mt-3 rounded border border-current px-2 py-0.5">
        Try again
      </button>
    </div>
  );
}
