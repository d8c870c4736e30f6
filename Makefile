# Every target builds pure Go: no cgo, so binaries are static and cross-build.
export CGO_ENABLED := 0

GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)
BIN     := bin/edgecluster

.PHONY: build test demo bench cross lint clean

build:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/edgecluster

test: lint
	$(GO) test -count=1 ./...

lint:
	$(GO) vet ./...
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

demo: build
	scripts/demo.sh

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

cross:
	GOOS=linux GOARCH=arm64 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o bin/edgecluster-linux-arm64 ./cmd/edgecluster
	GOOS=linux GOARCH=arm GOARM=7 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o bin/edgecluster-linux-armv7 ./cmd/edgecluster
	GOOS=linux GOARCH=amd64 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o bin/edgecluster-linux-amd64 ./cmd/edgecluster

clean:
	rm -rf bin .demo
