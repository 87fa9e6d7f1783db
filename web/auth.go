package web

import (
	"net/http"
	"strings"
	"time"

	"annex"
)

// cookieName is the name of the session cookie of browsers.
const cookieName = "annex_session"

// SessionTTL is how long a session lasts after sign-in.
const SessionTTL = 12 * time.Hour

// sessionRequest is the body of POST /api/v1/session.
type sessionRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// sessionResponse is the response of POST /api/v1/session.
type sessionResponse struct {
	Token     string      `json:"token"`
	ExpiresAt time.Time   `json:"expires_at"`
	User      *annex.User `json:"user"`
}

// handleCreateSession handles POST /api/v1/session: sign in and get a
// bearer token.
func (s *Server) handleCreateSession(w http.ResponseWriter, r *http.Request) {
	var req sessionRequest
	if err := decodeJSON(w, r, &req); err != nil {
		s.error(w, r, err)
		return
	}
	var errs []annex.FieldError
	if req.Username == "" {
		errs = append(errs, annex.FieldError{Field: "username", Message: "required"})
	}
	if req.Password == "" {
		errs = append(errs, annex.FieldError{Field: "password", Message: "required"})
	}
	if len(errs) > 0 {
		s.error(w, r, annex.Invalid(errs...))
		return
	}
	u, sess, err := s.signIn(r, req.Username, req.Password)
	if err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	s.writeJSON(w, r, http.StatusCreated, "application/json", sessionResponse{Token: sess.Token, ExpiresAt: sess.ExpiresAt, User: u})
}

// signIn checks a username and password and starts a session.
func (s *Server) signIn(r *http.Request, username, password string) (*annex.User, *annex.Session, error) {
	u, err := s.UserService.Authenticate(r.Context(), username, password)
	if err != nil {
		return nil, nil, err
	}
	sess, err := s.SessionService.CreateSession(r.Context(), u.ID, SessionTTL)
	if err != nil {
		return nil, nil, err
	}
	return u, sess, nil
}

// handleDeleteSession handles DELETE /api/v1/session: sign out.
func (s *Server) handleDeleteSession(w http.ResponseWriter, r *http.Request) {
	if err := s.SessionService.DeleteSession(r.Context(), sessionToken(r)); err != nil {
		s.error(w, r, err)
		return
	}
	s.clearSessionCookie(w)
	w.WriteHeader(http.StatusNoContent)
}

// handleMe handles GET /api/v1/me: the signed-in user.
func (s *Server) handleMe(w http.ResponseWriter, r *http.Request) {
	s.ok(w, r, annex.UserFromContext(r.Context()))
}

// sessionToken returns the token the request presents, by header or cookie.
func sessionToken(r *http.Request) string {
	if token, ok := bearerToken(r.Header.Get("Authorization")); ok {
		return token
	}
	if c, err := r.Cookie(cookieName); err == nil {
		return c.Value
	}
	return ""
}

func (s *Server) setSessionCookie(w http.ResponseWriter, sess *annex.Session) {
	http.SetCookie(w, &http.Cookie{
		Name:     cookieName,
		Value:    sess.Token,
		Path:     "/",
		Expires:  sess.ExpiresAt,
		HttpOnly: true,
		Secure:   s.SecureCookies,
		SameSite: http.SameSiteLaxMode,
	})
}

func (s *Server) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{
		Name:     cookieName,
		Value:    "",
		Path:     "/",
		MaxAge:   -1,
		HttpOnly: true,
		Secure:   s.SecureCookies,
		SameSite: http.SameSiteLaxMode,
	})
}

// loginPage is the data of /login.
type loginPage struct {
	layout
	Username string
	// Next is where to go after signing in.
	Next string
	Err  string
}

// handleLoginPage handles GET /login.
func (s *Server) handleLoginPage(w http.ResponseWriter, r *http.Request) {
	next := localPath(r.URL.Query().Get("next"))
	if annex.UserFromContext(r.Context()) != nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "login", loginPage{layout: s.layout(r, "Sign in"), Next: next})
}

// handleLoginForm handles POST /login: sign in with the form, set the
// session cookie, and go on to the page asked for, or to /password when the
// password must change.
func (s *Server) handleLoginForm(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
	if err := r.ParseForm(); err != nil {
		s.error(w, r, bodyError(err))
		return
	}
	p := loginPage{layout: s.layout(r, "Sign in"), Username: r.PostForm.Get("username"), Next: localPath(r.PostForm.Get("next"))}
	u, sess, err := s.signIn(r, p.Username, r.PostForm.Get("password"))
	switch annex.ErrorCode(err) {
	case "":
	case annex.EUNAUTHORIZED, annex.EINVALID:
		p.Err = annex.ErrorMessage(err)
		s.render(w, r, http.StatusUnauthorized, "login", p)
		return
	default:
		s.error(w, r, err)
		return
	}
	s.setSessionCookie(w, sess)
	if u.MustChangePassword {
		p.Next = "/password"
	}
	http.Redirect(w, r, p.Next, http.StatusSeeOther)
}

// localPath returns p if it is a path on this site, or "/": a sign-in must
// not redirect elsewhere.
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") {
		return "/"
	}
	return p
}

// handleLogout handles POST /logout.
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(cookieName); err == nil && c.Value != "" {
		if err := s.SessionService.DeleteSession(r.Context(), c.Value); err != nil {
			s.error(w, r, err)
			return
		}
	}
	s.clearSessionCookie(w)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// passwordPage is the data of /password.
type passwordPage struct {
	layout
	// Forced is set when the user must change a one-time password.
	Forced bool
	Errors map[string]string
	Done   bool
}

// handlePasswordPage handles GET /password.
func (s *Server) handlePasswordPage(w http.ResponseWriter, r *http.Request) {
	u := annex.UserFromContext(r.Context())
	s.render(w, r, http.StatusOK, "password", passwordPage{layout: s.layout(r, "Change password"), Forced: u.MustChangePassword})
}

// handlePasswordForm handles POST /password: check the current password,
// then set the new one.
func (s *Server) handlePasswordForm(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
	if err := r.ParseForm(); err != nil {
		s.error(w, r, bodyError(err))
		return
	}
	u := annex.UserFromContext(r.Context())
	p := passwordPage{layout: s.layout(r, "Change password"), Forced: u.MustChangePassword, Errors: map[string]string{}}
	current, next := r.PostForm.Get("current_password"), r.PostForm.Get("password")
	if err := annex.ValidatePassword(next); err != nil {
		p.Errors["password"] = fieldMessage(err, "password")
	} else if next != r.PostForm.Get("confirm") {
		p.Errors["confirm"] = "does not match the new password"
	}
	if _, err := s.UserService.Authenticate(r.Context(), u.Username, current); annex.ErrorCode(err) == annex.EUNAUTHORIZED {
		p.Errors["current_password"] = "is not your current password"
	} else if err != nil {
		s.error(w, r, err)
		return
	}
	if len(p.Errors) > 0 {
		s.render(w, r, http.StatusUnprocessableEntity, "password", p)
		return
	}
	if err := s.UserService.SetPassword(r.Context(), u.ID, next); err != nil {
		s.error(w, r, err)
		return
	}
	p.Forced, p.Done = false, true
	s.render(w, r, http.StatusOK, "password", p)
}

// fieldMessage returns the message of err about field, or its whole message.
func fieldMessage(err error, field string) string {
	for _, fe := range annex.ErrorFields(err) {
		if fe.Field == field {
			return fe.Message
		}
	}
	return annex.ErrorMessage(err)
}
