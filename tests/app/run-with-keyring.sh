#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs "$@" on a private D-Bus session with a real Secret Service (gnome-keyring) whose
# login keyring is created and unlocked with an empty password, in a throw-away home.
# Usage: dbus-run-session -- run-with-keyring.sh COMMAND...
set -eu
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
export HOME="$home" XDG_DATA_HOME="$home/data" XDG_RUNTIME_DIR="$home/run"
mkdir -p "$XDG_DATA_HOME" && mkdir -m 700 "$XDG_RUNTIME_DIR"
eval "$(echo '' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL XEROML_TEST_KEYRING=1
"$@"
