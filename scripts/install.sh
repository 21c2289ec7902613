#!/usr/bin/env bash
# Installs moksori and what it needs on a fresh Debian machine.
#   bash scripts/install.sh          the package, the Korean font and a Java runtime (for KoNLPy)
#   bash scripts/install.sh --test   also the test tools: PostgreSQL, Chromium, poppler-utils (pdftoppm), pytest plug-ins
set -euo pipefail
cd "$(dirname "$0")/.."

with_tests=0
[ "${1:-}" = "--test" ] && with_tests=1

debs=(fonts-nanum)
command -v java >/dev/null 2>&1 || debs+=(default-jre-headless)
if [ "$with_tests" = 1 ]; then
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || debs+=(postgresql)
    command -v chromium >/dev/null 2>&1 || debs+=(chromium)
    command -v pdftoppm >/dev/null 2>&1 || debs+=(poppler-utils)
fi
missing=()
for deb in "${debs[@]}"; do
    dpkg -s "$deb" >/dev/null 2>&1 || missing+=("$deb")
done
if [ "${#missing[@]}" -gt 0 ]; then
    sudo_cmd=""
    [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python3 -m pip install -q --disable-pip-version-check -e '.[dev]'
java -version >/dev/null 2>&1 && echo "java: ok (KoNLPy backend available)"
