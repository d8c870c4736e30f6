package tlsfiles

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestConfigErrors(t *testing.T) {
	dir := t.TempDir()
	notPEM := filepath.Join(dir, "ca.txt")
	if err := os.WriteFile(notPEM, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		files   Files
		wantIs  error
		wantMsg string
	}{
		{"missing CA", Files{CA: filepath.Join(dir, "none.pem")}, os.ErrNotExist, "CA file"},
		{"CA without PEM", Files{CA: notPEM}, ErrInvalid, "no PEM certificate"},
		{"cert without key", Files{Cert: notPEM}, nil, "set both or neither"},
		{"unreadable pair", Files{Cert: notPEM, Key: notPEM}, nil, "client certificate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.files.Config()
			if err == nil {
				t.Fatal("no error")
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("err %v, want %v", err, tt.wantIs)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("err %q lacks %q", err, tt.wantMsg)
			}
		})
	}
}

func TestEmptyFiles(t *testing.T) {
	if !(Files{}).Empty() {
		t.Error("zero Files is not Empty")
	}
	cfg, err := Files{}.Config()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.RootCAs != nil || len(cfg.Certificates) != 0 {
		t.Errorf("zero Files gave roots %v and %d certificates", cfg.RootCAs, len(cfg.Certificates))
	}
}
