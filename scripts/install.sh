#!/usr/bin/env bash
# Install everything recover needs on a fresh Debian machine (run as root), then the package itself.
set -euo pipefail
cd "$(dirname "$0")/.."
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  # system packages: none are needed by the text pipeline yet; keep the hook for OCR/PDF stages
  APT_PACKAGES="${APT_PACKAGES:-}"
  if [ -n "$APT_PACKAGES" ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $APT_PACKAGES
  fi
fi
python3 -m pip install -q --disable-pip-version-check -e '.[dev]'
