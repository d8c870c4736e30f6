package webdriver

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// ErrNotInstalled is returned when chromedriver or chromium is missing.
var ErrNotInstalled = errors.New("webdriver: chromedriver or chromium not installed")

// elementKey is the W3C name of the element reference in a response.
const elementKey = "element-6066-11e4-a52e-4f735466cecf"

// chromiumArgs keep the browser headless, private and off the network
// except for the pages the test opens.
var chromiumArgs = []string{"--headless", "--no-sandbox", "--disable-gpu",
	"--disable-background-networking", "--disable-component-update", "--disable-sync",
	"--no-first-run", "--disable-dev-shm-usage", "--window-size=1280,1600"}

// Options configures Start. The zero value finds both programs on PATH.
type Options struct {
	// Driver is the chromedriver program. "" means "chromedriver".
	Driver string

	// Browser is the Chromium program. "" means "chromium".
	Browser string

	// ProfileDir is the fresh --user-data-dir. "" means a new temporary
	// directory that Close removes.
	ProfileDir string
}

// Browser is one chromedriver process with one open session.
type Browser struct {
	cmd     *exec.Cmd
	base    string
	session string
	tmp     string
	http    *http.Client
}

// Start runs chromedriver and opens a Chromium session.
func Start(ctx context.Context, opts Options) (*Browser, error) {
	driver, browser, err := programs(opts)
	if err != nil {
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	b := &Browser{base: fmt.Sprintf("http://127.0.0.1:%d", port),
		http: &http.Client{Timeout: 60 * time.Second}}
	b.cmd = exec.Command(driver, fmt.Sprintf("--port=%d", port), "--allowed-ips=127.0.0.1")
	if err := b.cmd.Start(); err != nil {
		return nil, fmt.Errorf("webdriver: start %s: %w", driver, err)
	}
	if err := b.open(ctx, browser, opts.ProfileDir); err != nil {
		b.Close()
		return nil, err
	}
	return b, nil
}

func programs(opts Options) (string, string, error) {
	driver, browser := opts.Driver, opts.Browser
	if driver == "" {
		driver = "chromedriver"
	}
	if browser == "" {
		browser = "chromium"
	}
	d, err := exec.LookPath(driver)
	if err != nil {
		return "", "", fmt.Errorf("%w: %v", ErrNotInstalled, err)
	}
	c, err := exec.LookPath(browser)
	if err != nil {
		return "", "", fmt.Errorf("%w: %v", ErrNotInstalled, err)
	}
	return d, c, nil
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("webdriver: free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// open waits until chromedriver responds and creates the session.
func (b *Browser) open(ctx context.Context, browser, profile string) error {
	if err := b.waitReady(ctx, 15*time.Second); err != nil {
		return err
	}
	if profile == "" {
		dir, err := os.MkdirTemp("", "edgecluster-chromium-")
		if err != nil {
			return fmt.Errorf("webdriver: profile dir: %w", err)
		}
		b.tmp, profile = dir, dir
	}
	args := append([]string{"--user-data-dir=" + filepath.Clean(profile)}, chromiumArgs...)
	caps := map[string]any{"capabilities": map[string]any{"alwaysMatch": map[string]any{
		"browserName":        "chrome",
		"goog:chromeOptions": map[string]any{"binary": browser, "args": args},
	}}}
	var out struct {
		SessionID string `json:"sessionId"`
	}
	if err := b.call(ctx, http.MethodPost, "/session", caps, &out); err != nil {
		return err
	}
	b.session = out.SessionID
	return nil
}

func (b *Browser) waitReady(ctx context.Context, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		var st struct {
			Ready bool `json:"ready"`
		}
		if b.call(ctx, http.MethodGet, "/status", nil, &st) == nil && st.Ready {
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("webdriver: chromedriver at %s not ready after %s", b.base, limit)
}

// Close ends the session, stops chromedriver and removes a temporary
// profile directory. Ending the session stops Chromium.
func (b *Browser) Close() error {
	if b.session != "" {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		b.call(ctx, http.MethodDelete, "/session/"+b.session, nil, nil)
		cancel()
	}
	if b.cmd != nil && b.cmd.Process != nil {
		b.cmd.Process.Kill()
		b.cmd.Wait()
	}
	if b.tmp != "" {
		return os.RemoveAll(b.tmp)
	}
	return nil
}

// call sends one WebDriver command and decodes the "value" of the response
// into out when out is not nil.
func (b *Browser) call(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		data, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, b.base+path, body)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := b.http.Do(req)
	if err != nil {
		return fmt.Errorf("webdriver: %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	return decode(resp, method, path, out)
}

func decode(resp *http.Response, method, path string, out any) error {
	var env struct {
		Value json.RawMessage `json:"value"`
	}
	data, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(data, &env); err != nil {
		return fmt.Errorf("webdriver: %s %s: %s: %w", method, path, resp.Status, err)
	}
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error   string `json:"error"`
			Message string `json:"message"`
		}
		json.Unmarshal(env.Value, &e)
		return fmt.Errorf("webdriver: %s %s: %s: %s", method, path, e.Error, e.Message)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(env.Value, out)
}

// Screenshot returns a PNG of the current page.
func (b *Browser) Screenshot(ctx context.Context) ([]byte, error) {
	var s string
	if err := b.call(ctx, http.MethodGet, b.path("/screenshot"), nil, &s); err != nil {
		return nil, err
	}
	return base64.StdEncoding.DecodeString(s)
}

func (b *Browser) path(p string) string { return "/session/" + b.session + p }
