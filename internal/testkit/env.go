package testkit

import (
	"os"
	"testing"
)

// Env returns the environment variable name that an opt-in test or
// experiment needs (a directory, a file to write), or skips the test
// saying why when it is not set.
func Env(t testing.TB, name, why string) string {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		t.Skipf("%s is not set: %s", name, why)
	}
	return v
}

// WriteOpen writes data to a new private file at path and opens it for
// reading, as the IMAP intake hands over a message it fetched into a
// file; the file is closed at the test's end.
func WriteOpen(t testing.TB, path string, data []byte) *os.File {
	t.Helper()
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}
