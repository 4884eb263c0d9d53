#!/usr/bin/env bash
# Docs that promise a guarantee name the test that shows it. This keeps the
# names true: every `Suite.Name` or `Suite.*` in the given docs must match a
# test ctest knows in this build tree.
#
#   named_tests_exist.sh BUILD_DIR DOC...
set -euo pipefail
build=$1; shift
known=$(ctest --test-dir "$build" -N | sed -n 's/^ *Test *#[0-9]*: //p')
[ -n "$known" ] || { echo "ctest -N listed no tests in $build"; exit 1; }
missing=0
for doc in "$@"; do
  # Backticked words shaped like a gtest name: Suite.Name, Suite.Prefix* or Suite.*.
  # File names such as `README.md` have the same shape and are left out.
  for name in $(grep -o '`[A-Z][A-Za-z0-9]*\.[A-Za-z0-9*]*`' "$doc" | tr -d '`' | sort -u); do
    [[ $name =~ \.(md|h|cpp|txt|toml|sh|json|csv|sqlite|svg|png|html|gp)$ ]] && continue
    if [[ $name == *'*' ]]; then
      grep -q "^${name%\*}" <<<"$known" && continue
    else
      grep -qx "$name" <<<"$known" && continue
    fi
    echo "$doc names test '$name', which this build does not have"
    missing=1
  done
done
exit $missing
