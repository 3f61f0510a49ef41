#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs the Debian 12 packages XeroML Dashboard needs to build, run and test.
# Idempotent: packages already installed are left alone; nothing is installed twice.
set -euo pipefail

packages=(
    cmake ninja-build g++ pkg-config
    qt6-base-dev qt6-declarative-dev qt6-declarative-dev-tools qt6-charts-dev
    qt6-httpserver-dev qt6-websockets-dev qtkeychain-qt6-dev libqt6sql6-sqlite
    qml6-module-qtqml qml6-module-qtqml-models qml6-module-qtqml-workerscript
    qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-templates
    qml6-module-qtquick-layouts qml6-module-qtquick-window qml6-module-qt-labs-qmlmodels
    qml6-module-qtcharts qml6-module-qttest qml6-module-qtquick-dialogs qt6-qpa-plugins
    sqlite3 libsqlite3-dev zlib1g-dev libxlsxwriter-dev fonts-dejavu-core fonts-wqy-microhei
    gnome-keyring dbus-daemon libsecret-1-0 clang-14 libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
        missing+=("$p")
    fi
done

# Node.js runs the real-SDK compatibility test (tests/compat): Debian's only when none is there.
if ! command -v node >/dev/null; then
    missing+=(nodejs npm)
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
    as_root=(sudo)
fi
if [ ${#missing[@]} -eq 0 ]; then
    echo "setup: all ${#packages[@]} packages already installed"
else
    echo "setup: installing ${#missing[@]} missing package(s): ${missing[*]}"
    if [ ${#as_root[@]} -gt 0 ] && ! command -v sudo >/dev/null; then
        echo "setup: need root to install packages (run as root, or install sudo)" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    "${as_root[@]}" apt-get update -qq
    "${as_root[@]}" apt-get install -y -qq "${missing[@]}"
fi

# The npm packages of tests/compat, exactly as package-lock.json pins them; again only when
# the lock file changed since the last install.
compat="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/tests/compat"
stamp="$compat/node_modules/.xeroml-installed-lock.json"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
    echo "setup: warning: Node.js $(node --version) is older than 20, which the Langfuse SDKs of" \
         "tests/compat need; install Node.js 20 or newer for that test" >&2
fi
if [ -f "$stamp" ] && cmp -s "$stamp" "$compat/package-lock.json"; then
    echo "setup: npm packages of tests/compat already installed"
else
    echo "setup: installing the npm packages of tests/compat (npm ci)"
    (cd "$compat" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$compat/package-lock.json" "$stamp"
fi
echo "setup: done"
