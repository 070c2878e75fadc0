#!/usr/bin/env bash
# Debian's Chromium for the headless-browser test of example-app's chat page
# (test/e2e/chat-page.test.ts): playwright-core drives it and never downloads a browser of its own.
# Skipped when it is already there, so a machine that has it pays nothing. Needs root (CI runs as root).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
/usr/bin/chromium --version
