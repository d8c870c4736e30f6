package webdriver

import (
	"context"
	"encoding/json"
	"net/http"
)

// Property returns the element's DOM property name as JSON, such as
// "true" for an image's complete property or "96" for its naturalWidth.
func (e Element) Property(ctx context.Context, name string) (string, error) {
	var v json.RawMessage
	err := e.b.call(ctx, http.MethodGet, e.path("/property/"+name), nil, &v)
	return string(v), err
}
