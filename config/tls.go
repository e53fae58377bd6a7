package config

import (
	"crypto/x509"
	"fmt"
	"os"
)

// CertPool returns the pool of CA certificates in the PEM file at path, or
// nil (the system's pool) when path is empty. It is what imap.tls_ca_file
// and smtp.tls_ca_file become.
func CertPool(path string) (*x509.CertPool, error) {
	if path == "" {
		return nil, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read CA file: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(b) {
		return nil, fmt.Errorf("%s holds no PEM certificate", path)
	}
	return pool, nil
}

// checkCAFile checks that a configured CA file can be read and holds a
// certificate.
func checkCAFile(field, path string) error {
	if _, err := CertPool(path); err != nil {
		return bad(field, "%v", err)
	}
	return nil
}
