package oauth

import (
	"errors"
	"fmt"
	"strings"

	"github.com/emersion/go-sasl"
)

// Mechanisms for Config.Mechanism.
const (
	// MechXOAUTH2 is Google's and Microsoft's XOAUTH2 SASL mechanism.
	MechXOAUTH2 = "xoauth2"
	// MechOAuthBearer is OAUTHBEARER (RFC 7628).
	MechOAuthBearer = "oauthbearer"
)

// ErrRefused is returned by a SASL client's Next when the server answered
// the initial response with an error challenge: the token was refused.
var ErrRefused = errors.New("oauth2: server refused the access token")

// NewSASLClient returns a SASL client for mech ("xoauth2" or
// "oauthbearer") that presents token for user.
func NewSASLClient(mech, user, token string) (sasl.Client, error) {
	switch strings.ToLower(mech) {
	case MechXOAUTH2, "":
		return &xoauth2Client{user: user, token: token}, nil
	case MechOAuthBearer:
		return &oauthBearerClient{Client: sasl.NewOAuthBearerClient(&sasl.OAuthBearerOptions{Username: user, Token: token})}, nil
	}
	return nil, fmt.Errorf("oauth2: unknown mechanism %q (want xoauth2 or oauthbearer)", mech)
}

// xoauth2Client implements XOAUTH2 as Google and Microsoft document it:
// the initial response is "user=U^Aauth=Bearer T^A^A"; a failure comes
// as a challenge carrying a JSON error, answered with an empty response,
// after which the server sends its final NO.
type xoauth2Client struct {
	user, token string
	failed      bool
}

func (c *xoauth2Client) Start() (string, []byte, error) {
	return "XOAUTH2", []byte("user=" + c.user + "\x01auth=Bearer " + c.token + "\x01\x01"), nil
}

func (c *xoauth2Client) Next(challenge []byte) ([]byte, error) {
	if c.failed {
		return nil, ErrRefused
	}
	c.failed = true
	return []byte{}, nil
}

// oauthBearerClient is go-sasl's OAUTHBEARER client, except that it
// answers the server's error challenge with the dummy response %x01 as
// RFC 7628 §3.2.3 requires, so the server ends the exchange with its NO
// (go-sasl aborts instead, which Dovecot takes for invalid base64 and the
// connection is left in doubt).
type oauthBearerClient struct {
	sasl.Client
	failed bool
}

func (c *oauthBearerClient) Next(challenge []byte) ([]byte, error) {
	if c.failed {
		return nil, ErrRefused
	}
	c.failed = true
	return []byte{0x01}, nil
}
