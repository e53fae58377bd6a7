package smtpsink

import (
	"crypto/tls"
	"crypto/x509"

	"github.com/exempelby/synpunkt/internal/testcert"
)

// selfSigned makes a throw-away certificate for localhost, 127.0.0.1 and
// ::1, valid for a day, a pool that trusts it and its PEM encoding.
func selfSigned() (tls.Certificate, *x509.CertPool, []byte, error) {
	c, err := testcert.New("smtpsink")
	if err != nil {
		return tls.Certificate{}, nil, nil, err
	}
	return c.TLS, c.Pool, c.CertPEM, nil
}
