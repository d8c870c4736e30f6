package httpcam

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/edgecluster/edgecluster/internal/clock"
	"github.com/edgecluster/edgecluster/sensors/decode"
)

// Defaults used when an Options field is zero.
const (
	DefaultTimeout       = 10 * time.Second
	DefaultInterval      = time.Second
	DefaultMaxFrameBytes = 16 << 20
)

// ErrStatus marks a response whose status is not 200 OK.
var ErrStatus = errors.New("httpcam: unexpected HTTP status")

// Options configures a stream or snapshot source. The zero value of every
// field but URL is a documented default.
type Options struct {
	// URL is the stream or snapshot URL, http or https. Credentials in the
	// URL are used for basic auth when Username is empty.
	URL string

	// Username and Password enable basic auth.
	Username string
	Password string

	// Timeout bounds connecting plus the response headers, and the gap
	// between two frames of a stream. 0 means DefaultTimeout.
	Timeout time.Duration

	// Interval is the time between two snapshot requests. 0 means
	// DefaultInterval. Streams ignore it.
	Interval time.Duration

	// FPS limits the frame rate of a stream; frames that arrive sooner are
	// dropped before decoding. 0 means no limit.
	FPS float64

	// MaxFrameBytes bounds one encoded frame. 0 means DefaultMaxFrameBytes.
	MaxFrameBytes int

	// Decode sets the decode limits. Snapshots also apply EXIF orientation.
	Decode decode.Options

	// Client sends the requests. Nil means a client without a total
	// timeout, since a stream response never ends.
	Client *http.Client

	Clock  clock.Clock
	Logger *slog.Logger
}

func (o Options) withDefaults() Options {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Interval <= 0 {
		o.Interval = DefaultInterval
	}
	if o.MaxFrameBytes <= 0 {
		o.MaxFrameBytes = DefaultMaxFrameBytes
	}
	if o.Client == nil {
		o.Client = &http.Client{}
	}
	o.Clock = clock.Or(o.Clock)
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return o
}

// Redact returns the URL with any password replaced by "xxxxx", for logs.
func Redact(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "(invalid URL)"
	}
	return u.Redacted()
}

// request builds a GET request for o.URL with basic auth when configured.
func (o Options) request(ctx requestContext) (*http.Request, error) {
	u, err := url.Parse(o.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("httpcam: URL %q: use http://HOST/PATH or https://HOST/PATH",
			Redact(o.URL))
	}
	user, pass := o.Username, o.Password
	if user == "" && u.User != nil {
		user = u.User.Username()
		pass, _ = u.User.Password()
	}
	u.User = nil
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("httpcam: %w", err)
	}
	if user != "" {
		req.SetBasicAuth(user, pass)
	}
	return req, nil
}

// get sends the request and checks the status. The caller closes the body.
func (o Options) get(ctx requestContext) (*http.Response, error) {
	req, err := o.request(ctx)
	if err != nil {
		return nil, err
	}
	resp, err := o.Client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("httpcam: GET %s: %w", Redact(o.URL), err)
	}
	if resp.StatusCode == http.StatusOK {
		return resp, nil
	}
	resp.Body.Close()
	hint := ""
	if resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden {
		hint = ": check the username and password"
	}
	return nil, fmt.Errorf("%w: GET %s: %s%s", ErrStatus, Redact(o.URL), resp.Status, hint)
}
