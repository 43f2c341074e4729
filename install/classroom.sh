#!/usr/bin/env bash
# Install the course for a whole class on one Linux server, under PREFIX.
#
#   sudo ./install/classroom.sh /opt/rcourse
#
# Run it as root. It makes PREFIX a Python environment that every user can
# run (JupyterHub, JupyterLab and the idle culler, pinned in
# install/requirements-hub.txt), installs configurable-http-proxy from npm
# into PREFIX/node, copies the Rust toolchain to PREFIX/rust when other users
# cannot read the current one, builds the kernel and installs it into PREFIX
# with `rcourse install --sys-prefix`. Everything under PREFIX ends up owned
# by root, readable by everyone and writable by root alone. The hub's
# configuration is copied to PREFIX/etc/jupyterhub/; start the hub (as root) with
#
#   PREFIX/bin/jupyterhub -f PREFIX/etc/jupyterhub/jupyterhub_config.py
#
# Safe to run again: finished steps are skipped.
set -euo pipefail
umask 022

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HUB_REQUIREMENTS="$ROOT/install/requirements-hub.txt"
REQUIREMENTS="$ROOT/install/requirements.txt"
# configurable-http-proxy, the hub's front door; 4.6.x runs on Debian 12's Node.js 18.
PROXY_VERSION="4.6.3"

# shellcheck source=install/common.sh
source "$ROOT/install/common.sh"
skip() { printf '    %s\n' "$*"; }

case "${1:-}" in
    -h | --help)
        sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    "") die "usage: $0 PREFIX (for example /opt/rcourse)" ;;
esac
[[ $# == 1 ]] || die "usage: $0 PREFIX (one argument; try --help)"
[[ "$(id -u)" == 0 ]] || die "run it as root: it installs for every user of the machine."
[[ "$1" == /* ]] || die "PREFIX must be an absolute path, not '$1'."
PREFIX="${1%/}"
[[ -n "$PREFIX" ]] || die "PREFIX cannot be /."

# The first `NAME==VERSION` pin of NAME in a requirements file.
pinned() { sed -n "s/^$1==\([^ ;#]*\).*/\1/p" "$2" | head -n 1; }

install -d -o root -g root -m 0755 "$PREFIX"

# --- Python environment --------------------------------------------------------
# The system's Python, never the one first on root's PATH: that one may live
# in root's home (pyenv, conda), which other users cannot enter.
SYSTEM_PYTHON=/usr/bin/python3
[[ -x "$SYSTEM_PYTHON" ]] || apt_install python3 || die "$SYSTEM_PYTHON is missing: install Python 3.10 or newer (Debian: python3)."
"$SYSTEM_PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 10))' ||
    die "$("$SYSTEM_PYTHON" --version 2>&1) is too old: Python 3.10 or newer is needed."

lab_pin="$(pinned jupyterlab "$HUB_REQUIREMENTS")"
[[ "$lab_pin" == "$(pinned jupyterlab "$REQUIREMENTS")" ]] ||
    die "install/requirements-hub.txt pins jupyterlab==$lab_pin, install/requirements.txt pins another version: make them agree."

if [[ ! -x "$PREFIX/bin/python" ]] || ! "$PREFIX/bin/python" -c 'import sys' >/dev/null 2>&1; then
    step "Creating the Python environment in $PREFIX (with $SYSTEM_PYTHON)"
    if ! "$SYSTEM_PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
        apt_install python3-venv || die "the venv module is missing: install it (Debian: python3-venv)."
    fi
    "$SYSTEM_PYTHON" -m venv "$PREFIX"
else
    skip "the Python environment in $PREFIX is there"
fi

REQ_HASH="$( (cat "$HUB_REQUIREMENTS" "$REQUIREMENTS"; "$PREFIX/bin/python" --version) | sha256sum | cut -d' ' -f1)"
REQ_STAMP="$PREFIX/.rcourse-requirements.sha256"
if [[ ! -f "$REQ_STAMP" || "$(cat "$REQ_STAMP")" != "$REQ_HASH" ]]; then
    step "Installing JupyterHub and JupyterLab from install/requirements-hub.txt"
    "$PREFIX/bin/python" -m pip install --quiet --disable-pip-version-check --no-cache-dir \
        -r "$HUB_REQUIREMENTS"
    echo "$REQ_HASH" >"$REQ_STAMP"
else
    skip "JupyterHub and JupyterLab are installed"
fi

# --- configurable-http-proxy -------------------------------------------------------
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    step "Installing Node.js and npm (Debian packages)"
    if command -v node >/dev/null 2>&1; then
        apt_install npm || die "npm is missing: install it (Debian: npm)."
    else
        apt_install nodejs npm || die "Node.js is missing: install it (Debian: nodejs npm)."
    fi
fi
PROXY="$PREFIX/node/node_modules/.bin/configurable-http-proxy"
installed_proxy="$(node -p 'require(process.argv[1]).version' \
    "$PREFIX/node/node_modules/configurable-http-proxy/package.json" 2>/dev/null || true)"
if [[ "$installed_proxy" != "$PROXY_VERSION" || ! -x "$PROXY" ]]; then
    step "Installing configurable-http-proxy $PROXY_VERSION into $PREFIX/node"
    mkdir -p "$PREFIX/node"
    npm install --prefix "$PREFIX/node" --no-fund --no-audit --loglevel=error \
        "configurable-http-proxy@$PROXY_VERSION" >/dev/null
else
    skip "configurable-http-proxy $PROXY_VERSION is installed"
fi

# --- Rust toolchain -----------------------------------------------------------------
if ! command -v cargo >/dev/null 2>&1 && [[ -f "$HOME/.cargo/env" ]]; then
    # shellcheck disable=SC1091
    source "$HOME/.cargo/env"
fi
command -v cargo >/dev/null 2>&1 || die "cargo was not found: install a Rust toolchain with rustup first."
if command -v rustup >/dev/null 2>&1 && ! (cd "$ROOT" && rustup component list --installed 2>/dev/null | grep -q '^rust-src'); then
    step "Adding the rust-src component (code completion and docs)"
    (cd "$ROOT" && rustup component add rust-src) ||
        warn "could not add rust-src: code completion and docs will not work until it is installed."
fi
if ! command -v ld.lld >/dev/null 2>&1; then
    step "Installing the lld linker (faster cell compilation)"
    apt_install lld || warn "could not install lld: cells will link with the default linker, which is slower."
fi

SYSROOT="$(cd "$ROOT" && rustc --print sysroot)"
TOOLCHAIN_ID="$(cd "$ROOT" && rustc -vV | sha256sum | cut -d' ' -f1)"

# Whether an ordinary user can run the toolchain in $1 (root's rustup
# toolchain lives in /root, which nobody else may enter).
readable_by_all() {
    id nobody >/dev/null 2>&1 &&
        runuser -u nobody -- "$1/bin/rustc" -vV >/dev/null 2>&1 &&
        runuser -u nobody -- "$1/bin/cargo" -V >/dev/null 2>&1
}

if [[ "$SYSROOT" == "$PREFIX/rust" ]]; then
    TOOLCHAIN="$SYSROOT"
elif readable_by_all "$SYSROOT"; then
    TOOLCHAIN="$SYSROOT"
    skip "the Rust toolchain in $SYSROOT is readable by every user"
else
    # A system-wide toolchain: a copy of this one that every user can run.
    TOOLCHAIN="$PREFIX/rust"
    STAMP="$TOOLCHAIN/.rcourse-toolchain"
    if [[ ! -f "$STAMP" || "$(cat "$STAMP")" != "$TOOLCHAIN_ID" ]]; then
        step "Copying the Rust toolchain to $TOOLCHAIN (other users cannot read $SYSROOT)"
        rm -rf "$TOOLCHAIN.new"
        if [[ "$(stat -c %d "$SYSROOT")" == "$(stat -c %d "$PREFIX")" ]]; then
            # Same filesystem: hard links, no extra space. (They share the
            # files' permissions, so the originals become world-readable too.)
            cp -al "$SYSROOT" "$TOOLCHAIN.new"
        else
            cp -a "$SYSROOT" "$TOOLCHAIN.new"
        fi
        chmod -R a+rX,go-w "$TOOLCHAIN.new"
        echo "$TOOLCHAIN_ID" >"$TOOLCHAIN.new/.rcourse-toolchain"
        rm -rf "$TOOLCHAIN"
        mv "$TOOLCHAIN.new" "$TOOLCHAIN"
    else
        skip "the system-wide Rust toolchain in $TOOLCHAIN is up to date"
    fi
    readable_by_all "$TOOLCHAIN" || die "the toolchain copied to $TOOLCHAIN does not run as an ordinary user."
fi

# --- The kernel -------------------------------------------------------------------------
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
step "Building the kernel (cargo build --release; the first build takes a while)"
# The same build as install/setup.sh's (the whole workspace with its tests):
# building one package alone unifies dependency features differently, and
# cargo would compile evcxr and its dependencies a second time.
(cd "$ROOT" && cargo build --release --locked --workspace --all-targets)
RCOURSE="$TARGET_DIR/release/rcourse"

# What an install depends on: the kernel, the toolchain and the course library.
INSTALL_HASH="$(
    {
        sha256sum "$RCOURSE"
        echo "$TOOLCHAIN $TOOLCHAIN_ID"
        (cd "$ROOT" && find course-lib -path '*/target' -prune -o -type f -print0 |
            sort -z | xargs -0 sha256sum)
    } | sha256sum | cut -d' ' -f1
)"
INSTALL_STAMP="$PREFIX/.rcourse-install.sha256"
KERNELSPEC="$PREFIX/share/jupyter/kernels/rcourse/kernel.json"
if [[ ! -f "$INSTALL_STAMP" || "$(cat "$INSTALL_STAMP")" != "$INSTALL_HASH" || ! -f "$KERNELSPEC" ]]; then
    step "Installing the kernel into $PREFIX (the first time prepares the course library)"
    rm -f "$INSTALL_STAMP"
    PATH="$TOOLCHAIN/bin:$PATH" VIRTUAL_ENV="$PREFIX" "$RCOURSE" install --sys-prefix
    echo "$INSTALL_HASH" >"$INSTALL_STAMP"
else
    skip "the kernel is installed in $PREFIX"
fi

HUB_CONFIG="$PREFIX/etc/jupyterhub/jupyterhub_config.py"
if ! cmp -s "$ROOT/install/jupyterhub_config.py" "$HUB_CONFIG"; then
    step "Copying the hub's configuration to $HUB_CONFIG"
    install -D -o root -g root -m 0644 "$ROOT/install/jupyterhub_config.py" "$HUB_CONFIG"
fi

# --- Ownership and permissions ------------------------------------------------------------
# Owned by root, readable by everyone, writable by root alone. Only what
# differs is changed, so a second run touches nothing.
fixed="$(find "$PREFIX" \( ! -user root -o ! -group root \) -print -exec chown -h root:root {} + | wc -l)"
fixed=$((fixed + $(find "$PREFIX" ! -type l \( -perm /022 -o ! -perm -444 -o \( -type d ! -perm -111 \) \) \
    -print -exec chmod a+rX,go-w {} + | wc -l)))
if ((fixed)); then
    step "Made $fixed path(s) under $PREFIX root-owned, world-readable and writable by root only"
fi

step "Ready. Start the hub as root with:"
printf '    %s/bin/jupyterhub -f %s\n' "$PREFIX" "$HUB_CONFIG"
