package mailbox

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// bigMessage is a message of about n bytes whose body repeats marker.
func bigMessage(id, marker string, n int) []byte {
	head := fmt.Sprintf("From: medborgare@example.org\r\nTo: synpunkt@exempelby.se\r\nSubject: Stor bilaga\r\n"+
		"Message-ID: <%s>\r\nDate: Mon, 2 Mar 2026 10:00:00 +0100\r\n\r\n", id)
	line := marker + " Här är bilagan.\r\n"
	return append([]byte(head), bytes.Repeat([]byte(line), n/len(line)+1)...)
}

// A message over MaxMessageSize (known from RFC822.SIZE) is fetched header
// only: its body never reaches the Handler, which is told its size and
// quarantines it; the message goes to the quarantine mailbox.
func TestOversizedMessageOfferedHeaderOnly(t *testing.T) {
	srv, big := smallThenBig(t)
	var mu sync.Mutex
	var got []Delivery
	h := HandlerFunc(func(_ context.Context, d Delivery) (Disposition, error) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, d)
		if d.HeaderOnly {
			return Quarantined, nil
		}
		return Registered, nil
	})
	cfg := srv.config()
	cfg.MaxMessageSize = 64 << 10
	startIntake(t, cfg, h, nil).waitIdle(t)
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 2 {
		t.Fatalf("deliveries = %d, want 2", len(got))
	}
	if small := got[0]; small.HeaderOnly || !bytes.Contains(small.Raw, []byte("gatlyktan")) {
		t.Errorf("small message: HeaderOnly = %v, Raw = %q; want it whole", small.HeaderOnly, small.Raw)
	}
	d := got[1]
	if !d.HeaderOnly || d.Size != int64(len(big)) {
		t.Errorf("big message: HeaderOnly = %v, Size = %d; want true, %d", d.HeaderOnly, d.Size, len(big))
	}
	if bytes.Contains(d.Raw, []byte("BODYMARKER")) || len(d.Raw) > 1024 {
		t.Errorf("big message: %d bytes of Raw reached the handler, with body: %v", len(d.Raw), bytes.Contains(d.Raw, []byte("BODYMARKER")))
	}
	if !bytes.Contains(d.Raw, []byte("Message-ID: <big@example.org>")) {
		t.Errorf("big message: header missing from Raw %q", d.Raw)
	}
	if n := srv.count(t, "Karantän"); n != 1 {
		t.Errorf("Karantän count = %d, want 1", n)
	}
	if n := srv.count(t, "INBOX"); n != 0 {
		t.Errorf("INBOX count = %d, want 0", n)
	}
}

// A message of at least SpoolMin bytes is fetched into a temporary file of
// SpoolDir, not into memory: the Handler gets it in Delivery.File, whole,
// with its SHA-256 and a closed Lean copy; a small one still comes in Raw.
// The file is gone once its batch is over.
func TestBigMessageFetchedIntoFile(t *testing.T) {
	srv, big := smallThenBig(t)
	var mu sync.Mutex
	var got []Delivery
	var contents [][]byte
	h := HandlerFunc(func(_ context.Context, d Delivery) (Disposition, error) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, d)
		var b []byte
		if d.File != nil {
			b, _ = io.ReadAll(io.NewSectionReader(d.File.File, 0, d.File.Size))
		}
		contents = append(contents, b)
		return Registered, nil
	})
	cfg := srv.config()
	cfg.SpoolDir, cfg.SpoolMin = t.TempDir(), 64<<10
	startIntake(t, cfg, h, nil).waitIdle(t)
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 2 {
		t.Fatalf("deliveries = %d, want 2", len(got))
	}
	if small := got[0]; small.File != nil || !bytes.Contains(small.Raw, []byte("gatlyktan")) {
		t.Errorf("small message: File %v, Raw %q; want it whole in Raw", small.File, small.Raw)
	}
	d, sum := got[1], sha256.Sum256(big)
	if d.Raw != nil || d.File == nil {
		t.Fatalf("big message: Raw %d bytes, File %v; want a file", len(d.Raw), d.File)
	}
	if !bytes.Equal(contents[1], big) || d.File.Size != int64(len(big)) || d.File.SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("big message file: %d bytes, Size %d, SHA-256 %s; want %d bytes, %x", len(contents[1]), d.File.Size, d.File.SHA256, len(big), sum)
	}
	if !strings.Contains(d.File.Path, ".tmp-") || d.File.Lean == nil || d.File.Lean.Len() == 0 {
		t.Errorf("big message file %q, Lean %v; want a temporary name and a Lean copy", d.File.Path, d.File.Lean)
	}
	if ents, _ := os.ReadDir(cfg.SpoolDir); len(ents) != 0 {
		t.Errorf("%d files left in the spool directory after the batch", len(ents))
	}
	if n := srv.count(t, "INBOX"); n != 0 {
		t.Errorf("INBOX count = %d, want 0", n)
	}
}

// A Preparer sees the Lean copy of a message fetched into a file; once
// its Prepare returned non-nil the copy is dropped, and Handle gets the
// file without it (and the Prepare result). Unprepared (Prepare returned
// nil), the copy stays for Handle.
func TestLeanCopyDroppedOncePrepared(t *testing.T) {
	for _, returns := range []bool{true, false} {
		srv, _ := smallThenBig(t)
		var mu sync.Mutex
		var leanInPrepare, leanInHandle []bool
		h := &leanPreparer{returns: returns, prepare: func(d Delivery) {
			if d.File != nil {
				mu.Lock()
				leanInPrepare = append(leanInPrepare, d.File.Lean != nil)
				mu.Unlock()
			}
		}, handle: func(d Delivery) {
			if d.File != nil {
				mu.Lock()
				leanInHandle = append(leanInHandle, d.File.Lean != nil)
				mu.Unlock()
			}
		}}
		cfg := srv.config()
		cfg.SpoolDir, cfg.SpoolMin = t.TempDir(), 64<<10
		startIntake(t, cfg, h, nil).waitIdle(t)
		mu.Lock()
		if want := []bool{!returns}; !slices.Equal(leanInPrepare, []bool{true}) || !slices.Equal(leanInHandle, want) {
			t.Errorf("Prepare returning non-nil %v: Lean there in Prepare %v, in Handle %v; want [true], %v", returns, leanInPrepare, leanInHandle, want)
		}
		mu.Unlock()
		if n := srv.count(t, "INBOX"); n != 0 {
			t.Errorf("INBOX count = %d, want 0", n)
		}
	}
}

type leanPreparer struct {
	returns         bool
	prepare, handle func(Delivery)
}

func (p *leanPreparer) Prepare(d Delivery) any {
	p.prepare(d)
	if !p.returns {
		return nil
	}
	return "prepared"
}

func (p *leanPreparer) Handle(_ context.Context, d Delivery) (Disposition, error) {
	p.handle(d)
	return Registered, nil
}

// smallThenBig starts an in-memory server whose INBOX holds a small
// message and then a big one of about 300 KiB (returned) whose body
// repeats BODYMARKER.
func smallThenBig(t *testing.T) (*memServer, []byte) {
	t.Helper()
	srv := startMemServer(t, capsRev2)
	big := bigMessage("big@example.org", "BODYMARKER", 300<<10)
	srv.append(t, "INBOX", testMessage("small"))
	srv.append(t, "INBOX", big)
	return srv, big
}

// The Lean copies of fetched messages not yet prepared stay within
// FetchBatchBytes: with a cap smaller than one copy, a batch of big
// messages (counted light, several to a batch) is prepared one at a time,
// each fetched only once the one before is prepared.
func TestLeanCopiesAwaitingPrepareBounded(t *testing.T) {
	srv := startMemServer(t, capsRev2)
	for i := range 4 {
		srv.append(t, "INBOX", bigMessage(fmt.Sprintf("big%d@example.org", i), "BODYMARKER", 300<<10))
	}
	var mu sync.Mutex
	var inFlight, most, files int
	h := &leanPreparer{returns: true, prepare: func(d Delivery) {
		mu.Lock()
		inFlight++
		most = max(most, inFlight)
		if d.File != nil {
			files++
		}
		mu.Unlock()
		time.Sleep(20 * time.Millisecond) // a slow Prepare: the fetch would run ahead
		mu.Lock()
		inFlight--
		mu.Unlock()
	}, handle: func(Delivery) {}}
	cfg := srv.config()
	cfg.SpoolDir, cfg.SpoolMin = t.TempDir(), 64<<10
	cfg.FetchBatchBytes, cfg.FirstFetchBatch = 200<<10, 4 // 3 light messages a batch; a Lean copy is ~300 KiB
	startIntake(t, cfg, h, nil).waitIdle(t)
	mu.Lock()
	defer mu.Unlock()
	if files != 4 || most != 1 {
		t.Errorf("Prepares of spooled messages: %d, at most %d at once; want 4, 1", files, most)
	}
	if n := srv.count(t, "INBOX"); n != 0 {
		t.Errorf("INBOX count = %d, want 0", n)
	}
}
