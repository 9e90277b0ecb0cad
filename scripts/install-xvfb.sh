#!/bin/sh
# Installs the Debian packages needed to run the real window on a virtual X screen (for manual
# checks and `make xvfb-run`); the test suite itself uses Qt's offscreen platform and needs none.
set -e
if command -v Xvfb >/dev/null 2>&1 && [ -e /usr/lib/x86_64-linux-gnu/libxcb-icccm.so.4 ] || [ -e /usr/lib/aarch64-linux-gnu/libxcb-icccm.so.4 ]; then exit 0; fi
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq xvfb x11-apps xdotool imagemagick libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 libxcb-xkb1 libxkbcommon-x11-0 libxcb-randr0 libxcb-shape0 libxcb-xinerama0 libxcb-xfixes0 >/dev/null
