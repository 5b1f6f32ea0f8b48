#!/usr/bin/env bash
# Installs what apiscope needs and is missing: npm packages (npm ci), Debian's prometheus, and with
# --with-chromium what the tests need too (Debian's chromium for browser tests, jq as an independent reference
# for audit counts). Safe to run repeatedly; does nothing when all is there.
set -euo pipefail
cd "$(dirname "$0")/.."

with_chromium=false
[ "${1:-}" = "--with-chromium" ] && with_chromium=true

node_major=$(node -p 'process.versions.node.split(".")[0]')
node_minor=$(node -p 'process.versions.node.split(".")[1]')
if [ "$node_major" -lt 20 ] || { [ "$node_major" -eq 20 ] && [ "$node_minor" -lt 19 ]; }; then
  echo "apiscope needs Node.js 20.19 or newer (found $(node --version))" >&2
  exit 1
fi

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root to run: $*" >&2
    exit 1
  fi
}

packages=()
command -v prometheus >/dev/null && command -v promtool >/dev/null || packages+=(prometheus)
if $with_chromium && [ ! -x /usr/bin/chromium ]; then packages+=(chromium fonts-dejavu-core); fi
if $with_chromium && ! command -v jq >/dev/null; then packages+=(jq); fi
if [ ${#packages[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${packages[*]}"
  apt_install() { as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${packages[@]}"; }
  # A fresh machine may have no package lists yet.
  apt_install || { as_root apt-get -o DPkg::Lock::Timeout=300 update -qq && apt_install; }
fi

# npm ci when node_modules is missing or older than the lockfile.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi
