#!/usr/bin/env bash
# The newest majors on a newer Node: installs Node 24 from the npm registry (the package
# node-linux-<arch>@24 ships the binary) under .node24/, and msw 3, nock 15, vitest 5 and
# @pact-foundation/pact 17 beside a copy of src/ and test/, then runs with Node 24 the integration tests of the
# doors (msw, nock, the twilio client's httpClient, and the vitest setup entry with the matchers) and the Pact
# tests against them; and a jest 30 project in CommonJS mode whose whole setup is `preset: 'twilio-double'`
# (test/projects/jest-cjs) against the packed package with msw 3. Nothing needs an install script (npm 11 runs
# none): Pact's native library comes in a package of its own (@pact-foundation/pact-core-<platform>).
#
#   npm run test:newest                  install what is missing, run the tests
#   NEWEST_REFRESH=1 npm run test:newest install everything again (newer patch releases)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$root/.node24"
work="$dir/work"

case "$(uname -m)" in
  x86_64 | amd64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "newest-majors: no node-linux package for $(uname -m)" >&2; exit 1 ;;
esac

# What the package supports at the top of its peer ranges (package.json "peerDependencies").
MAJORS=(msw@^3 nock@^15 vitest@^5 @pact-foundation/pact@^17)
# The door tests (vitest file filters): every test/integration file, and the runner tests that need no jest.
TESTS=(
  test/integration/
  test/runners/nock.test.ts
  test/runners/unhandled.test.ts
  test/runners/matchers.test.ts
  test/runners/vitest-entry.test.ts
  test/pact/
)
# The jest project: jest 30 in CommonJS mode with the preset, msw 3 and the packed package.
JEST_MAJORS=(jest@^30 msw@^3 twilio@^6)

if [ -n "${NEWEST_REFRESH:-}" ]; then rm -rf "$dir"; fi
mkdir -p "$dir/node" "$work"

# The packed package for the jest project, packed with the Node that runs npm here (built only when dist/ is
# older than what it is built from).
pack_flags=()
if [ -f "$root/dist/index.js" ] && [ -z "$(cd "$root" && find src tsup.config.ts package.json -newer dist/index.js -print -quit)" ]; then
  pack_flags=(--ignore-scripts)
fi
rm -f "$dir"/twilio-double-*.tgz
tarball="$dir/$(cd "$root" && npm pack --silent "${pack_flags[@]}" --pack-destination "$dir" | tail -1)"

node24="$dir/node/node_modules/node-linux-$arch/bin/node"
if [ ! -x "$node24" ]; then
  echo "installing node-linux-$arch@24 into .node24/node"
  npm install --silent --prefix "$dir/node" --no-save --no-package-lock --no-audit --no-fund "node-linux-$arch@24"
fi
# npm and every runner below run on Node 24 (engine checks included)
export PATH="$(dirname "$node24"):$PATH"
echo "node $(node --version)"

# A copy of the sources and tests, so that their imports resolve to the newest majors installed beside them.
rm -rf "$work/src" "$work/test" "$work/contracts" "$work/inbox"
# inbox/: the standalone server the Pact provider tests start serves it
cp -R "$root/src" "$root/test" "$root/contracts" "$root/inbox" "$work/"
cp "$root/tsconfig.json" "$work/"

# the dependencies, twilio, and the devDependencies the build bundles into dist/ (`bundled` in tsup.config.ts),
# which the copied sources import
deps=$(cd "$root" && node -e '
  const p = require("./package.json")
  const out = Object.entries(p.dependencies).map(([n, v]) => `${n}@${v}`)
  const bundled = /export const bundled = \[([^\]]*)\]/.exec(require("fs").readFileSync("tsup.config.ts", "utf8"))[1]
  for (const n of ["twilio", ...bundled.match(/[^\s,\x27]+/g)]) out.push(`${n}@${p.devDependencies[n]}`)
  console.log(out.join(" "))')
# installed again when the list of what is installed changes
wanted="${MAJORS[*]} $deps"
if [ "$(cat "$work/.installed" 2>/dev/null)" != "$wanted" ]; then
  rm -rf "$work/node_modules"
  echo '{ "name": "twilio-double-newest-majors", "private": true, "type": "module" }' >"$work/package.json"
  echo "installing into .node24/work: $wanted"
  # shellcheck disable=SC2086
  (cd "$work" && npm install --silent --no-audit --no-fund --no-package-lock "${MAJORS[@]}" $deps)
  echo "$wanted" >"$work/.installed"
fi

# the jest project: the packed package installed anew each run, the runners kept
jest_dir="$dir/jest-cjs"
mkdir -p "$jest_dir"
rm -rf "$jest_dir/test" "$jest_dir/node_modules/twilio-double"
cp -R "$root/test/projects/jest-cjs/." "$jest_dir/"
echo "installing into .node24/jest-cjs: $(basename "$tarball") ${JEST_MAJORS[*]}"
(cd "$jest_dir" && npm install --silent --no-audit --no-fund --no-package-lock --no-save "$tarball" "${JEST_MAJORS[@]}")

cat >"$work/vitest.config.ts" <<'EOF'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: { testTimeout: 20_000, hookTimeout: 30_000 },
})
EOF

cd "$work"
check_majors='
  const [dir, want] = [process.argv[1], JSON.parse(process.argv[2])]
  for (const [name, major] of Object.entries(want)) {
    const v = require(`${dir}/node_modules/${name}/package.json`).version
    console.log(`${name} ${v}`)
    if (Number(v.split(".")[0]) !== major) { console.error(`${name} ${v} is not major ${major}`); process.exit(1) }
  }
  if (Number(process.versions.node.split(".")[0]) !== 24) { console.error("not Node 24"); process.exit(1) }
'
node -e "$check_majors" "$work" '{ "msw": 3, "nock": 15, "vitest": 5, "@pact-foundation/pact": 17 }'
node -e "$check_majors" "$jest_dir" '{ "jest": 30, "msw": 3 }'

status=0
echo
echo "=== jest 30, CommonJS mode, preset: 'twilio-double' alone, msw 3 (test/projects/jest-cjs)"
(cd "$jest_dir" && CI=true node node_modules/jest/bin/jest.js --no-cache) || status=1
echo
echo "=== vitest 5: the doors and the Pact tests"
export PACT_DO_NOT_TRACK=true
# Pact 17 writes the reference consumer's pact with its own metadata: the copy's committed pact is replaced by the
# one Pact 17 writes (the repository's file stays Pact 16's), and the provider tests verify that one
UPDATE_PACTS=1 node ./node_modules/vitest/vitest.mjs run "${TESTS[@]}" || status=1
exit "$status"
