# Every target builds pure Go: no cgo, so binaries are static and cross-build.
export CGO_ENABLED := 0

GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)
BIN     := bin/edgecluster
# Debian versions must start with a digit: a v1.2.3 tag gives 1.2.3.
DEB_VERSION ?= $(or $(shell git describe --tags --match 'v[0-9]*' 2>/dev/null | sed 's/^v//'),\
	0.0.0+git$(shell git rev-parse --short HEAD 2>/dev/null))
# Packages whose tests also run on arm64 and armv7 under qemu-user.
EDGE_PKGS := ./edge/... ./internal/half

.PHONY: build test test-cross demo bench cross deb lint clean

build:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/edgecluster

test: lint
	$(GO) test -count=1 ./...
	$(MAKE) test-cross

# The embedding tests compare with stored reference outputs, so passing them
# on each architecture shows that its numerics match within that tolerance.
test-cross:
	GOARCH=arm64 $(GO) test -count=1 -exec qemu-aarch64-static $(EDGE_PKGS)
	GOARCH=arm GOARM=7 $(GO) test -count=1 -exec qemu-arm-static $(EDGE_PKGS)

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

deb: cross
	$(GO) run ./cross/deb --arch amd64 --binary bin/edgecluster-linux-amd64 --version $(DEB_VERSION)
	$(GO) run ./cross/deb --arch arm64 --binary bin/edgecluster-linux-arm64 --version $(DEB_VERSION)
	$(GO) run ./cross/deb --arch arm7 --binary bin/edgecluster-linux-armv7 --version $(DEB_VERSION)

clean:
	rm -rf bin dist .demo
