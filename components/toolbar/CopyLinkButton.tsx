"use client";
import { useState } from "react";
import { shareableView, type ViewState } from "@/lib/url-state";
import { viewUrl } from "@/components/view/use-view-state";

/** Copies a link with the time range pinned to absolute times, so a colleague sees the same window later. */
export function CopyLinkButton({ view }: { view: ViewState }) {
  const [link, setLink] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    const path = viewUrl(window.location.pathname, new URLSearchParams(window.location.search), shareableView(view, Date.now()));
    const url = `${window.location.origin}${path}`;
    setLink(url);
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      setCopied(false); // No clipboard (plain-http origin): the link is shown to copy by hand.
    }
  };
  return (
    <div className="relative flex items-center gap-1">
      <button type="button" onClick={() => void copy()} className="toolbar-button" data-testid="copy-link">
        {copied ? "Copied ✓" : "Copy link"}
      </button>
      {link && (
        <input
          readOnly
          aria-label="Shareable link"
          data-testid="shared-link"
          value={link}
          onFocus={(e) => e.currentTarget.select()}
          className="toolbar-input w-64"
        />
      )}
    </div>
  );
}
