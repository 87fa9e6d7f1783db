package annex

import (
	"errors"
	"fmt"
	"strings"
)

// Application error codes. They are deliberately few: each maps to one HTTP
// status and one CLI exit status at the edges of the program.
const (
	ECONFLICT     = "conflict"     // the action conflicts with stored state
	EINTERNAL     = "internal"     // a fault inside Annex; never shown to users
	EINVALID      = "invalid"      // the input is malformed or fails validation
	ENOTFOUND     = "not_found"    // the thing asked for does not exist
	EUNAUTHORIZED = "unauthorized" // the caller is not authenticated
	EFORBIDDEN    = "forbidden"    // the caller may not do this
)

// Error is Annex's application error. Its Message is safe to show to a user;
// Err, if set, is the underlying cause and is never shown.
type Error struct {
	// Code is one of the E* constants.
	Code string
	// Message is a human-readable explanation for the user.
	Message string
	// Fields lists the offending input fields of an EINVALID error, each with
	// its path in the input (for example "params.total_impulse_ns" or
	// "[2].kind"). It is empty when the error is not about one field.
	Fields []FieldError
	// Op names the operation that failed, for logs.
	Op string
	// Err is the underlying error, if any.
	Err error
}

// FieldError names one invalid input field and says what is wrong with it.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error implements the error interface.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	if e.Message != "" {
		b.WriteString(e.Message)
	} else {
		b.WriteString(e.Code)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an application error with the given code and a formatted
// message.
func Errorf(code string, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns an EINVALID error about the input fields given. Its message
// joins the field errors as "field: message".
func Invalid(fields ...FieldError) *Error {
	msgs := make([]string, len(fields))
	for i, f := range fields {
		msgs[i] = f.String()
	}
	return &Error{Code: EINVALID, Message: strings.Join(msgs, "; "), Fields: fields}
}

// String formats the field error as "field: message".
func (f FieldError) String() string {
	if f.Field == "" {
		return f.Message
	}
	return f.Field + ": " + f.Message
}

// ErrorCode returns the code of the application error in err's chain, or
// EINTERNAL for any other non-nil error, or "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of the application error in
// err's chain. Any other error reads "Internal error." so that internal
// details never reach users.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) && e.Code != EINTERNAL {
		return e.Message
	}
	return "Internal error."
}

// ErrorFields returns the invalid fields of the application error in err's
// chain, if any.
func ErrorFields(err error) []FieldError {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}
