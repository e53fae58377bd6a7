package cli

import (
	"io"
	"log/slog"
	"os"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
)

// Profiles the daemon writes when these are set (synpunkt-bench sets
// them): a CPU profile of the whole run and a heap profile at exit.
const (
	cpuProfileEnv = "SYNPUNKT_CPUPROFILE"
	memProfileEnv = "SYNPUNKT_MEMPROFILE"
	// traceEnv names a file for a Go execution trace of the whole run
	// (go tool trace; -pprof=sync shows where goroutines wait on locks).
	traceEnv = "SYNPUNKT_TRACE"
)

// startProfiles starts the profiles asked for by the environment and
// returns what writes them; a failure is logged and profiling skipped.
func startProfiles(log *slog.Logger) (stop func()) {
	cpu := startFile(log, cpuProfileEnv, "cpu profile", pprof.StartCPUProfile)
	tr := startFile(log, traceEnv, "execution trace", trace.Start)
	return func() {
		if tr != nil {
			trace.Stop()
			tr.Close()
		}
		if cpu != nil {
			pprof.StopCPUProfile()
			cpu.Close()
		}
		if p := os.Getenv(memProfileEnv); p != "" {
			runtime.GC()
			f, err := os.Create(p)
			if err == nil {
				err = pprof.WriteHeapProfile(f)
				f.Close()
			}
			if err != nil {
				log.Warn("heap profile not written", "err", err)
			}
		}
	}
}

// startFile creates the file named by the environment variable env and
// starts writing what to it with start; it returns the open file, or nil
// when env is unset or the start failed (the failure is logged).
func startFile(log *slog.Logger, env, what string, start func(io.Writer) error) *os.File {
	p := os.Getenv(env)
	if p == "" {
		return nil
	}
	f, err := os.Create(p)
	if err == nil {
		if err = start(f); err != nil {
			f.Close()
		}
	}
	if err != nil {
		log.Warn(what+" not written", "err", err)
		return nil
	}
	return f
}
