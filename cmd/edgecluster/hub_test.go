package main

import (
	"context"
	"strings"
	"testing"
)

func TestHubRejectsBadStore(t *testing.T) {
	err := runHub(context.Background(), []string{"--listen", "127.0.0.1:0",
		"--store", "postgres://hub:s3cret@db:bad-port/hub"})
	if err == nil {
		t.Fatal("hub started with a malformed --store value")
	}
	if !strings.Contains(err.Error(), "postgres://hub:xxxxx@db:bad-port/hub") {
		t.Errorf("error does not name the value: %v", err)
	}
	if strings.Contains(err.Error(), "s3cret") {
		t.Errorf("error shows the password: %v", err)
	}
}
