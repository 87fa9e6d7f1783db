package ballistics

import "math"

// vec3 is a Cartesian vector; the inertial frame has z along the Earth's
// axis and x through the launch meridian at launch time.
type vec3 [3]float64

func (a vec3) add(b vec3) vec3 { return vec3{a[0] + b[0], a[1] + b[1], a[2] + b[2]} }
func (a vec3) sub(b vec3) vec3 { return vec3{a[0] - b[0], a[1] - b[1], a[2] - b[2]} }

func (a vec3) scale(s float64) vec3 { return vec3{a[0] * s, a[1] * s, a[2] * s} }
func (a vec3) dot(b vec3) float64   { return a[0]*b[0] + a[1]*b[1] + a[2]*b[2] }
func (a vec3) norm() float64        { return math.Sqrt(a.dot(a)) }

func (a vec3) cross(b vec3) vec3 {
	return vec3{a[1]*b[2] - a[2]*b[1], a[2]*b[0] - a[0]*b[2], a[0]*b[1] - a[1]*b[0]}
}

// rotZ rotates a about the z axis by angle (radians, right-handed).
func (a vec3) rotZ(angle float64) vec3 {
	s, c := math.Sincos(angle)
	return vec3{c*a[0] - s*a[1], s*a[0] + c*a[1], a[2]}
}

// angle returns the angle between a and b, accurate for small and large
// angles alike.
func (a vec3) angle(b vec3) float64 { return math.Atan2(a.cross(b).norm(), a.dot(b)) }

func (y *state) pos() vec3 { return vec3{y[0], y[1], y[2]} }
func (y *state) vel() vec3 { return vec3{y[3], y[4], y[5]} }
