#!/usr/bin/env bash
# Runs schemathesis (property-based API testing, from PyPI) against a live `dossier serve` with
# demo data, using the OpenAPI document the server publishes: no answer may be a server error,
# and every answer's status, content type, headers and body must match the document.
#
#   Tests/api/schemathesis.sh DOSSIER-BINARY SCHEMATHESIS [EXAMPLES]
set -euo pipefail
bin=$(realpath "$1")
schemathesis=$2
examples=${3:-25}
work=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
"$bin" demo --data "$work/node" --people 300 --seed 3 >/dev/null
"$bin" keys generate --data "$work/node" --alg ed25519 >/dev/null
token=$("$bin" user token --data "$work/node" admin --label schemathesis 2>/dev/null)
port=$((20000 + RANDOM % 20000))
"$bin" serve --data "$work/node" --port "$port" >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
status=0
"$schemathesis" run "http://127.0.0.1:$port/api/v1/openapi.json" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance \
  --header "Authorization: Bearer $token" \
  --max-examples "$examples" --seed 1 --workers 1 --no-color || status=$?
if [ "$status" -ne 0 ]; then echo "--- server log"; tail -n 40 "$work/serve.log"; fi
exit "$status"
