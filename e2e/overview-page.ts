// Page object for the control-plane overview.
import type { Page, Response } from "@playwright/test";
import type { PanelAnswer, TimeseriesData } from "@/lib/panels/types";
import { expect, panelStates } from "./fixtures";

export class OverviewPage {
  constructor(readonly page: Page) {}

  async open(query = ""): Promise<void> {
    await this.page.goto(query ? `/?${query}` : "/");
  }

  panel(id: string) {
    return this.page.locator(`[data-panel="${id}"]`);
  }

  states(): Promise<Record<string, string>> {
    return panelStates(this.page);
  }

  /** The answer a panel drew (the envelope's data), caught on the wire as the page fetches it. */
  waitForPanelData(id: string, match: (url: URL) => boolean = () => true): Promise<PanelAnswer> {
    return this.page
      .waitForResponse((r: Response) => {
        const url = new URL(r.url());
        return url.pathname === `/api/panels/${id}` && match(url);
      })
      .then(async (r) => {
        const body = (await r.json()) as { status: string; data?: PanelAnswer };
        if (body.status !== "success" || !body.data) throw new Error(`expected panel data, got ${JSON.stringify(body).slice(0, 200)}`);
        return body.data;
      });
  }

  async chooseRelativeRange(label: string): Promise<void> {
    await this.page.getByTestId("time-range").click();
    await this.page.getByRole("dialog", { name: "Time range" }).getByRole("button", { name: label, exact: true }).click();
  }

  async copyLink(): Promise<string> {
    await this.page.getByTestId("copy-link").click();
    const input = this.page.getByTestId("shared-link");
    await expect(input).toBeVisible();
    return input.inputValue();
  }
}

export function asTimeseries(data: PanelAnswer): TimeseriesData {
  if (data.status !== "ok" || data.kind !== "timeseries") throw new Error(`expected time series data, got ${JSON.stringify(data).slice(0, 200)}`);
  return data;
}

/** Largest value of the named series within [fromMs, toMs). */
export function peak(data: TimeseriesData, name: RegExp, fromMs: number, toMs: number): number {
  let max = 0;
  for (const s of data.series) {
    if (!name.test(s.name)) continue;
    for (const [t, v] of s.points) if (t >= fromMs && t < toMs && v !== null && v > max) max = v;
  }
  return max;
}
