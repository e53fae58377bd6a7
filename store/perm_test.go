package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNewDatabaseIsPrivate: the database holds original messages with
// personnummer and phone numbers, so the file, its WAL and shared-memory
// files and the directory Open makes are the owner's alone.
func TestNewDatabaseIsPrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "var", "synpunkt")
	path := filepath.Join(dir, "synpunkt.db")
	s, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatalf("Open(%s) = %v", path, err)
	}
	defer s.Close()
	if _, err := s.Secret(context.Background(), "k", 8); err != nil { // a write: WAL and SHM exist
		t.Fatal(err)
	}
	want := map[string]os.FileMode{dir: 0o700, filepath.Dir(dir): 0o700, path: 0o600, path + "-wal": 0o600, path + "-shm": 0o600}
	for p, mode := range want {
		fi, err := os.Stat(p)
		if err != nil {
			t.Errorf("stat %s: %v", p, err)
			continue
		}
		if got := fi.Mode().Perm(); got != mode {
			t.Errorf("mode of %s = %#o, want %#o", p, got, mode)
		}
	}
}

// TestOpenRefusesDatabaseReadableByOthers: a database others can read is
// refused with an error naming the file and the fix; the group may read it
// only with AllowGroupRead, others never.
func TestOpenRefusesDatabaseReadableByOthers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "synpunkt.db")
	s, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	tests := []struct {
		mode       os.FileMode
		allowGroup bool
		ok         bool
	}{
		{0o600, false, true},
		{0o644, false, false},
		{0o604, true, false},
		{0o640, false, false},
		{0o640, true, true},
	}
	for _, tt := range tests {
		if err := os.Chmod(path, tt.mode); err != nil {
			t.Fatal(err)
		}
		s, err := Open(context.Background(), path, Options{AllowGroupRead: tt.allowGroup})
		if err == nil {
			s.Close()
		}
		if (err == nil) != tt.ok {
			t.Errorf("Open(mode %#o, AllowGroupRead %v) = %v, want ok %v", tt.mode, tt.allowGroup, err, tt.ok)
			continue
		}
		if err != nil && (!errors.Is(err, ErrReadableByOthers) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "chmod 600")) {
			t.Errorf("Open(mode %#o) = %q, want ErrReadableByOthers naming %s and chmod 600", tt.mode, err, path)
		}
	}
}
