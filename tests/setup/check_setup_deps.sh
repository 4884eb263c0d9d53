#!/usr/bin/env bash
# Would `scripts/setup.sh` be enough on a fresh machine? Runs the workplace's
# check-setup-deps on this build tree: it fails when the build used a Debian
# package that neither the fresh image has nor setup.sh installs (a package
# installed by hand once hid the OpenCL headers Debian's oneDNN config needs).
#
#   check_setup_deps.sh SOURCE_DIR BUILD_DIR
#
# The tool sits in shared/tools next to the project checkout. A CI clone may
# live elsewhere, so the folder next to the clone's origin is tried as well.
# FORMBENCH_SETUP_DEPS_TOOL and FORMBENCH_IMAGE_LIST override both.
# Exit 77 (ctest's skip) when the tool or the fresh-image list is not here.
set -uo pipefail
src=$1
build=$2
skip() { echo "SKIPPED: $*"; exit 77; }

candidates=()
[ -n "${FORMBENCH_SETUP_DEPS_TOOL:-}" ] && candidates+=("$FORMBENCH_SETUP_DEPS_TOOL")
candidates+=("$src/../shared/tools/check-setup-deps")
origin=$(git -C "$src" config --get remote.origin.url 2>/dev/null || true)
case "$origin" in
  /*) candidates+=("$origin/../shared/tools/check-setup-deps") ;;
  file://*) candidates+=("${origin#file://}/../shared/tools/check-setup-deps") ;;
esac
tool=""
for c in "${candidates[@]}"; do
  if [ -x "$c" ]; then tool=$c; break; fi
done
[ -n "$tool" ] || skip "check-setup-deps not found (looked at: ${candidates[*]})"

# The fresh-image list: the tool's own default unless overridden. The tool
# silently judges by setup.sh alone without it; this test says so instead.
image=${FORMBENCH_IMAGE_LIST:-$(sed -n 's/.*"--image", default="\([^"]*\)".*/\1/p' "$tool")}
[ -n "$image" ] && [ -f "$image" ] || skip "no fresh-image package list (${image:-unknown path})"
[ -d "$build" ] || skip "no build tree at $build"

cd "$src" || exit 1
exec "$tool" "$build" --setup "$src/scripts/setup.sh" --image "$image"
