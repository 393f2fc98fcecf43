#!/usr/bin/env bash
# Packs the package, installs the tarball with twilio and msw into an empty folder, and runs the
# README's examples there (ESM, CommonJS, the standalone server, Twilio's Python client, types of every
# entry, check-pact), a new user's first hour (time starts now, the server's time passes, the app's own
# credentials, the jest preset alone as the whole setup), and, in a second folder without the optional
# peers, the errors that name the package to install: what a user meets is what is tested.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
no_peers="$(mktemp -d)" # beside, not inside: Node would find the first folder's msw from a folder within it
trap 'rm -rf "$work" "$no_peers"' EXIT
mkdir -p "$root/.pack"
tarball="$(cd "$root" && npm pack --silent --pack-destination .pack | tail -1)"
cd "$work"
echo '{ "name": "pack-smoke", "private": true, "type": "module" }' > package.json
npm install --silent --no-audit --no-fund --prefer-offline "$root/.pack/$tarball" twilio@^6 msw@^2.15 typescript@~6.0.3 @types/node@^20 @playwright/test@^1.65 >/dev/null
cp "$root"/scripts/pack-smoke/{esm.mjs,cjs.cjs,server.mjs,client.mjs,python.mjs,types.ts,first-contact.mjs} .
node esm.mjs
# the first hour of a new user: time starts now, the server's time passes, the app's own credentials work
node first-contact.mjs
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
test -f node_modules/twilio-double/contracts/openapi/twilio_api_v2010.messaging-slice.json
npx twilio-double check-pact notifications-app-Twilio.json
node check-pact.mjs
# the pages the README links to ship with the package
test -f node_modules/twilio-double/examples/README.md
test -f node_modules/twilio-double/docs/fidelity.md
test -f node_modules/twilio-double/examples/python/example.py
echo 'examples/README.md, docs and the Python example ok'
# preset: 'twilio-double' alone is the whole jest setup (jest and babel-jest from the repository, as test:projects has them)
mkdir jest-preset
cp "$root"/scripts/pack-smoke/jest-preset/{jest.config.cjs,sends.test.js} jest-preset/
echo '{ "name": "jest-preset-smoke", "private": true }' > jest-preset/package.json # CommonJS
for name in jest babel-jest; do [ -e "node_modules/$name" ] || ln -s "$root/node_modules/$name" "node_modules/$name"; done
(cd jest-preset && CI=true node ../node_modules/jest/bin/jest.js --no-cache)
echo 'jest preset ok'
# without the optional peers: an entry that needs msw or Pact says which package to install
cd "$no_peers"
echo '{ "name": "pack-smoke-no-peers", "private": true, "type": "module" }' > package.json
npm install --silent --no-audit --no-fund --prefer-offline "$root/.pack/$tarball" twilio@^6 >/dev/null
cp "$root"/scripts/pack-smoke/missing-peers.mjs .
node missing-peers.mjs "$root"
