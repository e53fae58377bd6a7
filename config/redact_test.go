package config

import (
	"errors"
	"strings"
	"testing"
)

// TestConfigErrorsHideSecrets: a password typed into the config where it
// does not belong never appears, even in part, in the error, which still
// names the line and key.
func TestConfigErrorsHideSecrets(t *testing.T) {
	const pw = "Hunter2Secret"
	tests := []struct {
		name, edit string
		want       []string // the error names these
	}{
		{"unquoted password", "[imap]\npassword = " + pw + "\n", []string{"line", "imap.password", "quote"}},
		{"unquoted password with comment", "[imap]\npassword = " + pw + " # the password\n", []string{"imap.password"}},
		{"unterminated string", "[smtp]\npassword = '" + pw + "\n", []string{"smtp.password"}},
		{"password in password_env", "[smtp]\nusername = \"u\"\npassword_env = \"" + pw + "\"\n", []string{"smtp.password_env", "environment variable"}},
		{"password with spaces in password_env", "[smtp]\nusername = \"u\"\npassword_env = \"hunter 2 Secret\"\n", []string{"smtp.password_env"}},
		{"password in password_file", "[imap]\nusername = \"u\"\npassword_file = \"" + pw + "\"\n", []string{"imap.password_file"}},
		{"token in auth_token_env", "[sms]\nprovider = \"twilio\"\naccount_sid = \"AC1\"\nfrom = \"+46700000000\"\nauth_token_env = \"" + pw + "\"\n", []string{"sms.auth_token_env"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := minimal
			section, _, _ := strings.Cut(tt.edit, "\n")
			if strings.Contains(src, section+"\n") {
				src = strings.Replace(src, section+"\n", tt.edit, 1)
			} else {
				src += tt.edit
			}
			_, err := Parse([]byte(src))
			if err == nil {
				t.Fatalf("Parse() = nil, want an error")
			}
			for _, leak := range []string{"Hunter", "hunter", "Secret"} {
				if strings.Contains(err.Error(), leak) {
					t.Errorf("Parse() = %q: echoes the secret (%q)", err, leak)
				}
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Parse() = %q, want it to name %q", err, w)
				}
			}
		})
	}
}

// TestConfigErrorsNameVariables: a value that looks like a variable name or
// a path is still named, so the administrator sees which one is missing.
func TestConfigErrorsNameVariables(t *testing.T) {
	src := strings.Replace(minimal, "[smtp]\n", "[smtp]\nusername = \"u\"\npassword_env = \"SYNPUNKT_TEST_UNSET_VAR\"\n", 1)
	_, err := Parse([]byte(src))
	var ve *ValidationError
	if !errors.As(err, &ve) || ve.Field != "smtp.password_env" || !strings.Contains(err.Error(), "SYNPUNKT_TEST_UNSET_VAR") {
		t.Errorf("Parse() = %v, want smtp.password_env naming SYNPUNKT_TEST_UNSET_VAR", err)
	}
	src = strings.Replace(minimal, "[smtp]\n", "[smtp]\nusername = \"u\"\npassword_file = \"/nonexistent/synpunkt/smtp.pw\"\n", 1)
	if _, err := Parse([]byte(src)); err == nil || !strings.Contains(err.Error(), "/nonexistent/synpunkt/smtp.pw") {
		t.Errorf("Parse() = %v, want it to name the password file", err)
	}
}
