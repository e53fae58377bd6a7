package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrReadableByOthers is returned (wrapped) by Open when the database or
// its WAL or shared-memory file can be read by users other than its owner
// (or, without Options.AllowGroupRead, its group).
var ErrReadableByOthers = errors.New("database readable by others")

// Modes of what Open creates: the database holds original messages with
// personal data, so only its owner may read it. SQLite creates the -wal and
// -shm files with the mode of the database file.
const (
	dirMode  fs.FileMode = 0o700
	fileMode fs.FileMode = 0o600
)

// preparePath makes the database's directory (0700) and an empty database
// file (0600) when they do not exist, and refuses a database, WAL or
// shared-memory file that others (or, unless allowGroup, the group) can
// access.
func preparePath(path string, allowGroup bool) error {
	if err := os.MkdirAll(filepath.Dir(path), dirMode); err != nil {
		return fmt.Errorf("create directory: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, fileMode)
	switch {
	case err == nil:
		if err := f.Close(); err != nil {
			return fmt.Errorf("create database file: %w", err)
		}
	case !errors.Is(err, fs.ErrExist):
		return fmt.Errorf("create database file: %w", err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := checkPrivate(p, allowGroup); err != nil {
			return err
		}
	}
	return nil
}

// checkPrivate refuses the file at p if it is accessible to others, or to
// its group unless allowGroup; a missing file is fine.
func checkPrivate(p string, allowGroup bool) error {
	fi, err := os.Stat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("check permissions: %w", err)
	}
	forbidden := fs.FileMode(0o077)
	if allowGroup {
		forbidden = 0o007
	}
	if mode := fi.Mode().Perm(); mode&forbidden != 0 {
		return fmt.Errorf("%w: %s has mode %#o; it holds personal data, run chmod 600 %s (store.allow_group_read = true lets the group read it, never others)",
			ErrReadableByOthers, p, mode, p)
	}
	return nil
}
