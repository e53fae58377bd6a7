package mailfiles

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// mustWrite creates the files of tree under dir; a name ending in "/" is
// a directory.
func mustWrite(t *testing.T, dir string, tree map[string]string) {
	t.Helper()
	for name, body := range tree {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if strings.HasSuffix(name, "/") {
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// collect walks paths (relative to dir) and returns "name=raw" strings with
// dir stripped from names.
func collect(t *testing.T, dir string, paths ...string) []string {
	t.Helper()
	var abs []string
	for _, p := range paths {
		abs = append(abs, filepath.Join(dir, p))
	}
	var got []string
	err := Walk(abs, func(src Source) error {
		rel, err := filepath.Rel(dir, src.Name)
		if err != nil {
			return err
		}
		got = append(got, filepath.ToSlash(rel)+"="+string(src.Raw))
		return nil
	})
	if err != nil {
		t.Fatalf("Walk: %v", err)
	}
	return got
}

const msgA = "From: a@example.se\nSubject: A\n\nHej A\n"

func TestWalk(t *testing.T) {
	tests := []struct {
		name  string
		tree  map[string]string
		paths []string
		want  []string
	}{
		{
			name:  "single eml",
			tree:  map[string]string{"one.eml": msgA},
			paths: []string{"one.eml"},
			want:  []string{"one.eml=" + msgA},
		},
		{
			name: "mbox with quoting",
			tree: map[string]string{"box": "From a@b Mon Jan  1 00:00:00 2026\nSubject: 1\n\n>From here\n>>From there\n\n" +
				"From c@d Mon Jan  1 00:00:01 2026\nSubject: 2\n\nTwo\n"},
			paths: []string{"box"},
			want:  []string{"box#1=Subject: 1\n\nFrom here\n>From there\n", "box#2=Subject: 2\n\nTwo\n"},
		},
		{
			name:  "mbox with CRLF",
			tree:  map[string]string{"box.mbox": "From a@b Mon Jan  1 00:00:00 2026\r\nSubject: 1\r\n\r\nOne\r\n\r\nFrom c@d Mon Jan  1 00:00:01 2026\r\nSubject: 2\r\n\r\nTwo\r\n"},
			paths: []string{"box.mbox"},
			want:  []string{"box.mbox#1=Subject: 1\r\n\r\nOne\r\n", "box.mbox#2=Subject: 2\r\n\r\nTwo\r\n"},
		},
		{
			name:  "From line without mbox structure",
			tree:  map[string]string{"note.txt": "From the desk of the mayor\nhello\n"},
			paths: []string{"note.txt"},
			want:  []string{"note.txt=From the desk of the mayor\nhello\n"},
		},
		{
			name: "maildir with Maildir++ subfolder",
			tree: map[string]string{
				"md/cur/2:2,S": "cur2", "md/cur/1:2,S": "cur1", "md/new/3": "new3", "md/tmp/4": "tmp4",
				"md/.Sent/cur/5": "sent5", "md/.Sent/new/": "", "md/.Sent/tmp/": "",
				"md/cur/.hidden": "x", "md/dovecot-uidlist": "not a message",
			},
			paths: []string{"md"},
			want:  []string{"md/cur/1:2,S=cur1", "md/cur/2:2,S=cur2", "md/new/3=new3", "md/.Sent/cur/5=sent5"},
		},
		{
			name: "plain directory recursion",
			tree: map[string]string{
				"d/b.eml": "b", "d/a.eml": "a", "d/sub/c": "c", "d/.git/config": "x", "d/.DS_Store": "x",
				"d/mb": "From a@b Mon Jan  1 00:00:00 2026\nSubject: m\n\nm\n",
			},
			paths: []string{"d"},
			want:  []string{"d/a.eml=a", "d/b.eml=b", "d/mb#1=Subject: m\n\nm\n", "d/sub/c=c"},
		},
		{
			name:  "paths in argument order",
			tree:  map[string]string{"z.eml": "z", "a.eml": "a"},
			paths: []string{"z.eml", "a.eml"},
			want:  []string{"z.eml=z", "a.eml=a"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			mustWrite(t, dir, tt.tree)
			if got := collect(t, dir, tt.paths...); !slices.Equal(got, tt.want) {
				t.Errorf("Walk(%q) = %q, want %q", tt.paths, got, tt.want)
			}
		})
	}
}

func TestWalkErrors(t *testing.T) {
	dir := t.TempDir()
	mustWrite(t, dir, map[string]string{"a.eml": "a", "b.eml": "b"})

	missing := filepath.Join(dir, "missing")
	err := Walk([]string{missing}, func(Source) error { return nil })
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), missing) {
		t.Errorf("Walk(missing) = %v, want wrapped ErrNotExist naming the path", err)
	}

	stop := errors.New("stop")
	var seen int
	err = Walk([]string{dir}, func(Source) error { seen++; return stop })
	if !errors.Is(err, stop) || seen != 1 || !strings.Contains(err.Error(), "a.eml") {
		t.Errorf("Walk with failing fn = %v after %d calls, want stop after 1 naming a.eml", err, seen)
	}
}

func TestIsMbox(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"From a@b Mon Jan  1 00:00:00 2026\nSubject: x\n", true},
		{"From a@b Mon Jan  1 00:00:00 2026\r\nReturn-Path: <a@b>\r\n", true},
		{"From: a@b\nSubject: x\n", false},
		{"From the desk\nhello: there is a colon\n", false},
		{"From a@b Mon Jan  1 00:00:00 2026\nnot a header\n", false},
		{"From the desk\nno colon here\n", false},
		{"From x", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := IsMbox([]byte(tt.in)); got != tt.want {
			t.Errorf("IsMbox(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
