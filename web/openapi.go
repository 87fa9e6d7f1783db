package web

import (
	_ "embed"
	"net/http"
)

// openAPI is the hand-written OpenAPI 3.1 description of /api/v1. A test
// checks that it documents exactly the routes of the mux.
//
//go:embed openapi.json
var openAPI []byte

// handleOpenAPI handles GET /api/v1/openapi.json.
func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) {
	if err := checkQuery(r.URL.Query()); err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(openAPI)
}
