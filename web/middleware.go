package web

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"time"

	"annex"
	"annex/exchange"
)

// contentSecurityPolicy allows only Annex's own scripts, styles and images:
// no inline script, no inline style, no third party, no framing.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; " +
	"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// middleware wraps the routes, outermost last: every request is logged,
// panics are recovered, security headers are set, cross-origin writes are
// refused (CSRF), and the session is read.
func (s *Server) middleware(h http.Handler) http.Handler {
	h = s.authenticate(h)
	h = s.crossOriginProtection(h)
	h = s.securityHeaders(h)
	h = s.recoverPanics(h)
	return s.logRequests(h)
}

// statusWriter records the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests logs one line per request.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		s.logger().LogAttrs(r.Context(), slog.LevelInfo, "http request",
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", sw.status),
			slog.Int("bytes", sw.bytes),
			slog.Int64("duration_us", time.Since(start).Microseconds()),
			slog.String("remote_addr", r.RemoteAddr))
	})
}

// recoverPanics turns a panic in a handler into a logged 500.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw, ok := w.(*statusWriter)
		if !ok {
			sw = &statusWriter{ResponseWriter: w}
		}
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.logger().ErrorContext(r.Context(), "http panic",
				slog.String("method", r.Method),
				slog.String("path", r.URL.Path),
				slog.String("panic", fmt.Sprint(v)),
				slog.String("stack", string(debug.Stack())))
			if sw.status == 0 {
				s.writeError(sw, r, http.StatusInternalServerError, annex.EINTERNAL, "Internal error.", nil)
			}
		}()
		next.ServeHTTP(sw, r)
	})
}

// securityHeaders sets the headers that every response carries.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		if s.SecureCookies {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// crossOriginProtection refuses cross-origin unsafe requests (CSRF) with a
// 403, as a problem or an error page.
func (s *Server) crossOriginProtection(next http.Handler) http.Handler {
	c := http.NewCrossOriginProtection()
	c.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.error(w, r, annex.Errorf(annex.EFORBIDDEN, "Cross-origin request refused."))
	}))
	return c.Handler(next)
}

// authenticate puts the user of the request's session into its context. A
// bearer token must be valid; a stale session cookie is cleared and the
// request goes on signed out.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h := r.Header.Get("Authorization"); h != "" && !strings.HasPrefix(h, exchange.AuthScheme+" ") {
			// A partner's signed feed request is checked by the feed's
			// handler; every other Authorization is a session token.
			token, ok := bearerToken(h)
			if !ok {
				s.error(w, r, annex.Errorf(annex.EUNAUTHORIZED, "The Authorization header must be \"Bearer <token>\"."))
				return
			}
			u, err := s.SessionService.FindSessionUser(r.Context(), token)
			if err != nil {
				s.error(w, r, err)
				return
			}
			next.ServeHTTP(w, r.WithContext(annex.NewContextWithUser(r.Context(), u)))
			return
		}
		if c, err := r.Cookie(cookieName); err == nil && c.Value != "" {
			u, err := s.SessionService.FindSessionUser(r.Context(), c.Value)
			switch {
			case err == nil:
				r = r.WithContext(annex.NewContextWithUser(r.Context(), u))
			case annex.ErrorCode(err) == annex.EUNAUTHORIZED:
				s.clearSessionCookie(w)
			default:
				s.error(w, r, err)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// bearerToken returns the token of an "Authorization: Bearer" header.
func bearerToken(h string) (string, bool) {
	scheme, token, ok := strings.Cut(h, " ")
	token = strings.TrimSpace(token)
	return token, ok && strings.EqualFold(scheme, "Bearer") && token != ""
}

// guard applies a route's access rule before its handler.
func (s *Server) guard(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := annex.UserFromContext(r.Context())
		switch {
		case rt.access == always:
		case u != nil && u.MustChangePassword && rt.access != forcedOK:
			if isAPI(r) {
				s.error(w, r, annex.Errorf(annex.EFORBIDDEN, "You must change your password before doing anything else; sign in to the web pages to change it."))
				return
			}
			http.Redirect(w, r, "/password", http.StatusSeeOther)
			return
		case u == nil && (rt.access == signedIn || rt.access == forcedOK):
			if isAPI(r) {
				s.error(w, r, annex.Errorf(annex.EUNAUTHORIZED, "Sign in first: POST /api/v1/session gives a bearer token."))
				return
			}
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		if rt.access == signedIn || rt.access == forcedOK {
			// Pages and answers for a signed-in user stay out of shared caches.
			w.Header().Set("Cache-Control", "no-store")
		}
		rt.handler(w, r)
	})
}
