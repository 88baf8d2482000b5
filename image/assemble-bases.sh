#!/usr/bin/env bash
# Assembles the two base images the Dockerfile takes as build arguments, from what this machine can
# reach without a container registry: the Node 22 binary the npm registry serves (the `node`
# devDependency), the system's C libraries it links against, and for the build stage, a shell and npm.
# The runtime base mirrors distroless/nodejs22: node at /nodejs/bin/node, user nonroot 65532, no shell.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${BUILDAH:=buildah --storage-driver vfs}"
RUNTIME_TAG=${RUNTIME_TAG:-localhost/irsa-doctor/runtime-base:22}
BUILD_TAG=${BUILD_TAG:-localhost/irsa-doctor/build-base:22}

node_bin=$(readlink -f node_modules/.bin/node)
[ -x "$node_bin" ] || { echo "assemble-bases: run npm ci first (no node_modules/.bin/node)" >&2; exit 1; }
"$node_bin" -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 22 ? 0 : 1)' ||
  { echo "assemble-bases: $node_bin is not Node 22+" >&2; exit 1; }

copy_with_libs() { # copy_with_libs ROOT BINARY DEST: a binary and every shared library it loads
  local root=$1 bin=$2 dest=$3
  install -D -m 0755 "$bin" "$root$dest"
  ldd "$bin" | awk '/=>/ {print $3} /^\t\/lib/ {print $1}' | while read -r lib; do
    [ -n "$lib" ] && [ -e "$lib" ] && install -D -m 0755 "$(readlink -f "$lib")" "$root$lib"
  done
}

# Runtime base.
ctr=$($BUILDAH from scratch)
root=$($BUILDAH mount "$ctr")
copy_with_libs "$root" "$node_bin" /nodejs/bin/node
mkdir -p "$root/etc" "$root/tmp" "$root/home/nonroot"
chmod 1777 "$root/tmp"
chown 65532:65532 "$root/home/nonroot"
printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' >"$root/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' >"$root/etc/group"
$BUILDAH config --user 65532:65532 --workingdir /home/nonroot --entrypoint '["/nodejs/bin/node"]' "$ctr"
$BUILDAH umount "$ctr" >/dev/null
$BUILDAH commit --quiet --rm "$ctr" "$RUNTIME_TAG" >/dev/null
echo "assemble-bases: $RUNTIME_TAG"

# Build base: the runtime base plus a shell, npm, and node on PATH, as the official node image has, and
# strip (binutils), which the Dockerfile would otherwise install from Debian's package archive.
ctr=$($BUILDAH from "$RUNTIME_TAG")
root=$($BUILDAH mount "$ctr")
copy_with_libs "$root" /bin/dash /bin/sh
command -v strip >/dev/null 2>&1 || { echo "assemble-bases: strip is missing (apt-get install binutils)" >&2; exit 1; }
copy_with_libs "$root" "$(readlink -f "$(command -v strip)")" /usr/bin/strip
mkdir -p "$root/usr/local/bin" "$root/usr/local/lib/node_modules" "$root/root"
ln -sf /nodejs/bin/node "$root/usr/local/bin/node"
cp -r "$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")" "$root/usr/local/lib/node_modules/npm"
printf '#!/bin/sh\nexec /nodejs/bin/node /usr/local/lib/node_modules/npm/bin/npm-cli.js "$@"\n' >"$root/usr/local/bin/npm"
chmod 0755 "$root/usr/local/bin/npm"
$BUILDAH config --user 0:0 --workingdir / --entrypoint '[]' --env PATH=/usr/local/bin:/nodejs/bin:/usr/bin:/bin "$ctr"
$BUILDAH umount "$ctr" >/dev/null
$BUILDAH commit --quiet --rm "$ctr" "$BUILD_TAG" >/dev/null
echo "assemble-bases: $BUILD_TAG"
