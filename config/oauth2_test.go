package config

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
)

// A microsoft client needs exactly one credential: a client secret or a
// certificate file; the certificate file is read like the other secret
// files and its content kept for the token source.
func TestOAuth2ClientCertificate(t *testing.T) {
	dir := t.TempDir()
	certFile := dir + "/entra-app.pem"
	pemData := []byte("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")
	if err := os.WriteFile(certFile, pemData, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SYNPUNKT_TEST_OAUTH2_SECRET", "hemlig")
	const ms = "\n[imap.oauth2]\nprovider = \"microsoft\"\ntenant = \"exempelby.onmicrosoft.com\"\nclient_id = \"app\"\n"
	tests := []struct {
		name, section, field string // field "" : valid
	}{
		{"certificate", ms + "client_certificate_file = \"" + certFile + "\"\n", ""},
		{"secret", ms + "client_secret_env = \"SYNPUNKT_TEST_OAUTH2_SECRET\"\n", ""},
		{"neither", ms, "imap.oauth2.client_secret_env"},
		{"both", ms + "client_secret_env = \"SYNPUNKT_TEST_OAUTH2_SECRET\"\nclient_certificate_file = \"" + certFile + "\"\n",
			"imap.oauth2.client_certificate_file"},
		{"missing file", ms + "client_certificate_file = \"" + dir + "/nope.pem\"\n", "imap.oauth2.client_certificate_file"},
		{"generic with both", "\n[smtp.oauth2]\nprovider = \"generic\"\ntoken_url = \"https://sso.exempelby.se/token\"\nclient_id = \"app\"\n" +
			"client_secret_env = \"SYNPUNKT_TEST_OAUTH2_SECRET\"\nclient_certificate_file = \"" + certFile + "\"\n", "smtp.oauth2.client_certificate_file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse([]byte(minimal + tt.section))
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Parse() = %v", err)
				}
				if o := c.IMAP.OAuth2; strings.Contains(tt.section, "client_certificate_file") && !bytes.Equal(o.ClientCertificatePEM, pemData) {
					t.Errorf("ClientCertificatePEM = %q, want the file's content", o.ClientCertificatePEM)
				}
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) || ve.Field != tt.field {
				t.Fatalf("Parse() error = %v, want a ValidationError for %s", err, tt.field)
			}
			if strings.Contains(err.Error(), "MIIB") || strings.Contains(err.Error(), "hemlig") {
				t.Errorf("error %q carries the certificate file or the secret", err)
			}
		})
	}
}
