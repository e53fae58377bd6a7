package mimeparse

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzParse(f *testing.F) {
	names, err := filepath.Glob(filepath.Join("testdata", "*.eml"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("From: a@b\nContent-Type: multipart/mixed; boundary=x\n\n--x\n\n--x--"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := Parse(raw)
		if err != nil {
			if !errors.Is(err, ErrUnparseable) {
				t.Fatalf("Parse error %v does not wrap ErrUnparseable", err)
			}
			return
		}
		for _, s := range []string{m.Text, m.Subject, m.From.Name} {
			if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
				t.Fatalf("invalid UTF-8 in output: %q", s)
			}
		}
		if len(m.Text) > MaxText {
			t.Fatalf("len(Text) = %d > MaxText", len(m.Text))
		}
	})
}

func BenchmarkParse(b *testing.B) {
	raw := mustReadFile(b, "attachments.eml")
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(raw); err != nil {
			b.Fatal(err)
		}
	}
}
