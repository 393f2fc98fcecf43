#!/usr/bin/env bash
# Runs real test projects against the packed package, as a user meets it: `npm pack`, the tarball
# installed with npm into .pack/projects/, and jest 30 (CommonJS with the preset, ESM mode, and against one
# shared server with TWILIO_DOUBLE_URL), vitest 4,
# node's own runner (the nock door and the CommonJS builds), the example app (vitest and jest) and the
# web-login example (Playwright Test with Chromium) run there. The projects are copied from
# test/projects/<name>/ and examples/<name>/.
#
# The runners themselves (jest, vitest, @playwright/test, msw, nock, twilio, express, typescript, esbuild)
# are the repository's devDependencies: .pack/projects/ sits inside the repository, so Node finds them in ../../node_modules.
#
#   npm run test:projects            all projects
#   npm run test:projects -- vitest  only the projects whose name contains "vitest"
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$root/.pack/projects"
bin="$root/node_modules/.bin"
jest="$root/node_modules/jest/bin/jest.js"
only="${1:-}"

cd "$root" || exit 1
rm -rf "$work"
mkdir -p "$work"

# Build only when dist/ is older than what it is built from.
pack_flags=()
if [ -f dist/index.js ] && [ -z "$(find src tsup.config.ts package.json -newer dist/index.js -print -quit)" ]; then
  pack_flags=(--ignore-scripts)
  echo "dist/ is up to date: packing without rebuilding"
fi
tarball="$(npm pack --silent "${pack_flags[@]}" --pack-destination "$work" | tail -1)"
[ -f "$work/$tarball" ] || { echo "npm pack did not produce a tarball" >&2; exit 1; }
echo "packed $tarball"

echo '{ "name": "twilio-double-test-projects", "private": true }' >"$work/package.json"
(cd "$work" && npm install --silent --no-save --no-package-lock --prefer-offline --no-audit --no-fund \
  --ignore-scripts "./$tarball") || { echo "installing $tarball failed" >&2; exit 1; }

for dir in test/projects/*/ examples/*/; do
  [ -f "$dir/package.json" ] && cp -R "$dir" "$work/$(basename "$dir")"
done

passed=()
failed=()
step() {
  local name="$1" project="$2"
  shift 2
  if [ -n "$only" ] && [[ "$name" != *"$only"* ]]; then return; fi
  echo
  echo "=== $name ($project): $*"
  if (cd "$work/$project" && "$@"); then passed+=("$name"); else failed+=("$name"); fi
}

export CI=true
cache="$work/.jest-cache"
step jest-cjs jest-cjs node "$jest" --cacheDirectory "$cache"
step jest-esm jest-esm node --experimental-vm-modules "$jest" --cacheDirectory "$cache"
# one shared server (TWILIO_DOUBLE_URL) and a tenant of it per jest worker
step jest-shared jest-shared node run.mjs "$jest" --cacheDirectory "$cache"
step vitest vitest "$bin/vitest" run
step vitest-types vitest "$bin/tsc" -p .
step node-doors node-doors node --test
step otp-app-vitest otp-app "$bin/vitest" run
step otp-app-jest otp-app node "$jest" --cacheDirectory "$cache"
step otp-app-types otp-app "$bin/tsc" -p .
# a browser test (Playwright Test) reading the code sent by SMS; its Chromium is the one the suite's browser
# tests find (CHROMIUM_PATH, /usr/bin/chromium, or the one inside the devDependency @sparticuz/chromium)
if [ -z "$only" ] || [[ web-login == *"$only"* ]]; then
  chromium_env=($(node --import tsx "$root/scripts/chromium-env.ts")) || { echo "no Chromium for web-login" >&2; exit 1; }
  step web-login web-login env "${chromium_env[@]}" node "$root/node_modules/@playwright/test/cli.js" test
fi

echo
if [ "${#failed[@]}" -gt 0 ]; then
  echo "test projects failed: ${failed[*]} (passed: ${passed[*]:-none})"
  exit 1
fi
if [ "${#passed[@]}" -eq 0 ]; then
  echo "no test project matched '$only'"
  exit 1
fi
echo "test projects passed: ${passed[*]}"
