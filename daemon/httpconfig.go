package daemon

import (
	"fmt"
	"net"
	"strconv"
)

// DefaultHTTPListen is the default of http.listen: loopback only, so the
// metrics and status are not exposed to the network unless asked for.
const DefaultHTTPListen = "127.0.0.1:9471"

// HTTPOff as http.listen turns the HTTP endpoint off.
const HTTPOff = "off"

// HTTPConfig configures the /metrics, /healthz and /status endpoint.
type HTTPConfig struct {
	// Listen is the host:port to serve on. "" means DefaultHTTPListen and
	// HTTPOff serves nothing.
	Listen string `toml:"listen"`
}

// Address returns the address to listen on, or "" when the endpoint is off.
func (h HTTPConfig) Address() string {
	switch h.Listen {
	case "":
		return DefaultHTTPListen
	case HTTPOff:
		return ""
	}
	return h.Listen
}

func (h HTTPConfig) validate() error {
	addr := h.Address()
	if addr == "" {
		return nil
	}
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%q must be host:port such as %s, or %q", h.Listen,
			DefaultHTTPListen, HTTPOff)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("%q has port %q: use 0-65535", h.Listen, port)
	}
	return nil
}
