package smssend

import (
	"context"
	"fmt"
)

// CheckAccount fetches the account (GET /2010-04-01/Accounts/{Sid}.json)
// with the configured credentials, against BaseURL when set, and returns
// its status ("active", "suspended", "closed"). It sends nothing. Its
// error is a *notify.Error with the Twilio error code (20003: the SID and
// token do not match) or the HTTP status; Code 0 means Twilio was not
// reached.
func (s *Sender) CheckAccount(ctx context.Context) (status string, err error) {
	acc, err := s.api(ctx).FetchAccount(s.cfg.AccountSID)
	if err != nil {
		return "", classify(ctx, fmt.Errorf("smssend: fetch account: %w", err))
	}
	if acc.Status != nil {
		status = *acc.Status
	}
	return status, nil
}
