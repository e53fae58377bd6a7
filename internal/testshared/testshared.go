// Package testshared finds the shared data that every developer and CI have
// beside the checkout (../shared: seeds and the MIME corpus), for tests,
// and builds the fixture several packages' tests start from: the sample
// municipality's config.
//
// What always holds: tests never copy shared data into the repository; they
// read it in place. Where it is absent, the test is skipped with a visible
// message, except under CI (CI=true), where a missing shared/ fails.
//
// How it fails: Dir calls t.Skip or t.Fatal; it never returns a bad path.
package testshared

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/exempelby/synpunkt/classify/sample"
	"github.com/exempelby/synpunkt/config"
)

// Dir returns the absolute path of shared/<sub>, from $SYNPUNKT_SHARED or
// the first ../shared found walking up from the test's directory.
func Dir(t testing.TB, sub string) string {
	t.Helper()
	if root := os.Getenv("SYNPUNKT_SHARED"); root != "" {
		return check(t, filepath.Join(root, sub))
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for d := wd; ; d = filepath.Dir(d) {
		p := filepath.Join(d, "..", "shared", sub)
		if _, err := os.Stat(p); err == nil {
			return check(t, p)
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	missing(t, "shared/"+sub+" not found beside the checkout (set SYNPUNKT_SHARED)")
	return ""
}

func check(t testing.TB, p string) string {
	t.Helper()
	if _, err := os.Stat(p); err != nil {
		missing(t, err.Error())
	}
	abs, _ := filepath.Abs(p)
	return abs
}

func missing(t testing.TB, why string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s: CI must have shared/", why)
	}
	t.Skipf("SKIP: %s", why)
}

// SampleConfig is the sample municipality's config (classify/sample) with
// its database in a fresh temporary folder.
func SampleConfig(t testing.TB) *config.Config {
	t.Helper()
	cfg, err := config.Parse(sample.Municipality)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Store.Path = filepath.Join(t.TempDir(), "s.db")
	return cfg
}
