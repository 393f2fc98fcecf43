#!/usr/bin/env bash
# Packs the package, installs the tarball with twilio and msw into an empty folder, and runs the
# README's examples there (ESM, CommonJS, the standalone server, Twilio's Python client, types,
# check-pact): what a user meets is what is tested.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
no_peers="$(mktemp -d)" # beside, not inside: Node would find the first folder's msw from a folder within it
trap 'rm -rf "$work" "$no_peers"' EXIT
mkdir -p "$root/.pack"
tarball="$(cd "$root" && npm pack --silent --pack-destination .pack | tail -1)"
cd "$work"
echo '{ "name": "pack-smoke", "private": true, "type": "module" }' > package.json
npm install --silent --no-audit --no-fund --prefer-offline "$root/.pack/$tarball" twilio@^6 msw@^2.15 typescript@~6.0.3 @types/node@^20 >/dev/null
cp "$root"/scripts/pack-smoke/{esm.mjs,cjs.cjs,server.mjs,client.mjs,python.mjs,types.ts} .
node esm.mjs
node cjs.cjs
node server.mjs
node client.mjs
# Twilio's Python client against the server of the CLI (Debian's python3-twilio)
node python.mjs "$root/examples/python/example.py"
npx tsc --noEmit --strict --skipLibCheck --module nodenext --moduleResolution nodenext --types node types.ts
echo 'types ok'
# check-pact: the reference consumer's pact passes against the OpenAPI slice shipped in the package
cp "$root"/contracts/pacts/notifications-app-Twilio.json "$root"/scripts/pack-smoke/check-pact.mjs .
test -f node_modules/twilio-double/contracts/openapi/LICENSE
npx twilio-double check-pact notifications-app-Twilio.json
node check-pact.mjs
# the page the README sends jest and vitest users to ships with the package
test -f node_modules/twilio-double/examples/README.md
echo 'examples/README.md ok'
# without the optional peers: an entry that needs msw or Pact says which package to install
cd "$no_peers"
echo '{ "name": "pack-smoke-no-peers", "private": true, "type": "module" }' > package.json
npm install --silent --no-audit --no-fund --prefer-offline "$root/.pack/$tarball" twilio@^6 >/dev/null
cp "$root"/scripts/pack-smoke/missing-peers.mjs .
node missing-peers.mjs "$root"
