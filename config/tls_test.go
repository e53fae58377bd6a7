package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/exempelby/synpunkt/internal/testcert"
)

// TestTLSCAFile: imap.tls_ca_file and smtp.tls_ca_file become the pools
// that verify the servers; a file without a certificate names its key.
func TestTLSCAFile(t *testing.T) {
	dir := t.TempDir()
	c, err := testcert.New("internal CA")
	if err != nil {
		t.Fatal(err)
	}
	ca := filepath.Join(dir, "ca.pem")
	os.WriteFile(ca, c.CertPEM, 0o644)
	src := strings.Replace(minimal, "[imap]\n", "[imap]\ntls_ca_file = \""+ca+"\"\n", 1)
	src = strings.Replace(src, "[smtp]\n", "[smtp]\ntls_ca_file = \""+ca+"\"\n", 1)
	cfg, err := Parse([]byte(src))
	if err != nil {
		t.Fatalf("Parse() = %v", err)
	}
	if cfg.IMAP.RootCAs == nil || cfg.SMTP.RootCAs == nil || !cfg.IMAP.RootCAs.Equal(c.Pool) {
		t.Errorf("RootCAs = %v, %v; want the CA file's pool", cfg.IMAP.RootCAs, cfg.SMTP.RootCAs)
	}
	bad := filepath.Join(dir, "bad.pem")
	os.WriteFile(bad, []byte("not a certificate"), 0o644)
	_, err = Parse([]byte(strings.Replace(minimal, "[smtp]\n", "[smtp]\ntls_ca_file = \""+bad+"\"\n", 1)))
	var ve *ValidationError
	if !errors.As(err, &ve) || ve.Field != "smtp.tls_ca_file" {
		t.Errorf("Parse(bad CA file) = %v, want a ValidationError for smtp.tls_ca_file", err)
	}
}
