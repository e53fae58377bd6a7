// Package mailfiles finds the messages stored in files for
// "synpunkt import": single message files, mbox files, Maildir folders and
// plain directories.
//
// It owns how a path is turned into raw messages and in which order. What
// always holds: every message is handed to the callback exactly once, in a
// deterministic order (paths in argument order; directory entries sorted by
// name; mbox messages in file order), with a Name that says where it came
// from. The bytes are not interpreted beyond splitting mbox files.
//
// How it fails: an I/O error on a path stops the walk and is returned
// wrapped with that path; an error from the callback stops the walk and is
// returned wrapped with the message name. Messages handed over before the
// error stay handed over.
package mailfiles

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Source is one raw message found on disk.
type Source struct {
	// Name is the file path, or "path#N" for the Nth message (from 1) of an
	// mbox file.
	Name string
	Raw  []byte // the message bytes; for mbox, with ">From " unquoted
}

// Walk calls fn for every message under paths. A path may be a message
// file, an mbox file, a Maildir (with cur/ and new/, and Maildir++
// subfolders such as .Sent/), or a plain directory, where every regular,
// non-hidden file is one message and subdirectories are walked.
func Walk(paths []string, fn func(src Source) error) error {
	for _, p := range paths {
		if err := walkPath(p, fn); err != nil {
			return err
		}
	}
	return nil
}

// walkPath dispatches on what p is.
func walkPath(p string, fn func(Source) error) error {
	fi, err := os.Stat(p)
	if err != nil {
		return fmt.Errorf("%s: %w", p, err)
	}
	switch {
	case fi.IsDir() && isMaildir(p):
		return walkMaildir(p, fn)
	case fi.IsDir():
		return walkDir(p, fn)
	case fi.Mode().IsRegular():
		return walkFile(p, fn)
	}
	return nil
}

// isMaildir reports whether dir has both cur/ and new/ subdirectories.
func isMaildir(dir string) bool {
	return isDir(filepath.Join(dir, "cur")) && isDir(filepath.Join(dir, "new"))
}

// isDir reports whether p is a directory.
func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

// walkMaildir yields cur/ then new/ of dir, then each Maildir++ subfolder
// (a dot-directory that is itself a Maildir), all sorted by name. tmp/ holds
// deliveries in progress and is skipped.
func walkMaildir(dir string, fn func(Source) error) error {
	for _, sub := range []string{"cur", "new"} {
		if err := walkFlat(filepath.Join(dir, sub), fn); err != nil {
			return err
		}
	}
	// Maildir++ subfolders are the dot-directories that are Maildirs.
	return eachEntry(dir, func(name, sub string) error {
		if !strings.HasPrefix(name, ".") || name == "." || name == ".." || !isMaildir(sub) {
			return nil
		}
		return walkMaildir(sub, fn)
	})
}

// walkFlat yields every regular, non-hidden file of dir as one message.
func walkFlat(dir string, fn func(Source) error) error {
	return eachEntry(dir, func(name, p string) error {
		if strings.HasPrefix(name, ".") || !isRegular(p) {
			return nil
		}
		return emitFile(p, fn)
	})
}

// walkDir walks a plain directory: files are messages (or mbox files),
// subdirectories are walked, hidden entries are skipped.
func walkDir(dir string, fn func(Source) error) error {
	return eachEntry(dir, func(name, p string) error {
		if strings.HasPrefix(name, ".") {
			return nil
		}
		return walkPath(p, fn)
	})
}

// eachEntry calls visit with the name and path of every entry of dir,
// sorted by name, and stops at the first error.
func eachEntry(dir string, visit func(name, p string) error) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("%s: %w", dir, err)
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	slices.Sort(names)
	for _, name := range names {
		if err := visit(name, filepath.Join(dir, name)); err != nil {
			return err
		}
	}
	return nil
}

// isRegular reports whether p is a regular file, following symlinks.
func isRegular(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}

// emitFile hands one file over as one message, without mbox sniffing:
// Maildir files are single messages by definition.
func emitFile(p string, fn func(Source) error) error {
	raw, err := os.ReadFile(p)
	if err != nil {
		return fmt.Errorf("%s: %w", p, err)
	}
	return call(fn, Source{Name: p, Raw: raw})
}

// walkFile hands over a single file: each message of an mbox, or the file
// as one message.
func walkFile(p string, fn func(Source) error) error {
	raw, err := os.ReadFile(p)
	if err != nil {
		return fmt.Errorf("%s: %w", p, err)
	}
	if !IsMbox(raw) {
		return call(fn, Source{Name: p, Raw: raw})
	}
	for i, msg := range SplitMbox(raw) {
		if err := call(fn, Source{Name: p + "#" + strconv.Itoa(i+1), Raw: msg}); err != nil {
			return err
		}
	}
	return nil
}

// call runs fn, wrapping its error with the message name.
func call(fn func(Source) error, src Source) error {
	if err := fn(src); err != nil {
		return fmt.Errorf("%s: %w", src.Name, err)
	}
	return nil
}

// envelopeRE matches the time in an mbox envelope line such as
// "From a@b Mon Jan  1 00:00:00 2026".
var envelopeRE = regexp.MustCompile(`\d\d?:\d\d`)

// IsMbox reports whether raw looks like an mbox file: a "From " envelope
// line with a time in it, followed by a header field. A single message
// saved with its envelope line is an mbox of one.
func IsMbox(raw []byte) bool {
	if !bytes.HasPrefix(raw, []byte("From ")) {
		return false
	}
	nl := bytes.IndexByte(raw, '\n')
	if nl < 0 || !envelopeRE.Match(raw[:nl]) {
		return false
	}
	next := raw[nl+1:]
	colon := bytes.IndexByte(next, ':')
	eol := bytes.IndexByte(next, '\n')
	return colon > 0 && (eol < 0 || colon < eol) && !bytes.ContainsAny(next[:colon], " \t")
}

// SplitMbox splits an mbox file into messages at "From " lines that start
// a line after a line break (mboxo and mboxrd). The envelope lines are
// dropped and ">From " quoting is undone: one ">" is removed from lines of
// the form ">+From ", which is exact for mboxrd and the best possible for
// mboxo. Line endings are kept as they are.
func SplitMbox(raw []byte) [][]byte {
	var msgs [][]byte
	for len(raw) > 0 {
		// raw starts at an envelope line: skip it.
		nl := bytes.IndexByte(raw, '\n')
		if nl < 0 {
			break
		}
		raw = raw[nl+1:]
		end := bytes.Index(raw, []byte("\nFrom "))
		body := raw
		if end >= 0 {
			body, raw = raw[:end+1], raw[end+1:]
		} else {
			raw = nil
		}
		msgs = append(msgs, unquoteFrom(trimSeparator(body)))
	}
	return msgs
}

// trimSeparator removes the blank line that mbox writers put before the
// next envelope line.
func trimSeparator(b []byte) []byte {
	switch {
	case bytes.HasSuffix(b, []byte("\r\n\r\n")):
		return b[:len(b)-2]
	case bytes.HasSuffix(b, []byte("\n\n")):
		return b[:len(b)-1]
	}
	return b
}

// unquoteFrom removes one ">" from every line matching ">+From ".
func unquoteFrom(b []byte) []byte {
	if !bytes.Contains(b, []byte(">From ")) {
		return b
	}
	lines := bytes.SplitAfter(b, []byte("\n"))
	for i, l := range lines {
		q := bytes.TrimLeft(l, ">")
		if len(q) < len(l) && bytes.HasPrefix(q, []byte("From ")) {
			lines[i] = l[1:]
		}
	}
	return bytes.Join(lines, nil)
}
