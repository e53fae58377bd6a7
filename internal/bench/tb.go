package bench

import (
	"fmt"
	"os"
	"runtime"
	"sync"
	"testing"
)

// harness lets the test servers (dovecottest takes a testing.TB) run in a
// command: Fatal panics with a harnessFailure that Run turns into an
// error, TempDir and Cleanup are kept here and undone by cleanup.
type harness struct {
	testing.TB // nil: a method not overridden below panics
	mu         sync.Mutex
	dirs       []string
	cleanups   []func()
	failed     bool
	logf       func(format string, args ...any)
}

type harnessFailure struct{ msg string }

func (h *harness) Helper()                   {}
func (h *harness) Name() string              { return "synpunkt-bench" }
func (h *harness) Failed() bool              { return h.failed }
func (h *harness) Log(args ...any)           { h.logf("%s", fmt.Sprint(args...)) }
func (h *harness) Logf(f string, a ...any)   { h.logf(f, a...) }
func (h *harness) Errorf(f string, a ...any) { h.failed = true; h.logf(f, a...) }
func (h *harness) Error(args ...any)         { h.Errorf("%s", fmt.Sprint(args...)) }
func (h *harness) Fatalf(f string, a ...any) {
	h.failed = true
	panic(harnessFailure{fmt.Sprintf(f, a...)})
}
func (h *harness) Fatal(args ...any)        { h.Fatalf("%s", fmt.Sprint(args...)) }
func (h *harness) FailNow()                 { h.Fatalf("failed") }
func (h *harness) Skip(args ...any)         { h.Fatalf("skipped: %s", fmt.Sprint(args...)) }
func (h *harness) Skipf(f string, a ...any) { h.Fatalf("skipped: "+f, a...) }
func (h *harness) Setenv(k, v string)       { os.Setenv(k, v) }

func (h *harness) TempDir() string {
	d, err := os.MkdirTemp("", "synpunkt-bench-")
	if err != nil {
		h.Fatalf("temp dir: %v", err)
	}
	h.mu.Lock()
	h.dirs = append(h.dirs, d)
	h.mu.Unlock()
	return d
}

func (h *harness) Cleanup(f func()) {
	h.mu.Lock()
	h.cleanups = append(h.cleanups, f)
	h.mu.Unlock()
}

// cleanup runs the cleanups in reverse and removes the temp directories.
func (h *harness) cleanup() {
	h.mu.Lock()
	cs, ds := h.cleanups, h.dirs
	h.cleanups, h.dirs = nil, nil
	h.mu.Unlock()
	for i := len(cs) - 1; i >= 0; i-- {
		cs[i]()
	}
	for _, d := range ds {
		os.RemoveAll(d)
	}
}

// catch turns a harnessFailure panic into *err.
func catch(err *error) {
	if r := recover(); r != nil {
		f, ok := r.(harnessFailure)
		if !ok {
			buf := make([]byte, 4096)
			panic(fmt.Sprintf("%v\n%s", r, buf[:runtime.Stack(buf, false)]))
		}
		*err = fmt.Errorf("%s", f.msg)
	}
}
