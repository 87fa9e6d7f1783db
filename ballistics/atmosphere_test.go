package ballistics

import "testing"

// TestAtmosphere checks the model against the US Standard Atmosphere 1976
// tables (geometric altitude).
func TestAtmosphere(t *testing.T) {
	tests := []struct {
		name                 string
		altM                 float64
		pressPa, rho, soundM float64
	}{
		{"sea level", 0, 101325, 1.2250, 340.29},
		{"11 km", 11000, 22700, 0.36480, 295.15},
		{"20 km", 20000, 5529.3, 0.088910, 295.07},
		{"50 km", 50000, 79.779, 1.0269e-3, 329.80},
		{"80 km", 80000, 1.0524, 1.8458e-5, 282.54},
		{"100 km", 100000, 0.032011, 5.604e-7, 280.0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, rho, a := atmosphere(tt.altM)
			checkRel(t, "pressure", p, tt.pressPa, 1e-3)
			checkRel(t, "density", rho, tt.rho, 1e-3)
			checkRel(t, "speed of sound", a, tt.soundM, 1e-3)
		})
	}
	t.Run("no air above the top", func(t *testing.T) {
		if p, rho, _ := atmosphere(AtmosphereTopM + 1); p != 0 || rho != 0 {
			t.Errorf("atmosphere(120 km) = %g Pa, %g kg/m³, want 0, 0", p, rho)
		}
	})
	t.Run("continuous at 86 km", func(t *testing.T) {
		p0, r0, _ := atmosphere(86000 - 1e-6)
		p1, r1, _ := atmosphere(86000 + 1e-6)
		checkRel(t, "pressure", p1, p0, 1e-6)
		checkRel(t, "density", r1, r0, 1e-6)
	})
}

func TestDragCoefficient(t *testing.T) {
	table := FordenCdTable()
	tests := []struct {
		name     string
		mach, cd float64
	}{
		{"subsonic", 0.5, 0.20},
		{"below the table", -1, 0.20},
		{"rising", 0.925, 0.235},
		{"plateau", 1.1, 0.27},
		{"falling", 1.6, 0.235},
		{"hypersonic", 20, 0.20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkAbs(t, "Cd", dragCoefficient(table, tt.mach), tt.cd, 1e-12)
		})
	}
}
