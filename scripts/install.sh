#!/usr/bin/env bash
# Install everything recover needs on a fresh Debian machine (run as root), then the package itself.
set -euo pipefail
cd "$(dirname "$0")/.."
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  # system packages: Tesseract with its Simplified Chinese model (the scan route), CJK fonts (rendered test
  # pages; AR PL and WenQuanYi besides Noto give `python3 -m devtools synth --printed` other faces to print in), LibreOffice
  # Writer without GUI (old binary .doc/.wps converted to DOCX), Chromium and its WebDriver (the end-to-end tests
  # of recover review drive the page headless through Selenium; `python3 -m devtools synth --printed` prints with it). Skipped when already installed,
  # so a second run is quick.
  APT_PACKAGES="${APT_PACKAGES:-tesseract-ocr tesseract-ocr-chi-sim fonts-noto-cjk fonts-arphic-uming fonts-arphic-ukai fonts-wqy-zenhei fonts-wqy-microhei libreoffice-writer-nogui chromium chromium-driver}"
  missing=""
  for pkg in $APT_PACKAGES; do dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"; done
  APT_PACKAGES="$missing"
  if [ -n "$APT_PACKAGES" ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $APT_PACKAGES
  fi
fi
python3 -m pip install -q --disable-pip-version-check -e '.[review,export,cluster,dev]'
