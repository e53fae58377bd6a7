package casework

import (
	"context"
	"fmt"
	"strings"

	"github.com/exempelby/synpunkt"
)

// ClosingPreview renders, without recording or sending anything, the
// notice the citizen would get if the case were closed now with note
// (the web view shows it before the clerk confirms). It returns nil when
// no notice would go (anonymous, no contact, no reply wanted).
func (s *Service) ClosingPreview(ctx context.Context, number, note string) (*synpunkt.Notification, error) {
	c, err := s.caseByNumber(ctx, number)
	if err != nil {
		return nil, err
	}
	out, err := s.closingNotice(ctx, c, strings.TrimSpace(note))
	if err != nil {
		return nil, fmt.Errorf("preview closing notice of %s: %w", c.Number, err)
	}
	if len(out) == 0 {
		return nil, nil
	}
	return &out[0], nil
}
