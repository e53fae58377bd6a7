package daemon

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"
	"time"
)

// ErrLocked is returned (wrapped) by Run when another daemon already runs
// on the same database.
var ErrLocked = errors.New("another synpunkt daemon is running on this database")

// Lock is the instance lock of a database: an exclusive flock(2) on the
// file "<database>.lock", which the kernel releases when the process ends,
// however it ends.
type Lock struct{ f *os.File }

// lockPath returns the lock file of the database at dbPath.
func lockPath(dbPath string) string { return dbPath + ".lock" }

// AcquireLock takes the instance lock of the database at dbPath, or fails
// with ErrLocked naming the process that holds it. It tries for a second,
// so a command's momentary probe (Running) does not turn a daemon away.
func AcquireLock(dbPath string) (*Lock, error) {
	var err error
	for range 10 {
		var l *Lock
		if l, err = tryLock(dbPath, syscall.LOCK_EX); !errors.Is(err, ErrLocked) {
			return l, err
		}
		time.Sleep(100 * time.Millisecond)
	}
	return nil, err
}

// tryLock takes the lock in mode (LOCK_EX or LOCK_SH) without waiting.
func tryLock(dbPath string, mode int) (*Lock, error) {
	f, err := os.OpenFile(lockPath(dbPath), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("instance lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), mode|syscall.LOCK_NB); err != nil {
		holder, _ := os.ReadFile(lockPath(dbPath))
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%w: %s is held by process %s", ErrLocked, lockPath(dbPath), strings.TrimSpace(string(holder)))
		}
		return nil, fmt.Errorf("instance lock %s: %w", lockPath(dbPath), err)
	}
	if mode == syscall.LOCK_EX {
		if err := f.Truncate(0); err == nil {
			fmt.Fprintf(f, "%d\n", os.Getpid())
		}
	}
	return &Lock{f: f}, nil
}

// Release gives the lock up.
func (l *Lock) Release() error {
	syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN) //nolint:errcheck // Close releases it as well
	return l.f.Close()
}

// Running reports whether a daemon holds the instance lock of the database
// at dbPath.
func Running(dbPath string) (bool, error) {
	l, err := tryLock(dbPath, syscall.LOCK_SH)
	if errors.Is(err, ErrLocked) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	return false, l.Release()
}
