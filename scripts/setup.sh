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
    qml6-module-qtcharts qml6-module-qttest qt6-qpa-plugins
    sqlite3 libsqlite3-dev zlib1g-dev fonts-dejavu-core
    gnome-keyring dbus-daemon libsecret-1-0 clang-14 libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
        missing+=("$p")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "setup: all ${#packages[@]} packages already installed"
    exit 0
fi

echo "setup: installing ${#missing[@]} missing package(s): ${missing[*]}"
as_root=()
if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null; then
        echo "setup: need root to install packages (run as root, or install sudo)" >&2
        exit 1
    fi
    as_root=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq "${missing[@]}"
echo "setup: done"
