#!/usr/bin/env bash
# The newest majors on a newer Node: installs Node 24 from the npm registry (the package
# node-linux-<arch>@24 ships the binary) under .node24/, and msw 3, nock 15 and vitest 5 beside a copy of
# src/ and test/, then runs the integration tests of the doors (msw, nock, the twilio client's httpClient,
# and the vitest setup entry with the matchers) with Node 24 against them.
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
MAJORS=(msw@^3 nock@^15 vitest@^5)
# The door tests (vitest file filters): every test/integration file, and the runner tests that need no jest.
TESTS=(
  test/integration/
  test/runners/nock.test.ts
  test/runners/unhandled.test.ts
  test/runners/matchers.test.ts
  test/runners/vitest-entry.test.ts
)

if [ -n "${NEWEST_REFRESH:-}" ]; then rm -rf "$dir"; fi
mkdir -p "$dir/node" "$work"

node24="$dir/node/node_modules/node-linux-$arch/bin/node"
if [ ! -x "$node24" ]; then
  echo "installing node-linux-$arch@24 into .node24/node"
  npm install --silent --prefix "$dir/node" --no-save --no-package-lock --no-audit --no-fund "node-linux-$arch@24"
fi
# npm and every runner below run on Node 24 (engine checks included)
export PATH="$(dirname "$node24"):$PATH"
echo "node $(node --version)"

# A copy of the sources and tests, so that their imports resolve to the newest majors installed beside them.
rm -rf "$work/src" "$work/test" "$work/contracts"
cp -R "$root/src" "$root/test" "$root/contracts" "$work/"
cp "$root/tsconfig.json" "$work/"

if [ ! -d "$work/node_modules/vitest" ] || [ -n "${NEWEST_REFRESH:-}" ]; then
  # the dependencies, twilio, and the devDependencies the build bundles into dist/ (`bundled` in
  # tsup.config.ts), which the copied sources import
  deps=$(cd "$root" && node -e '
    const p = require("./package.json")
    const out = Object.entries(p.dependencies).map(([n, v]) => `${n}@${v}`)
    const bundled = /export const bundled = \[([^\]]*)\]/.exec(require("fs").readFileSync("tsup.config.ts", "utf8"))[1]
    for (const n of ["twilio", ...bundled.match(/[^\s,\x27]+/g)]) out.push(`${n}@${p.devDependencies[n]}`)
    console.log(out.join(" "))')
  echo '{ "name": "twilio-double-newest-majors", "private": true, "type": "module" }' >"$work/package.json"
  echo "installing into .node24/work: ${MAJORS[*]} $deps"
  # shellcheck disable=SC2086
  (cd "$work" && npm install --silent --no-audit --no-fund --no-package-lock "${MAJORS[@]}" $deps)
fi

cat >"$work/vitest.config.ts" <<'EOF'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: { testTimeout: 20_000, hookTimeout: 30_000 },
})
EOF

cd "$work"
node -e '
  const want = { msw: 3, nock: 15, vitest: 5 }
  for (const [name, major] of Object.entries(want)) {
    const v = require(`./node_modules/${name}/package.json`).version
    console.log(`${name} ${v}`)
    if (Number(v.split(".")[0]) !== major) { console.error(`${name} ${v} is not major ${major}`); process.exit(1) }
  }
  if (Number(process.versions.node.split(".")[0]) !== 24) { console.error("not Node 24"); process.exit(1) }
'
exec node ./node_modules/vitest/vitest.mjs run "${TESTS[@]}"
