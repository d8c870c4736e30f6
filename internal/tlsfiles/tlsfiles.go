// Package tlsfiles builds a TLS client configuration from PEM files: a CA
// bundle that the server certificate must chain to, and an optional client
// certificate with its key.
package tlsfiles

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
)

// ErrInvalid marks a file that exists but holds no usable PEM data.
var ErrInvalid = errors.New("tlsfiles: invalid PEM file")

// Files names the PEM files of a TLS client. The zero value means no TLS.
type Files struct {
	// CA is a bundle of CA certificates. "" means the system roots.
	CA string

	// Cert and Key are the client certificate and its private key. Both or
	// neither must be set.
	Cert string
	Key  string
}

// Empty reports whether no file is named.
func (f Files) Empty() bool { return f.CA == "" && f.Cert == "" && f.Key == "" }

// Config loads the files into a TLS 1.2+ client configuration.
func (f Files) Config() (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if f.CA != "" {
		pool, err := loadPool(f.CA)
		if err != nil {
			return nil, err
		}
		cfg.RootCAs = pool
	}
	if (f.Cert == "") != (f.Key == "") {
		return nil, fmt.Errorf("tlsfiles: client certificate %q and key %q: set both or neither",
			f.Cert, f.Key)
	}
	if f.Cert != "" {
		pair, err := tls.LoadX509KeyPair(f.Cert, f.Key)
		if err != nil {
			return nil, fmt.Errorf("tlsfiles: client certificate %s: %w", f.Cert, err)
		}
		cfg.Certificates = []tls.Certificate{pair}
	}
	return cfg, nil
}

func loadPool(path string) (*x509.CertPool, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("tlsfiles: CA file: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(data) {
		return nil, fmt.Errorf("%w: %s has no PEM certificate", ErrInvalid, path)
	}
	return pool, nil
}
