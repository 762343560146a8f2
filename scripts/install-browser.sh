#!/bin/sh
# Installs headless Chromium (Debian's `chromium` package) for the browser test of `kmemlab report`:
#   scripts/install-browser.sh && mvn -B verify -Pbrowser -pl boot -am
# Needs root (or sudo). Prints the browser's path; set KMEMLAB_CHROMIUM to use another binary.
set -eu
if command -v chromium >/dev/null 2>&1; then
    command -v chromium
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core
command -v chromium
