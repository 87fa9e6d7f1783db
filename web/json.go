package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"annex"
)

// maxBodyBytes caps every request body.
const maxBodyBytes = 10 << 20

// Paging of list endpoints.
const (
	defaultLimit = 100
	maxLimit     = 1000
)

// writeJSON encodes v as the response body. It encodes into a buffer first,
// so that an encoding failure still gives a clean 500. HTML escaping is off:
// "≥" and ">=" read as themselves.
func (s *Server) writeJSON(w http.ResponseWriter, r *http.Request, status int, contentType string, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		s.logger().ErrorContext(r.Context(), "encode json",
			slog.String("path", r.URL.Path), slog.String("error", err.Error()))
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(http.StatusInternalServerError)
		w.Write([]byte(`{"type":"about:blank","title":"Internal Server Error","status":500,"detail":"Internal error.","code":"internal"}` + "\n"))
		return
	}
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// ok writes v as a 200 JSON response.
func (s *Server) ok(w http.ResponseWriter, r *http.Request, v any) {
	s.writeJSON(w, r, http.StatusOK, "application/json", v)
}

// readBody reads the request body, capped at maxBodyBytes.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		return nil, bodyError(err)
	}
	return data, nil
}

// bodyError turns a failure to read the body into an EINVALID error, naming
// the limit, when the client sent too much.
func bodyError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return annex.Invalid(annex.FieldError{Message: fmt.Sprintf("the request body is larger than %d MB", mbe.Limit>>20)})
	}
	return fmt.Errorf("read request body: %w", err)
}

// decodeJSON decodes one JSON value from the body into dst, strictly:
// unknown fields, trailing data and wrong types are EINVALID errors naming
// the field, and malformed JSON names the line and column.
func decodeJSON(w http.ResponseWriter, r *http.Request, dst any) error {
	data, err := readBody(w, r)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(data, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return annex.Invalid(annex.FieldError{Message: "malformed JSON: unexpected data after the first value"})
	}
	return nil
}

// jsonError describes a decoding error for the client.
func jsonError(data []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		line, col := position(data, syn.Offset)
		return annex.Invalid(annex.FieldError{Message: fmt.Sprintf("malformed JSON at line %d, column %d: %s", line, col, syn.Error())})
	case errors.Is(err, io.EOF) && len(bytes.TrimSpace(data)) == 0:
		return annex.Invalid(annex.FieldError{Message: "malformed JSON: no input"})
	case errors.Is(err, io.ErrUnexpectedEOF):
		line, col := position(data, int64(len(data)))
		return annex.Invalid(annex.FieldError{Message: fmt.Sprintf("malformed JSON at line %d, column %d: unexpected end of input", line, col)})
	case errors.As(err, &typ):
		return annex.Invalid(annex.FieldError{Field: typ.Field, Message: "must be a " + typ.Type.String() + ", got " + typ.Value})
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return annex.Invalid(annex.FieldError{Field: strings.Trim(name, `"`), Message: "unknown field"})
	}
	return annex.Invalid(annex.FieldError{Message: "malformed JSON: " + err.Error()})
}

// position returns the 1-based line and column of a byte offset.
func position(data []byte, off int64) (line, col int) {
	line, col = 1, 1
	for _, c := range data[:min(int(off), len(data))] {
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}

// checkQuery rejects query parameters that are not allowed, or given more
// than once, naming each.
func checkQuery(q url.Values, allowed ...string) error {
	var errs []annex.FieldError
	for name, vs := range q {
		switch {
		case !slices.Contains(allowed, name):
			msg := "unknown query parameter"
			if len(allowed) > 0 {
				msg += " (allowed: " + strings.Join(allowed, ", ") + ")"
			}
			errs = append(errs, annex.FieldError{Field: name, Message: msg})
		case len(vs) > 1:
			errs = append(errs, annex.FieldError{Field: name, Message: "given more than once"})
		}
	}
	if len(errs) == 0 {
		return nil
	}
	slices.SortFunc(errs, func(a, b annex.FieldError) int { return strings.Compare(a.Field, b.Field) })
	return annex.Invalid(errs...)
}

// queryInt parses an optional non-negative integer query parameter, at most
// max.
func queryInt(q url.Values, name string, def, max int) (int, error) {
	s := q.Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	switch {
	case err != nil || n < 0:
		return 0, annex.Invalid(annex.FieldError{Field: name, Message: fmt.Sprintf("must be a whole number from 0 to %d, got %q", max, s)})
	case n > max:
		return 0, annex.Invalid(annex.FieldError{Field: name, Message: fmt.Sprintf("must be at most %d, got %d", max, n)})
	}
	return n, nil
}
