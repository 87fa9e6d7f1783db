package mock

import (
	"context"

	"annex"
)

var _ annex.DenialService = (*DenialService)(nil)

// DenialService is a mock of annex.DenialService.
type DenialService struct {
	// Each field stands in for the method of the same name without "Fn".
	FindDenialByIDFn     func(ctx context.Context, id string) (*annex.Denial, error)
	FindDenialsFn        func(ctx context.Context, f annex.DenialFilter) ([]*annex.Denial, int, error)
	AmendDenialFn        func(ctx context.Context, id string, upd annex.DenialUpdate) (*annex.Denial, error)
	RevokeDenialFn       func(ctx context.Context, id, day string) (*annex.Denial, error)
	FindConsultationsFn  func(ctx context.Context, applicationID int64) ([]*annex.Consultation, error)
	AnswerConsultationFn func(ctx context.Context, id int64, answer string, objects bool) (*annex.Consultation, error)
}

// FindDenialByID calls FindDenialByIDFn.
func (s *DenialService) FindDenialByID(ctx context.Context, id string) (*annex.Denial, error) {
	return s.FindDenialByIDFn(ctx, id)
}

// FindDenials calls FindDenialsFn.
func (s *DenialService) FindDenials(ctx context.Context, f annex.DenialFilter) ([]*annex.Denial, int, error) {
	return s.FindDenialsFn(ctx, f)
}

// AmendDenial calls AmendDenialFn.
func (s *DenialService) AmendDenial(ctx context.Context, id string, upd annex.DenialUpdate) (*annex.Denial, error) {
	return s.AmendDenialFn(ctx, id, upd)
}

// RevokeDenial calls RevokeDenialFn.
func (s *DenialService) RevokeDenial(ctx context.Context, id, day string) (*annex.Denial, error) {
	return s.RevokeDenialFn(ctx, id, day)
}

// FindConsultations calls FindConsultationsFn.
func (s *DenialService) FindConsultations(ctx context.Context, applicationID int64) ([]*annex.Consultation, error) {
	return s.FindConsultationsFn(ctx, applicationID)
}

// AnswerConsultation calls AnswerConsultationFn.
func (s *DenialService) AnswerConsultation(ctx context.Context, id int64, answer string, objects bool) (*annex.Consultation, error) {
	return s.AnswerConsultationFn(ctx, id, answer, objects)
}
