package mimeparse

import (
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// corpusDir returns the shared MIME corpus: $SYNPUNKT_SHARED/corpus/mime,
// or ../../../shared/corpus/mime from the package directory.
func corpusDir(t testing.TB) string {
	t.Helper()
	shared := os.Getenv("SYNPUNKT_SHARED")
	if shared == "" {
		shared = filepath.Join("..", "..", "..", "shared")
	}
	dir, err := filepath.Abs(filepath.Join(shared, "corpus", "mime"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("shared corpus not found at %s: %v", dir, err)
		}
		t.Skipf("shared corpus not found at %s: skipping", dir)
	}
	return dir
}

// corpusFiles lists the message files of the corpus: every regular file
// under a source folder, except the licences and the corpus's own notes.
func corpusFiles(t testing.TB, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		switch {
		case d.IsDir() && rel == "LICENSES":
			return filepath.SkipDir
		case !d.Type().IsRegular():
			return nil
		case rel == "SOURCES.md" || rel == "MANIFEST.tsv" || rel == "go-message-baseline.tsv":
			return nil
		}
		files = append(files, path)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestCorpus(t *testing.T) {
	dir := corpusDir(t)
	files := corpusFiles(t, dir)
	if len(files) == 0 {
		t.Fatalf("no messages under %s", dir)
	}
	var ok, withProblems int
	var bad []string
	problems := map[string]int{}
	for _, path := range files {
		rel, _ := filepath.Rel(dir, path)
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		m, err := Parse(raw)
		switch {
		case err != nil:
			if !errors.Is(err, ErrUnparseable) {
				t.Errorf("%s: error %v does not wrap ErrUnparseable", rel, err)
			}
			bad = append(bad, rel+": "+err.Error())
			continue
		case len(m.Problems) > 0:
			withProblems++
			for _, p := range m.Problems {
				problems[p]++
			}
		default:
			ok++
		}
		t.Run(rel, func(t *testing.T) { checkUTF8(t, m) })
	}
	t.Logf("corpus %s: %d files: %d parsed clean, %d parsed with problems, %d unparseable",
		dir, len(files), ok, withProblems, len(bad))
	for _, p := range slices.Sorted(maps.Keys(problems)) {
		t.Logf("problem %4d× %s", problems[p], p)
	}
	if len(bad) > 0 {
		t.Logf("unparseable:\n\t%s", strings.Join(bad, "\n\t"))
	}
}

// smallCorpus reads the corpus messages of at most 64 KiB: the short
// mail that makes up most of the intake.
func smallCorpus(b *testing.B) [][]byte {
	b.Helper()
	var raws [][]byte
	for _, path := range corpusFiles(b, corpusDir(b)) {
		raw, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		if len(raw) <= 64<<10 {
			raws = append(raws, raw)
		}
	}
	return raws
}

// BenchmarkParseCorpus parses every small message of the corpus once per
// iteration.
func BenchmarkParseCorpus(b *testing.B) {
	raws := smallCorpus(b)
	var n int64
	for _, raw := range raws {
		n += int64(len(raw))
	}
	b.SetBytes(n)
	b.ReportAllocs()
	defer cpuPerOp(b)()
	for b.Loop() {
		for _, raw := range raws {
			Parse(raw)
		}
	}
}

// cpuPerOp starts counting the process's CPU time, user and system of all
// its threads, and returns the func that reports it per iteration as
// cpu-ns/op. On a machine shared with other work it varies less than
// ns/op, which also counts the time spent waiting for a CPU.
func cpuPerOp(b *testing.B) func() {
	start := processCPU(b)
	return func() { b.ReportMetric(float64(processCPU(b)-start)/float64(b.N), "cpu-ns/op") }
}

// processCPU is the process's user and system CPU time in nanoseconds.
func processCPU(b *testing.B) int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
