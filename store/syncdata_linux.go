package store

import (
	"os"
	"syscall"
)

// syncData makes f's data durable with what reading it needs (its size),
// without the rest of its metadata (fdatasync): a spool file's name is
// made durable by its directory's fsync. A spool file the IMAP intake
// wrote to disk already costs it next to nothing, where an fsync would
// wait for a journal commit for the link count the hard link changed.
func syncData(f *os.File) error {
	for {
		err := syscall.Fdatasync(int(f.Fd()))
		if err != syscall.EINTR {
			if err != nil {
				return &os.PathError{Op: "fdatasync", Path: f.Name(), Err: err}
			}
			return nil
		}
	}
}
