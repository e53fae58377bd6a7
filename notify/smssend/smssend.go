// Package smssend owns delivery of composed SMS through Twilio's Messages
// API. It is the only package that imports twilio-go.
//
// What always holds: Send posts Notification.Payload unchanged as the message
// body to Notification.To, from Notification.From or, when that is empty,
// Config.From. Success means Twilio accepted the message (201, usually
// status "queued"); delivery to the handset is not tracked here. The
// context's deadline and cancellation abort the HTTP request. With
// Config.BaseURL set, every request goes to that base URL instead of
// https://api.twilio.com (tests and `synpunkt demo` use twiliofake).
//
// How it fails: every error is a *notify.Error. Twilio errors keep the
// Twilio error code (e.g. 21211 invalid 'To' number) as Code, or the HTTP
// status when Twilio gives none. Faults of the channel — network failures,
// timeouts, unreadable responses, bad credentials (401/403), a wrong
// account or base URL (404), rate limits (429), 5xx and errors about our
// own sender number — are marked Channel, so the outbox pauses SMS and
// retries until they clear; other 4xx (an invalid or unsubscribed
// recipient) belong to the message and are permanent.
package smssend

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/twilio/twilio-go/client"
	twilioapi "github.com/twilio/twilio-go/rest/api/v2010"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/notify"
)

// Config configures a Sender.
type Config struct {
	AccountSID string // Twilio account SID, "AC…"; required
	AuthToken  string // Twilio auth token; required, a secret
	From       string // default sender number or alphanumeric ID; may be empty if every Notification has From
	BaseURL    string // "" means https://api.twilio.com; else e.g. "http://127.0.0.1:41234"
}

// Sender sends SMS through Twilio. It is safe for concurrent use.
type Sender struct {
	cfg       Config          // immutable
	base      *url.URL        // nil: Twilio's own hosts
	transport *http.Transport // shared connection pool
}

var _ notify.Sender = (*Sender)(nil)

// New checks cfg and returns a Sender. It does not contact Twilio.
func New(cfg Config) (*Sender, error) {
	if cfg.AccountSID == "" {
		return nil, errors.New("smssend: sms.account_sid: must be set")
	}
	if cfg.AuthToken == "" {
		return nil, errors.New("smssend: sms.auth_token: must be set")
	}
	s := &Sender{cfg: cfg, transport: http.DefaultTransport.(*http.Transport).Clone()}
	if cfg.BaseURL != "" {
		u, err := url.Parse(cfg.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("smssend: sms.base_url: %q is not an http(s) URL", cfg.BaseURL)
		}
		s.base = u
	}
	return s, nil
}

// Send delivers o, which must be an SMS.
func (s *Sender) Send(ctx context.Context, o *synpunkt.Notification) error {
	if o.Channel != synpunkt.MediumSMS {
		return notify.Permanent(fmt.Errorf("smssend: %w: %q", notify.ErrWrongChannel, o.Channel))
	}
	from := o.From
	if from == "" {
		from = s.cfg.From
	}
	if from == "" {
		return notify.Permanent(errors.New("smssend: no sender: Notification.From and sms.from are empty"))
	}
	params := (&twilioapi.CreateMessageParams{}).SetTo(o.To).SetFrom(from).SetBody(string(o.Payload))
	if _, err := s.api(ctx).CreateMessage(params); err != nil {
		return classify(ctx, fmt.Errorf("smssend: %s: %w", o.Kind, err))
	}
	return nil
}

// api returns a Messages API bound to ctx. twilio-go builds its requests
// with context.Background, so ctx reaches them through the transport. The
// client is cheap: the connection pool is the shared transport.
func (s *Sender) api(ctx context.Context) *twilioapi.ApiService {
	c := &client.Client{
		Credentials: client.NewCredentials(s.cfg.AccountSID, s.cfg.AuthToken),
		HTTPClient: &http.Client{
			Transport: ctxTransport{ctx: ctx, next: s.transport},
			// As twilio-go's default client: never follow redirects.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
	c.SetAccountSid(s.cfg.AccountSID)
	var bc client.BaseClient = c
	if s.base != nil {
		bc = rebased{Client: c, base: s.base}
	}
	return twilioapi.NewApiServiceWithClient(bc)
}

// rebased is a client.BaseClient that sends every request to base instead
// of the Twilio host twilio-go chose. twilio-go has no base URL option (the
// API services hard-code https://api.twilio.com), but every request passes
// through BaseClient.SendRequest with its full URL, and a custom BaseClient
// is the documented extension point (twilio.ClientParams.Client,
// NewApiServiceWithClient).
type rebased struct {
	*client.Client
	base *url.URL
}

// SendRequest replaces scheme and host of rawURL with base's and prefixes
// base's path.
func (r rebased) SendRequest(method, rawURL string, data url.Values, headers map[string]any, body ...byte) (*http.Response, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, err
	}
	u.Scheme, u.Host = r.base.Scheme, r.base.Host
	u.Path = strings.TrimSuffix(r.base.Path, "/") + u.Path
	return r.Client.SendRequest(method, u.String(), data, headers, body...)
}

// ctxTransport attaches ctx to every request it carries.
type ctxTransport struct {
	ctx  context.Context
	next http.RoundTripper
}

func (t ctxTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	return t.next.RoundTrip(req.WithContext(t.ctx))
}
