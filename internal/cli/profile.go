package cli

import (
	"log/slog"
	"os"
	"runtime"
	"runtime/pprof"
)

// Profiles the daemon writes when these are set (synpunkt-bench sets
// them): a CPU profile of the whole run and a heap profile at exit.
const (
	cpuProfileEnv = "SYNPUNKT_CPUPROFILE"
	memProfileEnv = "SYNPUNKT_MEMPROFILE"
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
	return func() {
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
