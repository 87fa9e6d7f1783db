package mock

import (
	"context"

	"annex"
)

var _ annex.AuditService = (*AuditService)(nil)

// AuditService is a mock of annex.AuditService.
type AuditService struct {
	// Each field stands in for the method of the same name without "Fn".
	FindAuditEventsFn func(ctx context.Context, filter annex.AuditFilter) ([]*annex.AuditEvent, int, error)
	VerifyAuditFn     func(ctx context.Context) (*annex.AuditVerification, error)
}

// FindAuditEvents calls FindAuditEventsFn.
func (s *AuditService) FindAuditEvents(ctx context.Context, filter annex.AuditFilter) ([]*annex.AuditEvent, int, error) {
	return s.FindAuditEventsFn(ctx, filter)
}

// VerifyAudit calls VerifyAuditFn.
func (s *AuditService) VerifyAudit(ctx context.Context) (*annex.AuditVerification, error) {
	return s.VerifyAuditFn(ctx)
}
