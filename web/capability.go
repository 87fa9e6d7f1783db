package web

import (
	"net/http"

	"annex"
)

// maxMissileBytes caps the body of a capability request: a missile of six
// stages takes well under a kilobyte.
const maxMissileBytes = 1 << 20

// handleCapability handles POST /api/v1/capability: the range/payload
// capability of one missile and the MTCR category it implies. Like
// classification it is a stateless calculation, public.
func (s *Server) handleCapability(w http.ResponseWriter, r *http.Request) {
	if err := checkQuery(r.URL.Query()); err != nil {
		s.error(w, r, err)
		return
	}
	m, err := annex.DecodeMissile(http.MaxBytesReader(w, r.Body, maxMissileBytes))
	if err != nil {
		if annex.ErrorCode(err) == annex.EINTERNAL {
			err = bodyError(err)
		}
		s.error(w, r, err)
		return
	}
	c, err := s.CapabilityService.Capability(r.Context(), m)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.ok(w, r, c)
}
