package bench

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"

	"github.com/exempelby/synpunkt/internal/smtpsink"
)

// sunk is one message a sink accepted, as the bench needs it: the first
// recipient for matching receipts, the size for the big forward, the time
// of the 250 for latency.
type sunk struct {
	To   string
	Size int
	At   time.Time
}

// sink is the bench's SMTP server.
type sink interface {
	Addr() string
	Messages() []sunk
	Close() error
}

// leanSink is the bench's default SMTP server: it accepts every message
// and keeps its envelope, size and time, never its bytes. It reads DATA a
// line at a time out of a 64 KiB buffer (go-smtp's server reads it a byte
// at a time and smtpsink keeps every byte), so the CPU it takes from the
// daemon on a shared machine is small: the bench measures the daemon, not
// its sink. It speaks just what smtpsend uses: EHLO/HELO, MAIL, RCPT,
// DATA, RSET, NOOP, QUIT, no TLS, no AUTH.
//
// With hold, a connection gets no greeting until release: the daemon's
// sends wait on the socket without costing CPU, so intake runs alone.
type leanSink struct {
	ln   net.Listener
	wg   sync.WaitGroup
	hold chan struct{} // closed by release; nil: no hold

	mu    sync.Mutex
	msgs  []sunk
	conns map[net.Conn]bool
	done  bool
}

func startLeanSink(hold bool) (*leanSink, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("lean sink: %w", err)
	}
	s := &leanSink{ln: ln, conns: map[net.Conn]bool{}}
	if hold {
		s.hold = make(chan struct{})
	}
	s.wg.Add(1)
	go s.serve()
	return s, nil
}

func (s *leanSink) Addr() string { return s.ln.Addr().String() }

// release lets held connections be greeted, and every later one at once.
func (s *leanSink) release() {
	if s.hold != nil {
		select {
		case <-s.hold:
		default:
			close(s.hold)
		}
	}
}

func (s *leanSink) Messages() []sunk {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]sunk(nil), s.msgs...)
}

// Close stops accepting, closes open connections and waits for them.
func (s *leanSink) Close() error {
	err := s.ln.Close()
	s.release()
	s.mu.Lock()
	s.done = true
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
	return err
}

func (s *leanSink) serve() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		if s.done {
			s.mu.Unlock()
			c.Close()
			return
		}
		s.conns[c] = true
		s.wg.Add(1)
		s.mu.Unlock()
		go func() {
			defer s.wg.Done()
			s.session(c) //nolint:errcheck // a broken session records nothing
			s.mu.Lock()
			delete(s.conns, c)
			s.mu.Unlock()
			c.Close()
		}()
	}
}

// session speaks SMTP on c until QUIT or an error.
func (s *leanSink) session(c net.Conn) error {
	if s.hold != nil {
		<-s.hold
	}
	r := bufio.NewReaderSize(c, 64<<10)
	w := bufio.NewWriter(c)
	reply := func(line string) error {
		w.WriteString(line)
		w.WriteString("\r\n")
		return w.Flush()
	}
	if err := reply("220 localhost ESMTP synpunkt-bench"); err != nil {
		return err
	}
	var to []string
	for {
		line, err := r.ReadSlice('\n')
		if err != nil {
			return err
		}
		verb := string(bytes.ToUpper(bytes.TrimSpace(line[:min(len(line), 4)])))
		switch verb {
		case "EHLO":
			err = reply("250-localhost\r\n250-8BITMIME\r\n250 SMTPUTF8")
		case "HELO", "NOOP":
			err = reply("250 OK")
		case "MAIL", "RSET":
			to = nil
			err = reply("250 OK")
		case "RCPT":
			addr, ok := angle(line)
			if !ok {
				err = reply("501 syntax: RCPT TO:<address>")
				break
			}
			to = append(to, addr)
			err = reply("250 OK")
		case "DATA":
			if len(to) == 0 {
				err = reply("503 RCPT first")
				break
			}
			if err = reply("354 go ahead"); err != nil {
				return err
			}
			var n int
			if n, err = readData(r); err != nil {
				return err
			}
			s.mu.Lock()
			s.msgs = append(s.msgs, sunk{To: to[0], Size: n, At: time.Now()})
			s.mu.Unlock()
			to = nil
			err = reply("250 OK")
		case "QUIT":
			reply("221 bye") //nolint:errcheck // closing anyway
			return nil
		default:
			err = reply("502 not implemented")
		}
		if err != nil {
			return err
		}
	}
}

// angle returns the address between < and > in an SMTP command line.
func angle(line []byte) (string, bool) {
	i, j := bytes.IndexByte(line, '<'), bytes.IndexByte(line, '>')
	if i < 0 || j < i {
		return "", false
	}
	return string(line[i+1 : j]), true
}

// readData reads a message body up to the line "." and returns its size
// once dot-unstuffed (RFC 5321 §4.5.2), as smtpsink would keep it.
func readData(r *bufio.Reader) (int, error) {
	n := 0
	atStart := true // at the start of a line
	for {
		line, err := r.ReadSlice('\n')
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return n, err
		}
		if atStart && len(line) > 0 && line[0] == '.' {
			if string(line) == ".\r\n" {
				return n, nil
			}
			n-- // the stuffed dot
		}
		n += len(line)
		atStart = err == nil // a full buffer leaves the line open
	}
}

// goSMTPSink is smtpsink (go-smtp's server, every byte kept), the bench's
// sink before the lean one, kept to measure what a sink costs.
type goSMTPSink struct{ *smtpsink.Sink }

func (g goSMTPSink) Messages() []sunk {
	var out []sunk
	for _, m := range g.Sink.Messages() {
		to := ""
		if len(m.To) > 0 {
			to = m.To[0]
		}
		out = append(out, sunk{To: to, Size: len(m.Data), At: m.At})
	}
	return out
}
