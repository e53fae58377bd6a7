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
