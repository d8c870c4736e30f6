package kv

import (
	"errors"
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	tests := []struct {
		dsn  string
		want string
	}{
		{"postgres://hub:s3cret@db:5432/hub", "postgres://hub:xxxxx@db:5432/hub"},
		{"postgresql://hub@db/hub?sslmode=disable", "postgresql://hub@db/hub?sslmode=disable"},
		{"postgres://hub@db/hub?password=s3cret&sslmode=disable",
			"postgres://hub@db/hub?password=xxxxx&sslmode=disable"},
		{"host=db user=hub password=s3cret dbname=hub", "host=db user=hub password=xxxxx dbname=hub"},
		{"host=db password = 's3 cret' dbname=hub", "host=db password = xxxxx dbname=hub"},
		{"postgres://hub:s3cret@db:bad-port/hub", "postgres://hub:xxxxx@db:bad-port/hub"},
		{"host=db", "host=db"},
	}
	for _, tt := range tests {
		if got := Redact(tt.dsn); got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.dsn, got, tt.want)
		}
	}
}

func TestOpenPostgresRejectsBadDSN(t *testing.T) {
	dsn := "postgres://hub:s3cret@db:bad-port/hub"
	_, err := OpenPostgres(dsn, PostgresOptions{})
	if !errors.Is(err, ErrInvalidDSN) {
		t.Fatalf("error %v, want ErrInvalidDSN", err)
	}
	if strings.Contains(err.Error(), "s3cret") {
		t.Errorf("error shows the password: %v", err)
	}
	if !strings.Contains(err.Error(), "postgres://hub:xxxxx@db:bad-port/hub") {
		t.Errorf("error does not name the redacted value: %v", err)
	}
}
