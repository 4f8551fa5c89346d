# Code health checks that `make test` runs before the tests, each one
# clean or the run fails:
#   - go.mod and go.sum are tidy (`go mod tidy -diff`);
#   - staticcheck finds nothing (pinned by the `tool` directive in go.mod);
#   - the OpenAPI document passes Redocly's recommended rules with every
#     warning an error (tools/openapi: the linter pinned by package-lock,
#     its settings, and the one documented exception).
# `make openapi` rewrites serving/apiclient after a change to the routes in
# serving/openapi.go: the document file and the Go client oapi-codegen
# (also a pinned Go tool) generates from it.

OPENAPI_TOOLS := tools/openapi
REDOCLY := $(OPENAPI_TOOLS)/node_modules/.bin/redocly
OPENAPI_DOC := serving/apiclient/openapi.json
# The linter's update notices and telemetry need a network it does not have.
REDOCLY_ENV := REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true

TEST_PREREQS += tidy-check openapi-lint staticcheck

.PHONY: tidy-check staticcheck openapi-lint openapi

tidy-check:
	@$(GO) mod tidy -diff || { echo "go.mod/go.sum are not tidy: run 'go mod tidy'" >&2; exit 1; }

# The first run on a machine analyses every dependency (the Temporal server
# included) and takes many minutes; later runs use ~/.cache/staticcheck.
# Each finding is one line, file:line:col: message (CHECK), so the failure
# says where to look and which check to read up on.
staticcheck:
	@$(GO) tool staticcheck ./... || { \
	  echo "staticcheck: the findings above must be fixed (no behaviour change), or, for a deliberate" >&2; \
	  echo "  exception, marked on the line before with //lint:ignore CHECK reason." >&2; \
	  echo "  A check's documentation: go tool staticcheck -explain CHECK (e.g. U1000, SA1019)." >&2; \
	  echo "  Re-run alone with: make staticcheck" >&2; exit 1; }

# npm ci installs exactly package-lock.json; Node.js >= 20.19 is needed.
$(REDOCLY): $(OPENAPI_TOOLS)/package.json $(OPENAPI_TOOLS)/package-lock.json
	@command -v npm >/dev/null || { echo "npm not found: install Node.js 20.19 or later with npm" >&2; exit 1; }
	cd $(OPENAPI_TOOLS) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

openapi-lint: $(REDOCLY)
	$(REDOCLY_ENV) $(REDOCLY) lint --config $(OPENAPI_TOOLS)/redocly.yaml --format=stylish $(OPENAPI_DOC)

openapi:
	$(GO) test ./serving -run '^TestOpenAPIFileIsCurrent$$' -update
	$(GO) generate ./serving/apiclient
