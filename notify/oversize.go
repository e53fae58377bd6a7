package notify

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/emersion/go-message"
)

// ErrNoOriginal is returned (wrapped) by WithoutOriginal when the message
// has no attached original to leave out.
var ErrNoOriginal = errors.New("notify: no attached original")

// WithoutOriginal rebuilds a composed forward without its attached
// original (the message/rfc822 part), for a relay whose size limit the
// original exceeds. In its place goes a short Swedish note saying that
// the original is kept in the case. Every header, the Message-ID included,
// and the text part stay as they were, so replies still thread. number is
// the case number for the note (may be empty); limit the relay's SIZE (0:
// unknown).
func WithoutOriginal(payload []byte, number string, limit int64) ([]byte, error) {
	e, err := message.Read(bytes.NewReader(payload))
	if err != nil {
		return nil, fmt.Errorf("notify: read forward: %w", err)
	}
	mr := e.MultipartReader()
	if mr == nil {
		return nil, fmt.Errorf("notify: forward: %w", ErrNoOriginal)
	}
	var buf bytes.Buffer
	w, err := message.CreateWriter(&buf, e.Header)
	if err != nil {
		return nil, fmt.Errorf("notify: rebuild forward: %w", err)
	}
	dropped, err := copyParts(w, mr, originalNote(number, len(payload), limit))
	if err != nil {
		return nil, fmt.Errorf("notify: rebuild forward: %w", err)
	}
	if dropped == 0 {
		return nil, fmt.Errorf("notify: forward: %w", ErrNoOriginal)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("notify: rebuild forward: %w", err)
	}
	return buf.Bytes(), nil
}

// copyParts copies every part but the message/rfc822 ones, which it
// replaces by note, and returns how many it replaced.
func copyParts(w *message.Writer, mr message.MultipartReader, note string) (int, error) {
	dropped := 0
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return dropped, nil
		}
		if err != nil {
			return dropped, err
		}
		if t, _, _ := p.Header.ContentType(); strings.EqualFold(t, "message/rfc822") {
			dropped++
			if err := writePart(w, textHeader(), []byte(note)); err != nil {
				return dropped, err
			}
			continue
		}
		body, err := io.ReadAll(p.Body)
		if err != nil {
			return dropped, err
		}
		if err := writePart(w, p.Header, body); err != nil {
			return dropped, err
		}
	}
}

// originalNote tells the manager why the original is missing and where it is.
func originalNote(number string, size int, limit int64) string {
	where := "i ärendet hos synpunktsbrevlådan"
	if number != "" {
		where = "i ärende " + number + " hos synpunktsbrevlådan"
	}
	max := ""
	if limit > 0 {
		max = fmt.Sprintf(" (e-postservern tar emot högst %s)", megabytes(limit))
	}
	return fmt.Sprintf("Originalmeddelandet med bilagor är inte bifogat: det var för stort för e-post, %s%s.\r\n"+
		"Det finns sparat oförändrat %s. Synpunktslämnarens text står i meddelandet ovan.\r\n"+
		"Kontakta synpunktsbrevlådan om du behöver originalet eller bilagorna.\r\n", megabytes(int64(size)), max, where)
}

// megabytes formats n bytes as "16,4 MB".
func megabytes(n int64) string {
	return strings.Replace(fmt.Sprintf("%.1f MB", float64(n)/(1<<20)), ".", ",", 1)
}
