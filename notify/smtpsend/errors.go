package smtpsend

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"

	"github.com/emersion/go-smtp"

	"github.com/exempelby/synpunkt/notify"
)

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }

// classify wraps err in a *notify.Error as described in the package comment.
func classify(ctx context.Context, err error) error {
	var ne *notify.Error
	var se *smtp.SMTPError
	switch {
	case errors.As(err, &ne):
		return err
	case errors.As(err, &se):
		return &notify.Error{Err: err, Code: se.Code, Temporary: se.Code < 500}
	case isCertError(err):
		return notify.Permanent(err)
	case ctx.Err() != nil:
		// The connection was closed under us; report why.
		return notify.Temporary(errors.Join(err, context.Cause(ctx)))
	default:
		return notify.Temporary(err)
	}
}

// isCertError reports whether err is a failure to verify the server's
// certificate.
func isCertError(err error) bool {
	var (
		ve *tls.CertificateVerificationError
		ua x509.UnknownAuthorityError
		he x509.HostnameError
		ci x509.CertificateInvalidError
	)
	return errors.As(err, &ve) || errors.As(err, &ua) || errors.As(err, &he) || errors.As(err, &ci)
}
