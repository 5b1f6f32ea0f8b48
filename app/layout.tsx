import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { Suspense } from "react";
import { NavLinks, PlainNavLinks } from "@/components/view/NavLinks";
import type { ReactNode } from "react";
import { Providers } from "@/components/view/Providers";
import { StatusBadge } from "@/components/view/StatusBadge";
import { THEME_BOOT_SCRIPT } from "@/components/view/theme-boot";
import { ThemeToggle } from "@/components/toolbar/ThemeToggle";
import "./globals.css";

export const metadata: Metadata = {
  title: "apiscope — Kubernetes control-plane observability",
  description: "Who is loading the API server, how badly, and how to stop it safely.",
  // Served from public/: the icon a tab shows, the one a browser asks for by itself, and the app manifest.
  icons: { icon: [{ url: "/icon.svg", type: "image/svg+xml" }, { url: "/favicon.ico", sizes: "32x32" }], apple: "/icon-192.png" },
  manifest: "/manifest.webmanifest",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The request's nonce (proxy.ts): the theme script runs under the page's Content-Security-Policy.
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    <html lang="en" className="dark" suppressHydrationWarning>
      <head>
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: THEME_BOOT_SCRIPT }} />
      </head>
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">
        <Providers>
          <header className="flex items-center gap-4 border-b border-slate-200 bg-white px-4 py-2 dark:border-slate-800 dark:bg-slate-900">
            <Link href="/" prefetch={false} className="font-semibold tracking-tight">
              apiscope
            </Link>
            <nav className="flex gap-3 text-sm text-slate-600 dark:text-slate-300">
              <Suspense fallback={<PlainNavLinks />}>
                <NavLinks />
              </Suspense>
            </nav>
            <div className="ml-auto flex items-center gap-2">
              <StatusBadge />
              <ThemeToggle />
            </div>
          </header>
          <main className="mx-auto max-w-[1800px] p-4">{children}</main>
        </Providers>
      </body>
    </html>
  );
}
