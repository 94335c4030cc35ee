package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestFlagsFromEnvironment: a flag declared with an environment fallback takes the variable
// when it is not on the command line, the command line wins, and a bad value in the variable
// is a usage error naming the variable.
func TestFlagsFromEnvironment(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		args    []string
		check   func(*serveConfig) bool
		wantErr string
	}{
		{"defaults", nil, nil, func(c *serveConfig) bool {
			return c.addr == ":8080" && c.store.data == "./data" && c.ocr.budget == 6*time.Second && !c.watch
		}, ""},
		{"environment", map[string]string{"ROADCHECK_ADDR": ":9000", "ROADCHECK_DATA": "/srv/rc", "ROADCHECK_OCR_BUDGET": "3s",
			"ROADCHECK_WATCH": "true", "ROADCHECK_MAX_UPLOAD": "1024"}, nil, func(c *serveConfig) bool {
			return c.addr == ":9000" && c.store.data == "/srv/rc" && c.ocr.budget == 3*time.Second && c.watch && c.maxUpload == 1024
		}, ""},
		{"flag wins", map[string]string{"ROADCHECK_ADDR": ":9000", "ROADCHECK_OCR_WORKERS": "2"}, []string{"--addr", ":7000"},
			func(c *serveConfig) bool { return c.addr == ":7000" && c.ocr.workers == 2 }, ""},
		{"bad duration", map[string]string{"ROADCHECK_OCR_BUDGET": "soon"}, nil, nil, "ROADCHECK_OCR_BUDGET"},
		{"bad integer", map[string]string{"ROADCHECK_OCR_WORKERS": "two"}, nil, nil, "ROADCHECK_OCR_WORKERS"},
		{"bad bool", map[string]string{"ROADCHECK_WATCH": "yes please"}, nil, nil, "ROADCHECK_WATCH"},
		{"no env for flags without one", map[string]string{"ROADCHECK_MEMORY_LIMIT": "1MiB"}, nil,
			func(c *serveConfig) bool { return c.memoryLimit == "" }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			f, c := serveFlags(proc{getenv: func(k string) string { return tt.env[k] }, stderr: &stderr})
			err := f.parse(tt.args)
			if tt.wantErr != "" {
				if exitCode(err) != 2 || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v (exit %d), want a usage error naming %s", err, exitCode(err), tt.wantErr)
				}
				return
			}
			if err != nil || !tt.check(c) {
				t.Errorf("err %v, config %+v", err, *c)
			}
		})
	}
}

// TestUsageNamesTheVariables: -h tells which variable stands in for which flag.
func TestUsageNamesTheVariables(t *testing.T) {
	var out bytes.Buffer
	if err := run(t.Context(), []string{"roadcheck", "serve", "-h"}, noEnv, nil, &out, &out); exitCode(err) != 0 {
		t.Fatalf("serve -h: %v", err)
	}
	for _, want := range []string{"(env ROADCHECK_ADDR)", "(env ROADCHECK_MONGO_URI)", "(env ROADCHECK_OCR_BUDGET)", "(env ROADCHECK_RATE_PHOTO)"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("serve -h lacks %s", want)
		}
	}
}
