// Package ballistics computes how far a ballistic missile flies: the
// physics behind the MTCR question "can it carry 500 kg to 300 km?".
//
// It is a pure flight model. Functions take values and return values; there
// is no clock, no I/O and no state outside the constant tables. Units are SI
// inside (kg, m, s, rad); callers convert at their boundaries.
//
// # Model
//
// The missile is a point mass flying in an Earth-centred inertial frame
// (the Wright/Gronlund model as extended in 3-D by Forden 2007):
//
//   - Spherical Earth of radius EarthRadiusM, inverse-square gravity with
//     MuM3S2. No J2, no oblateness.
//   - Optionally (Options.Rotating) the Earth and its atmosphere turn at
//     EarthRotationRadS. The launch site then starts with the speed ω×r,
//     drag uses the velocity relative to the air, and the range is the
//     great-circle distance, in Earth-fixed coordinates, from the launch site
//     to the impact point at impact time. Without rotation the flight stays
//     in one plane and the model is exactly the planar one.
//   - US Standard Atmosphere 1976 up to 86 km, then the 1976 table's
//     densities and pressures at 86, 90, 100, 110 and 120 km interpolated
//     exponentially, and no air above AtmosphereTopM (120 km).
//   - Drag D = ½ρv²·Cd(M)·A along the air-relative velocity. Cd is piecewise
//     linear in Mach (Forden's table unless Options.CdTable is set, constant
//     beyond its ends) times Options.CdScale. A is the cross-section of the
//     widest stage still attached. There is no lift and no separate
//     re-entry vehicle: after the last burnout the last stage stays attached
//     to the payload down to the ground, as Forden does for single-stage
//     missiles.
//   - Thrust has a constant mass flow, propellant over burn time. Without a
//     nozzle exit area, thrust is g0·Isp·ṁ at every altitude. With one
//     (given, or derived from a vacuum Isp), thrust is T_vac − p(h)·A_e.
//   - Staging is instantaneous: at each burnout the next stage ignites and
//     the spent stage's dry mass is dropped. There are no coasts between
//     stages.
//   - Guidance is Forden's Eq. 8: the thrust rises vertically for
//     Program.VerticalS, then pitches over at a constant rate until its
//     elevation above the local horizontal reaches Program.HoldRad, and holds
//     it until the last burnout. The thrust stays in the vertical plane of the
//     launch azimuth (the Earth-fixed great circle it defines).
//   - Integration is an adaptive Dormand–Prince 5(4) method with a
//     dimensionless local error tolerance (positions in Earth radii,
//     speeds in circular-orbit speed). Each burn, each pitch-program phase
//     and the coast are separate segments; the impact (altitude zero) is
//     located to better than a metre.
//
// # Maximum range
//
// MaxRange fixes the vertical rise (DefaultVerticalS) and searches the hold
// angle and the pitch rate: a coarse grid over the hold angle and the time
// the pitch-over takes as a fraction of the total burn (so one grid serves
// short rockets and ICBMs), then Nelder–Mead from the best grid point.
// Programs that bring the missile to the ground before burnout are
// discarded.
//
// # Known limits
//
// The model does not include J2, winds, lift, a separating re-entry vehicle
// with its own ballistic coefficient, thrust vectoring losses beyond those of
// the simple program, coasts between stages, or variable thrust. Forden's
// pitch program is close to optimal for short- and medium-range missiles
// but not for ICBMs, which fly gravity turns: ICBM ranges are lower bounds.
// Input data usually matter more than the model: see
// docs/ballistics-validation.md.
package ballistics
