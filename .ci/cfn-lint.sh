#!/usr/bin/env bash
# Synthesizes the CDK app as a user would (no AWS credentials, no network) in the configurations that
# together create every resource type the constructs can create, then lints every template with cfn-lint.
# Exits non-zero on a cfn-lint error (or a failed synth); warnings are printed but do not fail.
set -uo pipefail
cd "$(dirname "$0")/.."

if ! command -v cfn-lint >/dev/null 2>&1; then
  echo "cfn-lint not found: pip install cfn-lint"
  exit 1
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# No credentials, no instance metadata, no notices or telemetry: synth must work offline.
export AWS_ACCESS_KEY_ID= AWS_SECRET_ACCESS_KEY= AWS_SESSION_TOKEN= AWS_PROFILE= AWS_EC2_METADATA_DISABLED=true
export CDK_DISABLE_CLI_TELEMETRY=true
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE

synth() { # synth NAME CONTEXT...: one configuration into $out/NAME
  local name=$1; shift
  echo "::: cdk synth ($name)"
  if ! npx --no-install cdk synth -q --no-notices --output "$out/$name" "$@" >"$out/$name.log" 2>&1; then
    cat "$out/$name.log"
    echo "cdk synth ($name) failed"
    return 1
  fi
}

# The handlers are bundled once, then the three configurations synthesize side by side (each synth is one
# mostly single-threaded Node.js process; one after another they took 49 s on 2 cores).
npx --no-install tsx bin/bundle-handlers.ts || exit 1
app="npx tsx bin/app.ts"
synth default --app "$app" -c email=ops@example.com &
default=$!
synth everything --app "$app" \
  -c mode=enforce -c email=ops@example.com,sre@example.com -c tracing=true \
  -c scopeArns=arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188 \
  -c slackWorkspaceId=T0123ABCD -c slackChannelId=C0123ABCD -c memberAccounts=222222222222 &
everything=$!
synth member --app "$app" -c centralAccount=111111111111 -c scopeTag=watchdog=on &
member=$!
synth_failed=0
for job in "$default" "$everything" "$member"; do wait "$job" || synth_failed=1; done
(( synth_failed == 0 )) || exit 1

templates=("$out"/*/*.template.json)
echo "::: cfn-lint ${#templates[@]} templates"
cfn-lint --format parseable -- "${templates[@]}"
rc=$?
# cfn-lint's exit code is a bit mask: 1 fatal, 2 error, 4 warning, 8 informational.
if (( rc & 3 )); then
  echo "cfn-lint: errors (exit $rc)"
  exit 1
fi
if (( rc & 4 )); then echo "cfn-lint: warnings only (reported above), no errors"; else echo "cfn-lint: clean"; fi
exit 0
