package webdriver

import (
	"context"
	"net/http"
)

// Element is a reference to an element of the current page.
type Element struct {
	b  *Browser
	id string
}

// Navigate opens url and waits for the page to load.
func (b *Browser) Navigate(ctx context.Context, url string) error {
	return b.call(ctx, http.MethodPost, b.path("/url"), map[string]string{"url": url}, nil)
}

// URL returns the address of the current page.
func (b *Browser) URL(ctx context.Context) (string, error) {
	var u string
	return u, b.call(ctx, http.MethodGet, b.path("/url"), nil, &u)
}

// Find returns the first element matching the CSS selector.
func (b *Browser) Find(ctx context.Context, css string) (Element, error) {
	var ref map[string]string
	err := b.call(ctx, http.MethodPost, b.path("/element"),
		map[string]string{"using": "css selector", "value": css}, &ref)
	return Element{b: b, id: ref[elementKey]}, err
}

// FindAll returns every element matching the CSS selector.
func (b *Browser) FindAll(ctx context.Context, css string) ([]Element, error) {
	var refs []map[string]string
	err := b.call(ctx, http.MethodPost, b.path("/elements"),
		map[string]string{"using": "css selector", "value": css}, &refs)
	out := make([]Element, len(refs))
	for i, r := range refs {
		out[i] = Element{b: b, id: r[elementKey]}
	}
	return out, err
}

// Find returns the first element inside e matching the CSS selector.
func (e Element) Find(ctx context.Context, css string) (Element, error) {
	var ref map[string]string
	err := e.b.call(ctx, http.MethodPost, e.path("/element"),
		map[string]string{"using": "css selector", "value": css}, &ref)
	return Element{b: e.b, id: ref[elementKey]}, err
}

// Clear empties a text input.
func (e Element) Clear(ctx context.Context) error {
	return e.b.call(ctx, http.MethodPost, e.path("/clear"), map[string]any{}, nil)
}

// Type sends keystrokes to the element.
func (e Element) Type(ctx context.Context, text string) error {
	return e.b.call(ctx, http.MethodPost, e.path("/value"), map[string]string{"text": text}, nil)
}

// Click clicks the element.
func (e Element) Click(ctx context.Context) error {
	return e.b.call(ctx, http.MethodPost, e.path("/click"), map[string]any{}, nil)
}

// Text returns the element's rendered text.
func (e Element) Text(ctx context.Context) (string, error) {
	var s string
	return s, e.b.call(ctx, http.MethodGet, e.path("/text"), nil, &s)
}

// Attribute returns the element's attribute name, "" when absent.
func (e Element) Attribute(ctx context.Context, name string) (string, error) {
	var s *string
	err := e.b.call(ctx, http.MethodGet, e.path("/attribute/"+name), nil, &s)
	if s == nil {
		return "", err
	}
	return *s, err
}

func (e Element) path(p string) string { return e.b.path("/element/" + e.id + p) }
