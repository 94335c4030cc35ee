package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/roadcheck/roadcheck/service"
	"github.com/roadcheck/roadcheck/transport"
)

// Development tokens: without --tokens, serve creates one token per role under the data
// directory (0600) and keeps only their hashes in tokens.json, as a production token file would.
const devTokenFile = "tokens.json"

func loadOrCreateTokens(path, dataDir string) (*transport.Tokens, string, error) {
	if path != "" {
		t, err := transport.LoadTokens(path)
		if err != nil {
			return nil, "", exitErr(2, err)
		}
		return t, "", nil
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, "", err
	}
	file := filepath.Join(dataDir, devTokenFile)
	adminPath := filepath.Join(dataDir, "dev-admin.token")
	note := fmt.Sprintf("development tokens (no --tokens given): admin token in %s; portal and reviewer tokens beside it", adminPath)
	if _, err := os.Stat(file); err == nil {
		t, err := transport.LoadTokens(file)
		return t, note, err
	}
	var tf transport.TokenFile
	for _, role := range []service.Role{service.RoleAdmin, service.RolePortal, service.RoleReviewer} {
		token, entry, err := transport.NewToken("dev-"+string(role), role)
		if err != nil {
			return nil, "", err
		}
		if err := os.WriteFile(filepath.Join(dataDir, "dev-"+string(role)+".token"), []byte(token+"\n"), 0o600); err != nil {
			return nil, "", err
		}
		tf.Tokens = append(tf.Tokens, entry)
	}
	b, err := json.MarshalIndent(tf, "", "  ")
	if err != nil {
		return nil, "", err
	}
	if err := os.WriteFile(file, append(b, '\n'), 0o600); err != nil {
		return nil, "", err
	}
	t, err := transport.ParseTokens(b)
	return t, note, err
}
