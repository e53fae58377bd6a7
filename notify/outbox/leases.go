package outbox

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// LeaseStore is what ReleaseStale needs of the store.
type LeaseStore interface {
	LeaseOwners(ctx context.Context) ([]string, error)
	ReleaseLeases(ctx context.Context, owner string) (int64, error)
}

// ReleaseStale drops the leases of workers on this host whose process is
// gone (a daemon killed mid-send), so their notifications are sent now
// rather than when the lease runs out. The one send that was in flight may
// then be repeated, as after any crash. It returns how many were released.
func ReleaseStale(ctx context.Context, st LeaseStore) (int64, error) {
	owners, err := st.LeaseOwners(ctx)
	if err != nil {
		return 0, err
	}
	host, _ := os.Hostname()
	var n int64
	for _, o := range owners {
		if !deadOwner(o, host) {
			continue
		}
		k, err := st.ReleaseLeases(ctx, o)
		if err != nil {
			return n, fmt.Errorf("release stale leases: %w", err)
		}
		n += k
	}
	return n, nil
}

// deadOwner reports whether owner ("host/pid/random", see newOwner) is a
// process on host that no longer runs.
func deadOwner(owner, host string) bool {
	parts := strings.Split(owner, "/")
	if len(parts) != 3 || parts[0] != host {
		return false
	}
	pid, err := strconv.Atoi(parts[1])
	if err != nil || pid <= 0 {
		return false
	}
	if pid == os.Getpid() {
		return false
	}
	return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
}
