package ballistics

import "math"

// US Standard Atmosphere 1976 constants.
const (
	gasConstant   = 8.31432   // J/(mol·K), the 1976 value
	molarMassAir  = 0.0289644 // kg/mol
	specificR     = gasConstant / molarMassAir
	heatRatio     = 1.4       // ratio of specific heats of air
	geopotentialR = 6356766.0 // m, radius used for geopotential height
	hydrostaticK  = G0MS2 * molarMassAir / gasConstant
	layerTop1976M = 86000.0 // geometric altitude where the layered model ends
	upperTempK    = 186.946 // temperature at the top of the layered model
)

// atmosLayer is one layer of the 1976 model below 86 km: base geopotential
// height, base temperature, lapse rate and base pressure.
type atmosLayer struct{ baseM, baseK, lapseKM, basePa float64 }

// layers1976 holds the seven layers; base pressures follow from integrating
// the hydrostatic equation from 101,325 Pa.
var layers1976 = [...]atmosLayer{
	{0, 288.15, -0.0065, 101325},
	{11000, 216.65, 0, 22632.06397346292},
	{20000, 216.65, 0.001, 5474.888669677776},
	{32000, 228.65, 0.0028, 868.0186847552283},
	{47000, 270.65, 0, 110.90630555496598},
	{51000, 270.65, -0.0028, 66.93887311868733},
	{71000, 214.65, -0.002, 3.9564204280407305},
}

// upperPoint is one tabulated 1976 value above 86 km (geometric altitude).
type upperPoint struct{ altM, tempK, pressPa, rhoKgM3 float64 }

// upper1976 is the 1976 table from 86 to 120 km; the 86 km row matches the
// layered model so the profile is continuous.
var upper1976 = [...]upperPoint{
	{86000, upperTempK, 0.3733804618310581, 6.957823781332481e-06},
	{90000, 186.87, 0.18359, 3.416e-06},
	{100000, 195.08, 0.032011, 5.604e-07},
	{110000, 240.0, 0.0071042, 9.708e-08},
	{120000, 360.0, 0.0025382, 2.222e-08},
}

// atmosphere returns pressure (Pa), density (kg/m³) and speed of sound (m/s)
// at geometric altitude altM. Below sea level the first layer continues;
// above AtmosphereTopM there is no air.
func atmosphere(altM float64) (pressPa, rhoKgM3, soundMS float64) {
	if altM >= AtmosphereTopM {
		return 0, 0, math.Sqrt(heatRatio * specificR * upper1976[len(upper1976)-1].tempK)
	}
	if altM >= layerTop1976M {
		return upperAtmosphere(altM)
	}
	h := geopotentialR * altM / (geopotentialR + altM)
	i := len(layers1976) - 1
	for i > 0 && h < layers1976[i].baseM {
		i--
	}
	l := layers1976[i]
	var tempK float64
	if l.lapseKM == 0 {
		tempK = l.baseK
		pressPa = l.basePa * math.Exp(-hydrostaticK*(h-l.baseM)/l.baseK)
	} else {
		tempK = l.baseK + l.lapseKM*(h-l.baseM)
		pressPa = l.basePa * math.Exp(hydrostaticK/l.lapseKM*math.Log(l.baseK/tempK)) // Exp∘Log: faster than Pow
	}
	return pressPa, pressPa / (specificR * tempK), math.Sqrt(heatRatio * specificR * tempK)
}

// upperAtmosphere interpolates the 86-120 km table: temperature linearly,
// pressure and density exponentially.
func upperAtmosphere(altM float64) (pressPa, rhoKgM3, soundMS float64) {
	i := 0
	for i < len(upper1976)-2 && altM >= upper1976[i+1].altM {
		i++
	}
	a, b := upper1976[i], upper1976[i+1]
	f := (altM - a.altM) / (b.altM - a.altM)
	tempK := a.tempK + f*(b.tempK-a.tempK)
	pressPa = a.pressPa * math.Exp(f*math.Log(b.pressPa/a.pressPa))
	rhoKgM3 = a.rhoKgM3 * math.Exp(f*math.Log(b.rhoKgM3/a.rhoKgM3))
	return pressPa, rhoKgM3, math.Sqrt(heatRatio * specificR * tempK)
}

// dragCoefficient interpolates table at mach, constant beyond its ends.
func dragCoefficient(table []CdPoint, mach float64) float64 {
	if mach <= table[0].Mach {
		return table[0].Cd
	}
	for i := 1; i < len(table); i++ {
		if mach <= table[i].Mach {
			a, b := table[i-1], table[i]
			return a.Cd + (b.Cd-a.Cd)*(mach-a.Mach)/(b.Mach-a.Mach)
		}
	}
	return table[len(table)-1].Cd
}
