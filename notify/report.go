package notify

import (
	"bytes"
	"errors"
	"fmt"
	"mime"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/mail"

	"github.com/exempelby/synpunkt"
)

// ReportInfo is what the report template needs to know about a statistics
// report sent to a committee.
type ReportInfo struct {
	Committee string // e.g. "Samhällsbyggnadsnämnden"
	Period    string // e.g. "2026-11", "2026-Q4"
	File      string // the attachment's file name
}

// Attachment is a file sent with a notification.
type Attachment struct {
	Name        string // file name, e.g. "synpunkter-2026-11.xlsx"
	ContentType string // e.g. "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	Data        []byte
}

// Report renders the statistics mail to a committee's registry mailbox
// with the report attached (base64).
func (c *Composer) Report(to string, info ReportInfo, file Attachment) (*synpunkt.Notification, error) {
	if len(file.Data) == 0 || file.Name == "" {
		return nil, errors.New("notify: report: no file to attach")
	}
	d := c.data(CaseInfo{})
	d.Report = info
	subject, body, err := c.tpl.render(TmplReport, d)
	if err != nil {
		return nil, fmt.Errorf("notify: report: %w", err)
	}
	h, id, err := c.header(mailSpec{to: synpunkt.Address{Addr: to}, autoSubmitted: "auto-generated"}, subject)
	if err != nil {
		return nil, fmt.Errorf("notify: report: %w", err)
	}
	payload, err := buildWithFile(h, body, file)
	if err != nil {
		return nil, fmt.Errorf("notify: report: %w", err)
	}
	return &synpunkt.Notification{Channel: synpunkt.MediumEmail, Kind: synpunkt.KindReport, From: c.org.MailboxAddress, To: to, MessageID: id, Payload: payload}, nil
}

// buildWithFile writes a multipart/mixed message: the text, then the file
// in base64.
func buildWithFile(h mail.Header, body string, file Attachment) ([]byte, error) {
	var fh message.Header
	fh.SetContentType(file.ContentType, nil)
	fh.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": file.Name}))
	fh.Set("Content-Transfer-Encoding", "base64")
	return buildMixed(new(bytes.Buffer), h, body, fh, file.Data)
}
