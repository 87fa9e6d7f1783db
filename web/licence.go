package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"annex"
)

// licenceDetail is a licence as a customs officer checks it: its status
// now (an issued licence past its validity reads expired), whether goods
// may be shipped under it today, and what is left on each line. It is the
// response of GET /api/v1/licences/{number} and of the licence actions.
type licenceDetail struct {
	Licence *annex.Licence `json:"licence"`
	// InForce is true when goods may be shipped under the licence now.
	InForce   bool          `json:"in_force"`
	Balances  []lineBalance `json:"balances"`
	CheckedAt time.Time     `json:"checked_at"`
}

// lineBalance is what is left on a licence line.
type lineBalance struct {
	Line     int     `json:"line"`
	Quantity float64 `json:"quantity"`
	Unit     string  `json:"unit,omitempty"`
	Value    float64 `json:"value"`
}

// licenceList is the response of GET /api/v1/licences.
type licenceList struct {
	Total    int              `json:"total"`
	Licences []*annex.Licence `json:"licences"`
}

// shipmentList is the response of GET /api/v1/licences/{number}/shipments.
type shipmentList struct {
	Total     int               `json:"total"`
	Shipments []*annex.Shipment `json:"shipments"`
}

// shipmentRequest is the body of POST /api/v1/licences/{number}/shipments.
type shipmentRequest struct {
	Line       int     `json:"line"`
	Quantity   float64 `json:"quantity"`
	Value      float64 `json:"value"`
	CustomsRef string  `json:"customs_ref"`
}

// shipmentReceipt is the response of POST
// /api/v1/licences/{number}/shipments: the shipment recorded and the
// licence drawn down.
type shipmentReceipt struct {
	Shipment *annex.Shipment `json:"shipment"`
	Licence  licenceDetail   `json:"licence"`
}

// licenceStatuses are the statuses a licence list may be filtered on.
var licenceStatuses = []annex.LicenceStatus{annex.LicenceIssued, annex.LicenceSuspended, annex.LicenceRevoked,
	annex.LicenceExpired, annex.LicenceExhausted, annex.LicenceSuperseded}

// newLicenceDetail describes a licence at a time. The licence's status is
// replaced by its status at that time.
func newLicenceDetail(l *annex.Licence, now time.Time) licenceDetail {
	c := *l
	c.Status = l.StatusAt(now)
	d := licenceDetail{Licence: &c, InForce: c.Status == annex.LicenceIssued && !now.Before(l.ValidFrom),
		Balances: make([]lineBalance, len(l.Lines)), CheckedAt: now.UTC()}
	for i, ll := range l.Lines {
		d.Balances[i] = lineBalance{Line: ll.Line, Quantity: ll.Quantity - ll.UsedQuantity, Unit: ll.Unit, Value: ll.Value - ll.UsedValue}
	}
	return d
}

// handleLicences handles GET /api/v1/licences: the licences the user may
// see, newest first, optionally of one status. An exporter sees only its
// organisation's.
func (s *Server) handleLicences(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if err := checkQuery(q, "status", "offset", "limit"); err != nil {
		s.error(w, r, err)
		return
	}
	var f annex.LicenceFilter
	if raw := q.Get("status"); raw != "" {
		st := annex.LicenceStatus(raw)
		if !slices.Contains(licenceStatuses, st) {
			s.error(w, r, annex.Invalid(annex.FieldError{Field: "status", Message: fmt.Sprintf("must be issued, suspended, revoked, expired, exhausted or superseded, got %q", raw)}))
			return
		}
		f.Status = &st
	}
	var err error
	if f.Offset, f.Limit, err = paging(q); err != nil {
		s.error(w, r, err)
		return
	}
	u := annex.UserFromContext(r.Context())
	if isExporter(u) {
		f.OrgID = &u.OrgID
	}
	ls, total, err := s.LicenceService.FindLicences(r.Context(), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	out := make([]*annex.Licence, 0, len(ls))
	for _, l := range ls {
		if !isExporter(u) || l.OrgID == u.OrgID {
			out = append(out, l)
		}
	}
	s.ok(w, r, licenceList{Total: total, Licences: out})
}

// findLicence returns the licence of the request's path, or ENOTFOUND when
// there is none or the user may not see it.
func (s *Server) findLicence(ctx context.Context, number string) (*annex.Licence, error) {
	l, err := s.LicenceService.FindLicenceByNumber(ctx, number)
	if err != nil {
		return nil, err
	}
	if u := annex.UserFromContext(ctx); isExporter(u) && l.OrgID != u.OrgID {
		return nil, licenceNotFound(number)
	}
	return l, nil
}

func licenceNotFound(number string) error {
	return annex.Errorf(annex.ENOTFOUND, "There is no licence %s.", number)
}

// handleLicence handles GET /api/v1/licences/{number}: the customs check.
func (s *Server) handleLicence(w http.ResponseWriter, r *http.Request) {
	if err := checkQuery(r.URL.Query()); err != nil {
		s.error(w, r, err)
		return
	}
	l, err := s.findLicence(r.Context(), r.PathValue("number"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.ok(w, r, newLicenceDetail(l, s.now()))
}

// handleShipments handles GET /api/v1/licences/{number}/shipments: the
// shipments recorded under a licence, oldest first.
func (s *Server) handleShipments(w http.ResponseWriter, r *http.Request) {
	if err := checkQuery(r.URL.Query()); err != nil {
		s.error(w, r, err)
		return
	}
	number := r.PathValue("number")
	if _, err := s.findLicence(r.Context(), number); err != nil {
		s.error(w, r, err)
		return
	}
	ships, err := s.LicenceService.FindShipments(r.Context(), number)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if ships == nil {
		ships = []*annex.Shipment{}
	}
	s.ok(w, r, shipmentList{Total: len(ships), Shipments: ships})
}

// handleRecordShipment handles POST /api/v1/licences/{number}/shipments:
// customs draws a shipment down from a line. A draw-down beyond the line's
// balance, or under a licence not in force, is refused with 409 and the
// reason.
func (s *Server) handleRecordShipment(w http.ResponseWriter, r *http.Request) {
	if err := checkQuery(r.URL.Query()); err != nil {
		s.error(w, r, err)
		return
	}
	var req shipmentRequest
	if err := decodeJSON(w, r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	sh := &annex.Shipment{Line: req.Line, Quantity: req.Quantity, Value: req.Value, CustomsRef: strings.TrimSpace(req.CustomsRef)}
	if sh.CustomsRef == "" {
		s.error(w, r, annex.Invalid(annex.FieldError{Field: "customs_ref", Message: "give the customs declaration's reference"}))
		return
	}
	l, err := s.LicenceService.RecordShipment(r.Context(), r.PathValue("number"), sh)
	if err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/licences/"+l.Number+"/shipments")
	s.writeJSON(w, r, http.StatusCreated, "application/json", shipmentReceipt{Shipment: sh, Licence: newLicenceDetail(l, s.now())})
}

// handleChangeLicence handles POST /api/v1/licences/{number}/actions:
// suspend, reinstate or revoke a licence (see annex.NextLicenceStatus).
func (s *Server) handleChangeLicence(w http.ResponseWriter, r *http.Request) {
	if err := checkQuery(r.URL.Query()); err != nil {
		s.error(w, r, err)
		return
	}
	var act annex.LicenceAction
	if err := decodeJSON(w, r, &act); err != nil {
		s.error(w, r, err)
		return
	}
	number := r.PathValue("number")
	l, err := s.LicenceService.ChangeLicence(r.Context(), number, &act)
	if err != nil {
		s.error(w, r, s.staleLicence(r.Context(), err, number, act.Version))
		return
	}
	s.ok(w, r, newLicenceDetail(l, s.now()))
}

// staleLicence explains an ECONFLICT of a licence change made against an
// older version, as staleError does for applications.
func (s *Server) staleLicence(ctx context.Context, err error, number string, version int64) error {
	if annex.ErrorCode(err) != annex.ECONFLICT {
		return err
	}
	cur, ferr := s.LicenceService.FindLicenceByNumber(ctx, number)
	if ferr != nil || cur.Version == version {
		return err
	}
	return &annex.Error{Code: annex.ECONFLICT, Err: err, Message: fmt.Sprintf(
		"The licence was changed since you opened it: it is at version %d, and you sent version %d. Read it again, then decide.", cur.Version, version)}
}
