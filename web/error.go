package web

import (
	"log/slog"
	"net/http"
	"strings"

	"annex"
)

// codes maps annex error codes to HTTP statuses. It is the only place that
// does.
var codes = map[string]int{
	annex.EINVALID:      http.StatusUnprocessableEntity,
	annex.ENOTFOUND:     http.StatusNotFound,
	annex.ECONFLICT:     http.StatusConflict,
	annex.EUNAUTHORIZED: http.StatusUnauthorized,
	annex.EFORBIDDEN:    http.StatusForbidden,
	annex.EINTERNAL:     http.StatusInternalServerError,
}

// ErrorStatusCode returns the HTTP status for an annex error code. Unknown
// codes read as 500.
func ErrorStatusCode(code string) int {
	if status, ok := codes[code]; ok {
		return status
	}
	return http.StatusInternalServerError
}

// Problem is an RFC 9457 problem details object: the body of every API
// error, served as application/problem+json. Code, Field and Errors are
// extension members: the annex error code, the path of the first invalid
// input field, and every invalid field with its message.
type Problem struct {
	Type   string             `json:"type"`
	Title  string             `json:"title"`
	Status int                `json:"status"`
	Detail string             `json:"detail"`
	Code   string             `json:"code"`
	Field  string             `json:"field,omitempty"`
	Errors []annex.FieldError `json:"errors,omitempty"`
}

// isAPI reports whether the request is for the JSON API.
func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

// error writes err as a problem (API) or an error page (HTML), with the
// status of its code. Internal errors are logged with the request and shown
// only as "Internal error.".
func (s *Server) error(w http.ResponseWriter, r *http.Request, err error) {
	code := annex.ErrorCode(err)
	if code == annex.EINTERNAL {
		s.logError(r, err)
	}
	if code == annex.EUNAUTHORIZED && isAPI(r) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="annex"`)
	}
	s.writeError(w, r, ErrorStatusCode(code), code, annex.ErrorMessage(err), annex.ErrorFields(err))
}

// logError logs an internal error with its request. Handlers that show an
// error inside a page or an answer, instead of through error, call it for
// internal errors.
func (s *Server) logError(r *http.Request, err error) {
	s.logger().ErrorContext(r.Context(), "http error",
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.Int64("user_id", annex.UserIDFromContext(r.Context())),
		slog.String("error", err.Error()))
}

// writeError writes an error response with the given status.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, status int, code, msg string, fields []annex.FieldError) {
	if !isAPI(r) {
		s.render(w, r, status, "error", errorPage{
			layout:  s.layout(r, http.StatusText(status)),
			Status:  status,
			Message: msg,
			Fields:  fields,
		})
		return
	}
	p := Problem{
		Type:   "about:blank",
		Title:  http.StatusText(status),
		Status: status,
		Detail: msg,
		Code:   code,
		Errors: fields,
	}
	if len(fields) > 0 {
		p.Field = fields[0].Field
	}
	s.writeJSON(w, r, status, "application/problem+json", p)
}

// errorPage is the data of the HTML error page.
type errorPage struct {
	layout
	Status  int
	Message string
	Fields  []annex.FieldError
}
