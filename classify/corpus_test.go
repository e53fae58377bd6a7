package classify

import (
	"os"
	"testing"

	"github.com/exempelby/synpunkt/classify/sample"
	"github.com/exempelby/synpunkt/config"
)

func mustSample(t testing.TB) *Classifier {
	t.Helper()
	cfg, err := config.Parse(sample.Municipality)
	if err != nil {
		t.Fatalf("config.Parse(sample) = %v", err)
	}
	return mustClassifier(t, cfg)
}

// mustClassifier builds the classifier of cfg.
func mustClassifier(t testing.TB, cfg *config.Config) *Classifier {
	t.Helper()
	c, err := New(OptionsFrom(cfg))
	if err != nil {
		t.Fatalf("New = %v", err)
	}
	return c
}

// needEnv returns the environment variable name, skipping the test with
// hint when it is empty: the opt-in measurements and grid searches.
func needEnv(t testing.TB, name, hint string) string {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		t.Skip(hint)
	}
	return v
}

// mustCorpus loads the labelled corpus in dir.
func mustCorpus(t testing.TB, dir string) []Example {
	t.Helper()
	exs, err := LoadCorpus(dir)
	if err != nil {
		t.Fatalf("LoadCorpus(%s) = %v", dir, err)
	}
	return exs
}

// mustTrainingSets loads the training sources of the package directory.
func mustTrainingSets(t testing.TB) []TrainingSet {
	t.Helper()
	sets, err := LoadTrainingSets(".")
	if err != nil {
		t.Fatalf("LoadTrainingSets = %v", err)
	}
	return sets
}

func mustConfigFile(t testing.TB, path string) *config.Config {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse(b)
	if err != nil {
		t.Fatalf("config.Parse(%s) = %v", path, err)
	}
	return cfg
}

// TestCorpusQuality prints the figures of both splits and asserts the
// targets on the held-out split only (the tune split is what the rules
// were tuned on). Run: go test -v -run TestCorpusQuality ./classify/
func TestCorpusQuality(t *testing.T) {
	c := mustSample(t)
	tune, err := Evaluate(c, "testdata/corpus", "tune")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("TUNE split (rules were tuned on this):\n%s", tune)
	held, err := Evaluate(c, "testdata/corpus", "heldout")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("HELD-OUT split (never tuned on):\n%s", held)
	admin := mustClassifier(t, mustConfigFile(t, "testdata/admin.toml"))
	heldAdmin, err := Evaluate(admin, "testdata/corpus", "heldout")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("HELD-OUT split, admin-style config (no aliases, no exclusion keywords):\n%s", heldAdmin)
	if got := heldAdmin.UnitAccuracy(); got < 0.90 {
		t.Errorf("held-out unit accuracy with the admin-style config = %.3f, want >= 0.90", got)
	}
	if tune.Messages+held.Messages < 400 {
		t.Errorf("corpus has %d messages, want >= 400", tune.Messages+held.Messages)
	}
	if got := held.CategoryAccuracy(); got < 0.90 {
		t.Errorf("held-out category accuracy = %.3f, want >= 0.90", got)
	}
	if got := held.UnitAccuracy(); got < 0.90 {
		t.Errorf("held-out unit accuracy = %.3f, want >= 0.90", got)
	}
	if got := held.TriageShare(); got > 0.10 {
		t.Errorf("held-out triage share = %.3f, want <= 0.10", got)
	}
	if held.FalseExclusions != 0 {
		t.Errorf("held-out synpunkter wrongly excluded = %d, want 0", held.FalseExclusions)
	}
	if held.ExcludedOpened != 0 {
		t.Errorf("held-out excluded messages opened as cases = %d, want 0", held.ExcludedOpened)
	}
}
