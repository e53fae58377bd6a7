package cli

import (
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
	var cpu *os.File
	if p := os.Getenv(cpuProfileEnv); p != "" {
		f, err := os.Create(p)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			log.Warn("cpu profile not written", "err", err)
		} else {
			cpu = f
		}
	}
	var tr *os.File
	if p := os.Getenv(traceEnv); p != "" {
		f, err := os.Create(p)
		if err == nil {
			err = trace.Start(f)
		}
		if err != nil {
			log.Warn("execution trace not written", "err", err)
		} else {
			tr = f
		}
	}
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
