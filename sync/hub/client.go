package hub

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
)

// Client reads a hub's JSON API.
type Client struct {
	// BaseURL is the hub address, such as http://127.0.0.1:8080.
	BaseURL string

	// HTTP sends the requests. Nil means http.DefaultClient.
	HTTP *http.Client
}

// Devices returns GET /api/v1/devices.
func (c *Client) Devices(ctx context.Context) ([]DeviceInfo, error) {
	var out []DeviceInfo
	return out, c.get(ctx, "/api/v1/devices", &out)
}

// Clusters returns GET /api/v1/devices/{id}/clusters.
func (c *Client) Clusters(ctx context.Context, device string) ([]ClusterInfo, error) {
	var out []ClusterInfo
	return out, c.get(ctx, "/api/v1/devices/"+url.PathEscape(device)+"/clusters", &out)
}

func (c *Client) get(ctx context.Context, path string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.BaseURL+path, nil)
	if err != nil {
		return fmt.Errorf("hub client: %w", err)
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("hub client: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("hub client: GET %s: %s", path, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		return fmt.Errorf("hub client: GET %s: %w", path, err)
	}
	return nil
}
