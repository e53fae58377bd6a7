package smtpsink

import (
	"crypto/tls"
	"crypto/x509"

	"github.com/exempelby/synpunkt/internal/testcert"
)

// selfSigned makes a throw-away certificate for localhost, 127.0.0.1 and
// ::1, valid for a day, and a pool that trusts it.
func selfSigned() (tls.Certificate, *x509.CertPool, error) {
	c, err := testcert.New("smtpsink")
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	return c.TLS, c.Pool, nil
}
