# shellcheck shell=bash
# Shared by scripts/demo and scripts/test. Source it; do not run it.
# Expects the caller to have `set -euo pipefail` and to be in the repository root.

VENV="${VENV:-.venv}"
PY="$VENV/bin/python"
_APT_UPDATED=0

if [ -t 1 ]; then _B=$'\e[1m' _R=$'\e[31m' _N=$'\e[0m'; else _B='' _R='' _N=''; fi

say() { printf '%s==> %s%s\n' "$_B" "$*" "$_N"; }
warn() { printf '%sWARNING:%s %s\n' "$_R" "$_N" "$*" >&2; }
die() {
    printf '%sERROR:%s %s\n' "$_R" "$_N" "$*" >&2
    exit 1
}

is_root() { [ "$(id -u)" -eq 0 ]; }

# apt_install PACKAGE...: install Debian packages when running as root; return 1 otherwise.
apt_install() {
    is_root && command -v apt-get >/dev/null || return 1
    if [ "$_APT_UPDATED" -eq 0 ]; then
        say "apt-get update"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        _APT_UPDATED=1
    fi
    say "apt-get install $*"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

_python_ok() {
    "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null
}

find_python() {
    local candidate
    for candidate in "${PYTHON:-}" python3.13 python3.12 python3.11 python3; do
        [ -n "$candidate" ] && command -v "$candidate" >/dev/null || continue
        if _python_ok "$candidate"; then
            echo "$candidate"
            return 0
        fi
    done
    die "Python 3.11 or newer is needed (set PYTHON=/path/to/python3.11 if it is not on PATH)."
}

_hash_files() { cat "$@" | sha256sum | cut -d' ' -f1; }

# ensure_venv REQUIREMENTS_FILE [MORE_FILES_THAT_FEED_IT...]
# Creates $VENV if missing and installs the requirements, skipping pip when the files are unchanged.
ensure_venv() {
    local requirements="$1"
    if [ ! -x "$PY" ] || ! _python_ok "$PY"; then
        local python
        python="$(find_python)"
        if [ -e "$VENV" ]; then
            # Only ever delete something that is a virtualenv.
            [ -f "$VENV/pyvenv.cfg" ] || die "$VENV exists but is not a virtualenv; move it away or set VENV."
            rm -rf "$VENV"
        fi
        say "Creating virtualenv $VENV with $("$python" --version)"
        if ! "$python" -m venv "$VENV"; then
            rm -rf "$VENV"
            # Debian and Ubuntu ship venv support as a separate package.
            apt_install python3-venv && "$python" -m venv "$VENV" ||
                die "Could not create a virtualenv. On Debian/Ubuntu: sudo apt-get install python3-venv"
        fi
    fi
    local stamp want
    stamp="$VENV/.installed-$(basename "$requirements").sha256"
    want="$(_hash_files "$@")"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        say "Python packages from $requirements already installed"
        return 0
    fi
    say "Installing Python packages from $requirements (first run takes a minute or two)"
    "$PY" -m pip install --quiet --disable-pip-version-check --upgrade pip
    "$PY" -m pip install --quiet --disable-pip-version-check -r "$requirements"
    echo "$want" >"$stamp"
}

# Front-end assets (GOV.UK Frontend) are built only once a package.json exists.
build_frontend() {
    [ -f package.json ] || return 0
    if ! command -v npm >/dev/null; then
        apt_install nodejs npm ||
            die "package.json is present, so Node.js and npm are needed to build the front end. Install Node.js 20+ with npm (Debian: sudo apt-get install nodejs npm)."
    fi
    local stamp="node_modules/.installed.sha256" want manifests=(package.json)
    [ -f package-lock.json ] && manifests+=(package-lock.json)
    want="$(_hash_files "${manifests[@]}")"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        say "npm packages already installed"
    else
        say "npm ci"
        npm ci --no-audit --no-fund
        echo "$want" >"$stamp"
    fi
    # Rebuild only when an input changed: the sources, the lock file or the build script.
    local built="mobility/static/dist/.built.sha256" inputs
    inputs="$(find package.json package-lock.json mobility/static/src scripts/build-frontend.mjs \
        -type f -print0 2>/dev/null | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)"
    if [ -f "$built" ] && [ "$(cat "$built")" = "$inputs" ]; then
        say "Front-end assets are up to date"
        return 0
    fi
    say "npm run build"
    npm run build
    [ -d "$(dirname "$built")" ] && echo "$inputs" >"$built"
}

# url_host_port URL DEFAULT_PORT -> "host port"
url_host_port() {
    "$PY" - "$1" "$2" <<'EOF'
import sys
from urllib.parse import urlsplit

url = urlsplit(sys.argv[1])
print(url.hostname or "127.0.0.1", url.port or int(sys.argv[2]))
EOF
}

# port_open HOST PORT: true when something accepts TCP connections there.
port_open() {
    "$PY" - "$1" "$2" <<'EOF'
import socket
import sys

try:
    socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=1).close()
except OSError:
    sys.exit(1)
EOF
}

is_local_host() { case "$1" in 127.0.0.1 | localhost | ::1) return 0 ;; *) return 1 ;; esac; }

# ensure_database: create the PostgreSQL database named in DATABASE_URL if it does not exist.
ensure_database() {
    "$PY" - <<'PYTHON'
import os

import environ
import psycopg
from psycopg import errors, sql

db = environ.Env.db_url_config(os.environ["DATABASE_URL"])
params = {"host": db["HOST"], "port": db["PORT"], "user": db["USER"], "password": db["PASSWORD"]}
try:
    with psycopg.connect(dbname="postgres", autocommit=True, **{k: v for k, v in params.items() if v}) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]).fetchone():
            print(f"==> Creating database {db['NAME']}")
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
except (errors.DuplicateDatabase, errors.UniqueViolation):
    pass  # created by someone else meanwhile
except psycopg.Error as error:
    print(f"WARNING: could not create database {db['NAME']}: {error}".strip())
PYTHON
}

# wait_for NAME SECONDS COMMAND...: poll COMMAND once a second until it succeeds.
wait_for() {
    local name="$1" seconds="$2"
    shift 2
    local i
    for ((i = 0; i < seconds; i++)); do
        "$@" >/dev/null 2>&1 && return 0
        sleep 1
    done
    die "$name did not become ready within ${seconds}s."
}
