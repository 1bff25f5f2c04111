#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages OCR Desk's tests and tools use, if any are missing. Run by .ci/run and by
# the README's first command; safe to run again.
#   poppler-utils     pdftotext/pdftoppm check the searchable PDFs
#   tesseract-ocr     the peer the benchmarks compare with
#   qpdf              encrypts a PDF for the password tests
#   libxml2-utils     xmllint validates hOCR and ALTO
#   icc-profiles-free the sRGB profile embedded in PDF/A output
#   chromium          the browser the UI's end-to-end tests drive (playwright-core, never a downloaded one)
#   fonts-wqy-microhei a Chinese font, so the Chinese UI's screenshots show characters
set -euo pipefail
packages=(poppler-utils tesseract-ocr qpdf libxml2-utils icc-profiles-free chromium fonts-wqy-microhei)
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-system-packages: no apt-get here; install these with your package manager: ${packages[*]}" >&2
  exit 0
fi
missing=()
for pkg in "${packages[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
as_root=()
[ "$(id -u)" -ne 0 ] && as_root=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq "${missing[@]}"
